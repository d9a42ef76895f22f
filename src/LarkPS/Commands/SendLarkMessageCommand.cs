using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Delivery;
using LarkPS.Messages;
using LarkPS.Session;
using LarkPS.Webhooks;

namespace LarkPS.Commands;

/// <summary>
/// Send-LarkMessage: validates each input item, then delivers it through a bounded window of concurrent requests
/// at Lark's quota, retrying what Lark asks to retry with the item's uuid, so nothing is lost and nothing doubled.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "LarkMessage", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SentMessage))]
public sealed class SendLarkMessageCommand : MessageCmdletBase, ISendRunHost
{
    private static readonly int DefaultThrottleLimit = new DeliveryOptions().ThrottleLimit;

    private RequestDebug? _debug;
    private ItemPreparer? _preparer;
    private SendRun? _run;
    private bool _announced;
    private readonly HashSet<string> _notesWritten = new(StringComparer.Ordinal);

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    /// <summary>How many requests may be in flight at once. Unset, it follows the measured round trip (16 to 64: 50/s even at 300 ms).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>
    /// A file that records, as the run goes, each item's key (position and a hash of receiver and content), uuid and
    /// outcome. Run the same input again with the same journal after a crash or a stop: confirmed items are not sent
    /// again, unconfirmed ones are resent with their own uuids while Lark's one-hour window lasts.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Journal { get; set; }

    /// <summary>
    /// The most time one item may take, from its first attempt: request timeouts and waits between retries alike.
    /// An item still unconfirmed then fails (DeadlineExceeded); so does one Lark asks to wait longer than what is left.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int DeadlineSec { get; set; } = (int)new DeliveryOptions().ItemDeadline.TotalSeconds;

    /// <summary>With -Journal: resend items that may have arrived even after Lark's one-hour uuid window has passed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        // -Debug: every request and answer, gathered where they are sent and written here, on the pipeline thread.
        _debug = RequestDebug.Begin(this);

        // Not connected is a broken precondition: say so before reading any input, except under -WhatIf, which sends
        // nothing and so needs no connection (with one, it looks chat names up to show the real receivers).
        var whatIf = IsWhatIf();
        var connection = whatIf ? Connection ?? ConnectionStore.Current : RequireConnection(Connection);
        if (connection is { IsClosed: true })
        {
            connection = null;
        }

