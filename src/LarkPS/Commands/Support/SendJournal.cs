using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Journal;
using LarkPS.Messages;

namespace LarkPS.Commands.Support;

/// <summary>What -Journal says to do with one item.</summary>
internal enum JournalVerdictKind
{
    /// <summary>Send it (new to the journal, or unconfirmed and still within Lark's uuid window, or -Force).</summary>
    Send,

    /// <summary>An earlier run delivered it: report it, do not send it.</summary>
    AlreadySent,

    /// <summary>An earlier run handed it to Lark and never heard back, and the uuid window has passed: do not send.</summary>
    MayHaveArrived,
}

/// <summary>The journal's verdict on one item, with what the send needs to record it.</summary>
internal sealed class JournalVerdict
{
    public JournalVerdict(JournalVerdictKind kind, string key, JournalEntry? recorded, bool newWindow, TimeSpan age)
    {
        Kind = kind;
        Key = key;
        Recorded = recorded;
        NewWindow = newWindow;
        Age = age;
    }

    public JournalVerdictKind Kind { get; }

    /// <summary>The item's key in the journal (salted hash of receiver and content, and its occurrence).</summary>
    public string Key { get; }

    /// <summary>What an earlier run recorded; null for an item new to the journal.</summary>
    public JournalEntry? Recorded { get; }

    /// <summary>
    /// The uuid to send it with: the recorded one for a resend (past the window too, with -Force: should Lark still
    /// remember it, it is still delivered once), else null (the item's own or a generated one).
    /// </summary>
    public string? ResendUuid => Kind == JournalVerdictKind.Send && Recorded is { State: JournalState.Submitted or JournalState.Unconfirmed } ? Recorded.Uuid : null;

    /// <summary>True when Lark will see the uuid as new (a first send, a resend past the window with -Force).</summary>
    public bool NewWindow { get; }

    public TimeSpan Age { get; }
}

/// <summary>
/// Send-LarkMessage -Journal: opens the journal, decides per item from what earlier runs recorded, and records each
/// item's submission (before its request goes out) and outcome. The rules live in <see cref="DeliveryJournal"/>'s
/// records; this is the part that speaks PowerShell (error records, the already-sent result).
/// </summary>
internal sealed class SendJournal : IDisposable
{
    private readonly DeliveryJournal _journal;

    private SendJournal(DeliveryJournal journal, string path)
    {
        _journal = journal;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The items earlier runs recorded.</summary>
    public int Count => _journal.Count;

    /// <summary>Opens the journal at <paramref name="path"/>; a broken precondition (terminating) when it cannot be used.</summary>
    public static SendJournal Open(string path, string givenPath, Action<ErrorRecord> throwTerminating)
    {
        try
        {
            return new SendJournal(DeliveryJournal.Open(path), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            throwTerminating(ErrorRecords.WithFix(
                ex, ErrorIds.JournalUnusable, ErrorCategory.OpenError, givenPath,
                "Give -Journal a path to a new file or to a journal an earlier Send-LarkMessage wrote, in a folder you can write to."));
            throw;
        }
    }

    /// <summary>The verdict on the next item of this run (items are matched to the journal in input order).</summary>
    public JournalVerdict Check(OutgoingMessage message, string receiveId, DateTimeOffset now, bool force)
    {
        var key = _journal.NextKey(message.ReceiveType, receiveId, message.MsgType, message.ContentUtf8);
        var recorded = _journal.Find(key);
        switch (recorded?.State)
        {
            case JournalState.Sent:
                return new JournalVerdict(JournalVerdictKind.AlreadySent, key, recorded, newWindow: false, TimeSpan.Zero);
            case JournalState.Submitted or JournalState.Unconfirmed:
                // It may have reached Lark: only its own uuid keeps a resend from doubling it, and only within the hour.
                var age = now - recorded.WindowStart;
                var expired = age >= DeliveryJournal.ResendWindow;
                return new JournalVerdict(expired && !force ? JournalVerdictKind.MayHaveArrived : JournalVerdictKind.Send, key, recorded, newWindow: expired, age);
            default:
                // New, or refused by Lark last time (it did not arrive): sent as a new message.
                return new JournalVerdict(JournalVerdictKind.Send, key, recorded, newWindow: true, TimeSpan.Zero);
        }
    }

    /// <summary>Written and flushed before the request can go out: a run killed a moment later knows this uuid.</summary>
    public void Submitted(JournalVerdict verdict, long position, string uuid, DateTimeOffset now) =>
        _journal.Submitted(verdict.Key, position, uuid, now, verdict.NewWindow);

    public void Sent(string key, SentMessage sent) => _journal.Outcome(key, sent.Uuid, JournalState.Sent, sent.MessageId, sent.CreateTime);

    /// <summary>Lark's refusal means it did not arrive; a stop, a timeout or a server error leaves it unconfirmed.</summary>
    public void Failed(string key, string uuid, Exception? error, bool stopped)
    {
        var refused = !stopped && error is PhoneNotResolvedException or LarkApiException { MayHaveArrived: false } or ItemDeadlineException { MayHaveArrived: false };
        _journal.Outcome(key, uuid, refused ? JournalState.Refused : JournalState.Unconfirmed);
    }

    /// <summary>The result written in an already-sent item's place: what the earlier run's answer said.</summary>
    public static SentMessage AlreadySentResult(OutgoingMessage message, string receiveId, JournalEntry recorded) =>
        new(recorded.MessageId ?? string.Empty, null, message.ReceiveType, receiveId, message.MsgType, recorded.Uuid, recorded.CreateTime, null)
        {
            AlreadySent = true,
        };

    public static ErrorRecord MayHaveArrivedError(object? target, string description, JournalVerdict verdict) =>
        ErrorRecords.WithFix(
            new InvalidOperationException(string.Format(
                CultureInfo.InvariantCulture,
                "{0} may have arrived: an earlier run handed it to Lark {1:0} minutes ago (uuid {2}) and never heard back. "
                + "Lark de-duplicates a uuid for one hour only, so sending it again now could deliver it twice. It was not sent.",
                description, verdict.Age.TotalMinutes, verdict.Recorded!.Uuid)),
            ErrorIds.MayHaveArrived,
            ErrorCategory.ResourceExists,
            target,
            "Look in the chat whether it arrived. To send it anyway, run again with -Force; to send it as a new message, leave it out of -Journal's input or use a new journal.");

    public static ErrorRecord NotOnWebhookError(string givenPath) =>
        ErrorRecords.WithFix(
            new InvalidOperationException("-Journal needs an app connection: a custom bot's webhook takes no uuid, so an unconfirmed item could not be resent without the risk of doubling it."),
            ErrorIds.JournalUnusable,
            ErrorCategory.InvalidOperation,
            givenPath,
            "Send through an app connection (Connect-Lark -AppId … -AppSecret …) to use -Journal, or leave -Journal out on a webhook connection.");

    public void Dispose() => _journal.Dispose();
}
