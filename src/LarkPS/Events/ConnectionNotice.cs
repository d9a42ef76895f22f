using System;

namespace LarkPS.Events;

/// <summary>What the connection's worker threads hand to the pipeline thread, which alone may write them.</summary>
internal sealed class ConnectionNotice
{
    private ConnectionNotice(NoticeKind kind, string? text, ReceivedEvent? received, Exception? error)
    {
        Kind = kind;
        Text = text;
        Event = received;
        Error = error;
    }

    public NoticeKind Kind { get; }

    /// <summary>The line for Verbose, Debug and Warning notices (never a secret: the URL is always masked).</summary>
    public string? Text { get; }

    /// <summary>The event, for an Event notice.</summary>
    public ReceivedEvent? Event { get; }

    /// <summary>Why the connection ended for good, for a Fatal notice.</summary>
    public Exception? Error { get; }

    public static ConnectionNotice Verbose(string text) => new(NoticeKind.Verbose, text, null, null);

    public static ConnectionNotice Debug(string text) => new(NoticeKind.Debug, text, null, null);

    public static ConnectionNotice Warning(string text) => new(NoticeKind.Warning, text, null, null);

    public static ConnectionNotice Received(ReceivedEvent received) => new(NoticeKind.Event, null, received, null);

    public static ConnectionNotice Fatal(Exception error) => new(NoticeKind.Fatal, error.Message, null, error);
}

/// <summary>The kinds of <see cref="ConnectionNotice"/>.</summary>
internal enum NoticeKind
{
    Verbose,
    Debug,
    Warning,
    Event,
    Fatal,
}

/// <summary>
/// What the connection does with an event it received, decided on its reader thread without waiting for anything
/// (no user code runs here): take it, with an optional card answer, or decline it so Lark offers it again.
/// </summary>
internal sealed class EventVerdict
{
    public static readonly EventVerdict Taken = new(true, null, null);

    public static readonly EventVerdict Declined = new(false, null, null);

    public EventVerdict(bool take, byte[]? cardAnswer, string? note)
    {
        Take = take;
        CardAnswer = cardAnswer;
        Note = note;
    }

    /// <summary>True: acknowledged with code 200 and written. False: acknowledged with code 500 (not handled here).</summary>
    public bool Take { get; }

    /// <summary>The card callback's answer JSON (toast, card) that goes, base64, into the acknowledgement.</summary>
    public byte[]? CardAnswer { get; }

    /// <summary>For -Verbose: what the answer was.</summary>
    public string? Note { get; }
}

/// <summary>A long connection that cannot go on: Lark refused it, or every reconnect attempt failed.</summary>
internal sealed class LongConnectionException : Exception
{
    public LongConnectionException(string message, string errorId, string fix, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Fix = fix;
    }

    public string ErrorId { get; }

    public string Fix { get; }
}