        var transport = connection?.Transport;
        var journal = OpenJournal(transport);
        _preparer = CreatePreparer(connection, sending: true);
        _run = new SendRun(
            whatIf ? null : connection,
            new SendRunSettings(
                transport ?? Transports.OfflineTransport.Instance,
                MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : null,
                TimeSpan.FromSeconds(DeadlineSec),
                ErrorActionStop.IsRequested(this),
                Force),
            journal,
            this,
            StopToken);
    }

    private SendJournal? OpenJournal(Transports.IMessageTransport? transport)
    {
        if (Journal is null)
        {
            return null;
        }

        if (transport is { DeduplicatesByUuid: false })
        {
            ThrowTerminatingError(SendJournal.NotOnWebhookError(Journal));
        }

        var journal = SendJournal.Open(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Journal), Journal, ThrowTerminatingError);
        WriteVerbose($"Journal {journal.Path}: {journal.Count} item(s) recorded by earlier runs.");
        return journal;
    }

    protected override void ProcessRecord() => Guarded(() => SendInputs(ReadCurrentInputs()));

    protected override void EndProcessing()
    {
        // A JSON document piped line by line and never closed is reported once, here.
        Guarded(() => SendInputs(ReadRemainingInputs()));
        if (_run is not null)
        {
            Guarded(() => _run.Finish(SendRunEnd.EndOfInput));
            _run.Dispose();
            _run = null;
        }
    }

    // The one place a run's three ends are told apart: -ErrorAction Stop's first error, Ctrl+C, the end of input.
    private void Guarded(Action step)
    {
        try
        {
            step();
        }
        catch (StopAtErrorSignal)
        {
            _run?.Finish(SendRunEnd.ErrorActionStop);
        }
        catch (PipelineStoppedException)
        {
            _run?.Finish(SendRunEnd.PipelineStopped);
            throw;
        }
    }

    private void SendInputs(IEnumerable<InputItem> items)
    {
        foreach (var item in items)
        {
            if (item.Input.ReceiverNote is { } note)
            {
                WriteVerbose(item.Description + ": " + note + ".");
            }

            // Generated once per item, before the one parse, so the body is written once with it and every retry
            // carries it: Lark delivers the item at most once. An item's own uuid wins.
            var prepared = _preparer!.Prepare(item, Guid.NewGuid().ToString("N"));

            // A note (markdown Lark's post shows as typed) is said once a run, not once per receiver.
            foreach (var authoringNote in item.Input.Notes)
            {
                if (_notesWritten.Add(authoringNote.ToString()))
                {
                    WriteWarning($"{item.Description}: {authoringNote}" + (_notesWritten.Count == 1 ? " (each note is said once a run; Test-LarkMessage lists them per item)" : string.Empty));
                }
            }

            _run!.Offer(prepared, ItemNumber, () => RequireConnection(Connection));
        }
    }

    private bool IsWhatIf() => MessageChangeInput.IsWhatIf(this);

    /// <summary>Under -ErrorAction Stop, every item's error goes through the run, which holds the first.</summary>
    private protected override void WriteItemError(ErrorRecord record)
    {
        if (_run is null)
        {
            WriteError(record);
            return;
        }

        _run.ReportItemError(record);
    }

    /// <summary>
    /// The pipeline ended without EndProcessing: Ctrl+C while another command was running, or a terminating error
    /// elsewhere. Nothing new is sent; what was in flight settles and is counted in LastDelivery.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_run is { HasWork: true })
            {
                CancelWork();
                _run.Finish(SendRunEnd.PipelineStopped);
            }

            _run?.Dispose();
            _run = null;
            _debug?.Dispose();
            _debug = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>"a text", "an interactive", "an image", "an audio": the article the message type's name takes.</summary>
    internal static string WithArticle(string msgType) => ContentTypes.WithArticle(msgType);

    void ISendRunHost.WriteObject(object value) => WriteObject(value);

    void ISendRunHost.WriteError(ErrorRecord record) => WriteError(record);

    void ISendRunHost.WriteWarning(string text) => WriteWarning(text);

    void ISendRunHost.WriteVerbose(string text) => WriteVerbose(text);

    void ISendRunHost.WriteProgress(ProgressRecord record) => WriteProgress(record);

    void ISendRunHost.FlushDebug() => _debug?.Flush();

    void ISendRunHost.WatchDebug(LarkConnection connection) => _debug?.Watch(connection);

    void ISendRunHost.ThrowTerminatingError(ErrorRecord record) => ThrowTerminatingError(record);

    // ShouldProcess per item where it asks or lists something (-WhatIf, -Confirm or a $ConfirmPreference that
    // prompts); otherwise its verbose line would repeat for every item: one line for the run instead.
    bool ISendRunHost.ShouldSend(string target, string action)
    {
        if (IsWhatIf() || ConfirmPrompts())
        {
            return ShouldProcess(target, action);
        }

        if (!_announced)
        {
            _announced = true;
            WriteVerbose($"Performing the operation \"{action}\" on each item, starting with target \"{target}\" (one line for the run; -WhatIf lists every item).");
        }

        return true;
    }

    private bool ConfirmPrompts()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter given)
        {
            return given.IsPresent;
        }

        var preference = SessionState.PSVariable.GetValue("ConfirmPreference");
        return preference is ConfirmImpact impact
            ? impact != ConfirmImpact.None && impact <= ConfirmImpact.Medium
            : LanguagePrimitives.TryConvertTo(preference, out ConfirmImpact converted) && converted != ConfirmImpact.None && converted <= ConfirmImpact.Medium;
    }
}
