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
public sealed class SendLarkMessageCommand : MessageCmdletBase
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly int DefaultThrottleLimit = new DeliveryOptions().ThrottleLimit;

    // Results are written in input order; one slow item may hold back at most this many finished ones before
    // they are written anyway, so memory stays bounded however long the pipeline.
    private const int MaxHeldResults = 1000;

    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    private readonly SortedDictionary<long, DeliveryEvent<SendWork, SentMessage>> _finished = new();
    private readonly List<UnconfirmedMessage> _unconfirmed = new();

    private readonly UuidsInRun _uuidsInRun = new();

    // Items handed to the engine without their last event yet: what a stop leaves here was never accepted (not started).
    private readonly Dictionary<long, SendWork> _outstanding = new();
    private bool _stopOnError;
    private ErrorRecord? _stoppingError;
    private RequestDebug? _debug;
    private LarkConnection? _connection;
    private LarkConnection? _hook;
    private DeliveryEngine<SendWork, SentMessage>? _engine;
    private long _nextSequence;
    private long _nextToWrite;
    private int _succeeded;
    private int _failed;
    private int _invalid;
    private int _notSent;
    private int _alreadySent;
    private SendJournal? _journal;

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

        // Not connected is a broken precondition: say so before reading any input, except under -WhatIf,
        // which never touches the network and so needs no connection.
        if (!IsWhatIf())
        {
            _connection = RequireConnection(Connection);
        }

        // A webhook connection (even under -WhatIf, where none is required) applies the hook's rules to every item.
        _hook = (_connection ?? Connection ?? ConnectionStore.Current) is { Kind: LarkConnectionKind.Webhook, IsClosed: false } hook ? hook : null;
        _stopOnError = ErrorActionStop.IsRequested(this);
        OpenJournal();
    }

    private void OpenJournal()
    {
        if (Journal is null)
        {
            return;
        }

        if (_hook is not null)
        {
            ThrowTerminatingError(SendJournal.NotOnWebhookError(Journal));
        }

        _journal = SendJournal.Open(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Journal), Journal, ThrowTerminatingError);
        WriteVerbose($"Journal {_journal.Path}: {_journal.Count} item(s) recorded by earlier runs.");
    }

    protected override void ProcessRecord()
    {
        try
        {
            SendInputs(ReadCurrentInputs());
        }
        catch (StopAtErrorSignal)
        {
            StopAfterError();
        }
        catch (PipelineStoppedException)
        {
            FinishAfterStop();
            throw;
        }
    }

    protected override void EndProcessing()
    {
        // A JSON document piped line by line and never closed is reported once, here.
        try
        {
            SendInputs(ReadRemainingInputs());
        }
        catch (StopAtErrorSignal)
        {
            StopAfterError();
        }
        catch (PipelineStoppedException)
        {
            FinishAfterStop();
            throw;
        }

        if (_engine is null)
        {
            WriteHeldResults(all: true);
            if (_invalid + _notSent + _alreadySent > 0 && _connection is not null)
            {
                SaveSummary(wasStopped: false);
            }

            CloseJournal();
            return;
        }

        try
        {
            foreach (var delivery in _engine.Complete())
            {
                Handle(delivery);
                ReportProgress(_engine, final: false);
            }

            WriteHeldResults(all: true);
        }
        catch (StopAtErrorSignal)
        {
            StopAfterError();
        }
        catch (PipelineStoppedException)
        {
            FinishAfterStop();
            throw;
        }

        ReportProgress(_engine, final: true);
        var summary = SaveSummary(wasStopped: false);
        WriteVerbose(string.Format(
            CultureInfo.InvariantCulture,
            "Send-LarkMessage: {0} sent, {1} failed ({2} invalid), {3} retried attempt(s), {4:0.0} messages/s.",
            summary.Sent, summary.Failed, _invalid, summary.Retries, summary.MessagesPerSecond));
        _engine.Dispose();
        _engine = null;
        CloseJournal();
    }

    private void CloseJournal()
    {
        _journal?.Dispose();
        _journal = null;
    }

    private void SendInputs(IEnumerable<(object? Target, MessageInput Input, string Description)> inputs)
    {
        foreach (var (target, input, description) in inputs)
        {
            if (_hook is not null)
            {
                if (LocalFileRules.RefuseOnWebhook(input, target, description) is { } refused)
                {
                    _invalid++;
                    WriteItemError(refused);
                    continue;
                }

                SendThroughHook(target, input, description);
                continue;
            }

            // Issue 11: local files become content with placeholder keys (checked offline, uploaded in the send);
            // a chat given by name becomes its chat_id.
            var uploads = ApplyLocalFiles(input);
            if (!ResolveChatName(target, input, description))
            {
                _invalid++;
                continue;
            }

            // Generated once per item, before the one parse, so the body is written once with it and every retry
            // carries it: Lark delivers the item at most once. An item's own uuid wins.
            var validation = ItemIsolation.Validate(input, Guid.NewGuid().ToString("N"));
            if (!validation.IsValid || validation.Message is null)
            {
                _invalid++;
                WriteItemError(InvalidItemError(target, description, validation));
                continue;
            }

            var message = validation.Message;

            // A reply's "receiver" is the message it answers (issue 12): the journal and the uuid check key on it.
            var receiveId = message.ReplyTo ?? input.ReceiveId?.Trim() ?? string.Empty;

            // With -Journal: what an earlier run of this input already did with this item.
            var verdict = _journal?.Check(message, receiveId, Now, Force);
            if (verdict is not null && !FollowJournal(verdict, target, input, receiveId, description, ref message))
            {
                continue;
            }

            if (input.UpdateMulti && message.MsgType == ContentTypes.Interactive && CardFlags.Of(message.ContentUtf8) == CardSharing.Template)
            {
                WriteWarning($"{description} is a card template: -Updatable cannot set config.update_multi in it. Set it in the template (card builder > Card settings) for Set-LarkMessage to update the card.");
            }

            var action = string.IsNullOrWhiteSpace(input.Uuid)
                ? $"Send {WithArticle(message.MsgType)} message"
                : $"Send {WithArticle(message.MsgType)} message (uuid {message.Uuid})";
            if (!ShouldProcess(message.ReplyTo is { } parent ? "reply to " + parent : $"{message.ReceiveType} {input.ReceiveId?.Trim()}", action))
            {
                continue;
            }

            if (!_uuidsInRun.TryClaim(message.Uuid!, message, receiveId, description, out var firstWithUuid))
            {
                _invalid++;
                WriteItemError(DuplicateUuidError(target, description, message.Uuid!, firstWithUuid));
                continue;
            }

            var engine = EnsureEngine();
            if (message.PhoneToResolve is { } phone)
            {
                // Looked up ahead of its send slot, gathered 50 numbers a call with the items around it.
                _connection!.Phones.Prefetch(phone.LookupValue);
            }

            var work = new SendWork(_nextSequence++, target, receiveId, description, message) { JournalKey = verdict?.Key, Uploads = uploads };
            _journal?.Submitted(verdict!, ItemNumber, message.Uuid!, Now);
            _outstanding[work.Sequence] = work;
            foreach (var delivery in engine.Submit(work))
            {
                Handle(delivery);
            }

            ReportProgress(engine, final: false);
        }
    }

    private DateTimeOffset Now => _connection?.Clock.UtcNow ?? DateTimeOffset.UtcNow;

    // False when the journal says not to send: an earlier run delivered it (written in its place), or it may have
    // arrived and Lark's uuid window has passed (an error). A resend carries the uuid the earlier run recorded.
    private bool FollowJournal(JournalVerdict verdict, object? target, MessageInput input, string receiveId, string description, ref OutgoingMessage message)
    {
        switch (verdict.Kind)
        {
            case JournalVerdictKind.AlreadySent:
                _alreadySent++;
                _uuidsInRun.TryClaim(verdict.Recorded!.Uuid, message, receiveId, description, out _);
                WriteVerbose($"{description} was sent by an earlier run (journal: uuid {verdict.Recorded.Uuid}, message {verdict.Recorded.MessageId}): not sent again.");
                var sent = SendJournal.AlreadySentResult(message, receiveId, verdict.Recorded);
                Handle(new DeliveryEvent<SendWork, SentMessage>(DeliveryEventKind.Succeeded, new SendWork(_nextSequence++, target, receiveId, description, message), sent, null, 0, null, TimeSpan.Zero));
                return false;
            case JournalVerdictKind.MayHaveArrived:
                _notSent++;
                WriteItemError(SendJournal.MayHaveArrivedError(target, description, verdict));
                return false;
        }

        if (verdict.ResendUuid is { } uuid && uuid != message.Uuid)
        {
            // The body is built once per item with its uuid: for a resend, built with the recorded one.
            message = ItemIsolation.Validate(input, uuid).Message ?? message;
        }

        return true;
    }

    // The same items through a group's custom bot: the hook's rules offline, then the same engine at the hook's quotas.
    private void SendThroughHook(object? target, MessageInput input, string description)
    {
        var check = WebhookRules.Check(input, _hook!.IsSigned);
        if (!check.IsValid || check.Message is null)
        {
            _invalid++;
            WriteItemError(InvalidItemError(target, description, check.Result));
            return;
        }

        if (check.UuidIgnored)
        {
            WriteVerbose($"{description}: its uuid is not sent; a webhook request has no idempotency key.");
        }

        if (!ShouldProcess($"the group of {_hook.WebhookUri}", $"Send {WithArticle(check.Message.MsgType)} message through the custom bot"))
        {
            return;
        }

        var engine = EnsureEngine();
        var work = new SendWork(_nextSequence++, target, input.ReceiveId?.Trim() ?? string.Empty, description, check.Message.Message) { Hook = check.Message };
        _outstanding[work.Sequence] = work;
        foreach (var delivery in engine.Submit(work))
        {
            Handle(delivery);
        }

        ReportProgress(engine, final: false);
    }

    /// <summary>"a text", "an interactive", "an image", "an audio": the article the message type's name takes.</summary>
    internal static string WithArticle(string msgType) =>
        (msgType.Length > 0 && "aeiou".IndexOf(char.ToLowerInvariant(msgType[0])) >= 0 ? "an " : "a ") + msgType;

    private static ErrorRecord DuplicateUuidError(object? target, string description, string uuid, string firstItem) =>
        ErrorRecords.WithFix(
            new ArgumentException(
                $"{description} has uuid '{uuid}', which {firstItem} already carries in this run with another receiver or content. Lark sends "
                + "one message per uuid within an hour: this item would be reported sent with the other item's message and never arrive. It was not sent."),
            ErrorIds.DuplicateUuid,
            ErrorCategory.InvalidData,
            target,
            "Give every message its own uuid (for example the row's key plus the receiver), or leave uuid empty and LarkPS generates one per item.");

    // A chat given by name becomes its chat_id (one exact match among the bot's chats), or an error listing the
    // candidates. -WhatIf makes no request: it uses a cached list if there is one, else leaves the name to the send.
    private bool ResolveChatName(object? target, MessageInput input, string description)
    {
        if (!ChatNameReceivers.IsChatName(input, out var name))
        {
            return true;
        }

        var connection = _connection ?? Connection ?? ConnectionStore.Current;
        if (IsWhatIf() || connection is null)
        {
            return ChatNameReceivers.ResolveOffline(input, name, connection, target, description, WriteItemError, WriteVerbose);
        }

        try
        {
            var chats = RunAsync(ct => connection.Chats.GetAsync(false, ct));
            if (ChatNameReceivers.Resolve(input, name, chats, target, description) is { } error)
            {
                WriteItemError(error);
                return false;
            }

            return true;
        }
        catch (LarkApiException ex)
        {
            WriteItemError(SendErrors.For(ex, target, description + " (listing the bot's chats to find '" + name + "')"));
            return false;
        }
        finally
        {
            ChatNameReceivers.WriteRetries(connection, WriteVerbose);
        }
    }

    private bool IsWhatIf() => MessageChangeInput.IsWhatIf(this);

    private DeliveryEngine<SendWork, SentMessage> EnsureEngine()
    {
        if (_engine is not null)
        {
            return _engine;
        }

        _connection ??= RequireConnection(Connection);
        var options = _connection.CreateDeliveryOptions(MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : null);
        options.ItemDeadline = TimeSpan.FromSeconds(DeadlineSec);
        options.MaxTotalRetryWait = options.ItemDeadline > options.MaxTotalRetryWait ? options.ItemDeadline : options.MaxTotalRetryWait;
        options.StopAtFirstFailure = _stopOnError;
        var sender = _connection.Sender;
        var hookSender = _connection.HookSender;
        var connection = _connection;
        _engine = new DeliveryEngine<SendWork, SentMessage>(
            options,
            _connection.RateLimiter,
            new RetryPolicy(options),
            _connection.Clock,
            // A reply's chat is known only from Lark's answer: its parent stands in for it as the receiver.
            work => work.Hook is not null ? WebhookSender.ReceiverKey : work.Message.ReplyTo is { } parent ? "reply:" + parent : work.Message.NeedsResolution ? "phone:" + work.Message.PhoneToResolve!.CanonicalKey : work.Message.ReceiveIdType + ":" + work.Message.ReceiveId,
            (work, ct) => work.Hook is { } hook ? hookSender!.SendAsync(hook, ct)
                : work.Uploads is { } uploads ? ChatNameReceivers.SendWithUploadsAsync(connection, work.Message, uploads, work.GivenReceiveId, ct)
                : sender.SendAsync(work.Message, work.GivenReceiveId, ct),
            StopToken);
        WriteVerbose(_connection.Kind == LarkConnectionKind.Webhook
            ? $"Sending through the custom bot {_connection.WebhookUri}: up to {options.ThrottleLimit.ToString(CultureInfo.InvariantCulture)} requests in flight, {options.AppPerSecond}/s and {options.AppPerMinute}/min per hook; an attempt that may have arrived is never resent."
            : $"Sending through app '{_connection.AppId}' at {_connection.BaseUri.Host}: up to {(options.IsThrottleLimitAuto ? "16-" + options.ThrottleLimit + " (following the round trip)" : options.ThrottleLimit.ToString(CultureInfo.InvariantCulture))} requests in flight, {options.AppPerSecond}/s and {options.AppPerMinute}/min per app, {options.ReceiverPerSecond}/s per receiver.");
        return _engine;
    }

    private void Handle(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        if (delivery.Kind == DeliveryEventKind.Retrying)
        {
            WriteVerbose($"Retrying {delivery.Work.Description} (uuid {delivery.Work.Message.Uuid}): {delivery.Reason}");
            return;
        }

        _outstanding.Remove(delivery.Work.Sequence);
        _finished[delivery.Work.Sequence] = delivery;
        WriteHeldResults(all: false);
    }

    // Writes finished items in input order; where one slow item holds back too many, writes the oldest anyway.
    private void WriteHeldResults(bool all)
    {
        while (_finished.Count > 0)
        {
            using var first = _finished.GetEnumerator();
            first.MoveNext();
            var (sequence, delivery) = (first.Current.Key, first.Current.Value);
            if (sequence > _nextToWrite && !all && _finished.Count <= MaxHeldResults)
            {
                return;
            }

            _finished.Remove(sequence);
            _nextToWrite = Math.Max(_nextToWrite, sequence + 1);
            Write(delivery);
        }
    }

    private void Write(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        switch (delivery.Kind)
        {
            case DeliveryEventKind.Succeeded:
                _succeeded++;
                var sent = delivery.Result!;
                sent.Attempts = delivery.Attempts;
                JournalOutcome(delivery);
                WriteObject(sent);
                break;
            case DeliveryEventKind.Failed:
                _failed++;
                JournalOutcome(delivery);
                WriteItemError(WebhookErrors.For(delivery.Work.Hook, delivery.Exception!, delivery.Work.Target, delivery.Work.Description)
                    ?? SendErrors.For(delivery.Exception!, delivery.Work.Target, delivery.Exception is ItemDeadlineException ? delivery.Work.Describe() : delivery.Work.Description));
                break;
            case DeliveryEventKind.Stopped:
                _failed++;
                JournalOutcome(delivery);
                _unconfirmed.Add(delivery.Work.ToUnconfirmed(delivery));
                if (_stoppingError is not null)
                {
                    // Stopped by our own -ErrorAction Stop: the item is in LastDelivery, not an error of its own.
                    break;
                }

                var stopped = new OperationCanceledException("Send-LarkMessage was stopped before Lark confirmed this item.");
                WriteError(WebhookErrors.For(delivery.Work.Hook, stopped, delivery.Work.Target, delivery.Work.Description)
                    ?? SendErrors.For(stopped, delivery.Work.Target, delivery.Work.Description + " (uuid " + delivery.Work.Message.Uuid + ")"));
                break;
        }
    }

    private void JournalOutcome(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        if (_journal is null || delivery.Work.JournalKey is not { } key)
        {
            return;
        }

        if (delivery.Kind == DeliveryEventKind.Succeeded)
        {
            _journal.Sent(key, delivery.Result!);
        }
        else
        {
            _journal.Failed(key, delivery.Work.Message.Uuid!, delivery.Exception, delivery.Kind == DeliveryEventKind.Stopped);
        }
    }

    /// <summary>
    /// The pipeline ended without EndProcessing: Ctrl+C while another command was running, or a terminating error
    /// elsewhere. Nothing new is sent; what was in flight settles and is counted in LastDelivery.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _engine is not null)
        {
            CancelWork();
            FinishAfterStop();
        }

        if (disposing)
        {
            CloseJournal();
            _debug?.Dispose();
            _debug = null;
        }

        base.Dispose(disposing);
    }

    // After Ctrl+C nothing can be written any more: let the engine settle what was in flight (it returns within
    // its grace period) and keep the counts on the connection, so (Get-LarkConnection).LastDelivery tells what
    // was sent and which items are unconfirmed, with the uuids to send them again safely.
    private void FinishAfterStop()
    {
        if (_engine is null)
        {
            return;
        }

        foreach (var delivery in _engine.Complete())
        {
            JournalOutcome(delivery);
            _outstanding.Remove(delivery.Work.Sequence);
            if (delivery.Kind == DeliveryEventKind.Stopped)
            {
                _unconfirmed.Add(delivery.Work.ToUnconfirmed(delivery));
            }
        }

        foreach (var held in _finished.Values)
        {
            JournalOutcome(held);
            if (held.Kind == DeliveryEventKind.Stopped)
            {
                _unconfirmed.Add(held.Work.ToUnconfirmed(held));
            }
        }

        _finished.Clear();
        AddNeverAccepted();
        SaveSummary(wasStopped: true);
        _engine.Dispose();
        _engine = null;
    }

    /// <summary>
    /// Under -ErrorAction Stop, every error an item gets goes through here. The first one stops the run: it is held
    /// while what was already in flight is awaited and written, and then written, which PowerShell makes terminating.
    /// </summary>
    private protected override void WriteItemError(ErrorRecord record)
    {
        if (!_stopOnError)
        {
            WriteError(record);
            return;
        }

        if (_stoppingError is null)
        {
            _stoppingError = record;
            _engine?.StopStarting();
            throw new StopAtErrorSignal();
        }

        // PowerShell writes one error under Stop, the terminating one: an item in flight that fails too is a warning.
        var fix = record.ErrorDetails?.RecommendedAction;
        WriteWarning((record.ErrorDetails?.Message ?? record.Exception.Message) + (string.IsNullOrEmpty(fix) ? string.Empty : " Fix: " + fix));
    }

    // -ErrorAction Stop: nothing new starts; what was in flight finishes and is written (results, and failures as
    // warnings); what never started goes to LastDelivery; then the held error ends the command.
    private void StopAfterError()
    {
        var error = _stoppingError!;
        if (_engine is not null)
        {
            _engine.StopStarting();
            foreach (var delivery in _engine.Complete())
            {
                Handle(delivery);
            }

            WriteHeldResults(all: true);
        }

        AddNeverAccepted();
        if (_connection is not null)
        {
            var summary = SaveSummary(wasStopped: true);
            if (summary.Unconfirmed > 0)
            {
                WriteWarning(string.Format(
                    CultureInfo.InvariantCulture,
                    "Send-LarkMessage stopped at the first error (-ErrorAction Stop): {0} sent, {1} not sent or unconfirmed. Send those again with their uuids (no duplicates): (Get-LarkConnection).LastDelivery.UnconfirmedItems | Send-LarkMessage",
                    summary.Sent,
                    summary.Unconfirmed));
            }
        }

        _engine?.Dispose();
        _engine = null;

        // Under Stop PowerShell turns this into the terminating error; should the preference have changed, end anyway.
        _debug?.Flush();
        WriteError(error);
        ThrowTerminatingError(error);
    }

    // Items whose Submit a stop interrupted before the engine took them: they were never started.
    private void AddNeverAccepted()
    {
        foreach (var work in _outstanding.Values)
        {
            _unconfirmed.Add(work.ToUnconfirmed(UnconfirmedStatus.NotStarted, "The run was stopped before this item was sent."));
        }

        _outstanding.Clear();
    }

    private DeliverySummary SaveSummary(bool wasStopped)
    {
        var connection = _connection!;
        var stats = _engine?.Statistics;
        var started = stats?.StartedAt ?? connection.Clock.UtcNow;
        var summary = new DeliverySummary(
            started,
            started + (stats?.Elapsed ?? TimeSpan.Zero),
            (stats?.Submitted ?? 0) + _invalid + _notSent + _alreadySent,
            (stats?.Succeeded ?? 0) + _alreadySent,
            (stats?.Failed ?? 0) + _invalid + _notSent,
            _unconfirmed.Count,
            stats?.Retries ?? 0,
            stats?.MessagesPerSecond ?? 0,
            wasStopped,
            _unconfirmed.ToArray());
        connection.LastDelivery = summary;
        return summary;
    }

    private void ReportProgress(DeliveryEngine<SendWork, SentMessage> engine, bool final)
    {
        _debug?.Flush();
        if (!final && _sinceProgress.Elapsed < ProgressInterval)
        {
            return;
        }

        _sinceProgress.Restart();
        var stats = engine.Statistics;
        var record = new ProgressRecord(1, "Sending Lark messages", string.Format(
            CultureInfo.InvariantCulture,
            "{0} sent, {1} failed, {2} in flight, {3:0.0} messages/s",
            _succeeded, _failed + _invalid + _notSent, stats.InFlight, stats.MessagesPerSecond))
        {
            RecordType = final ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }

    /// <summary>One accepted item on its way: the message plus what errors and output name it by.</summary>
    internal sealed class SendWork
    {
        public SendWork(long sequence, object? target, string givenReceiveId, string description, OutgoingMessage message)
        {
            Sequence = sequence;
            Target = target;
            GivenReceiveId = givenReceiveId;
            Description = description;
            Message = message;
        }

        /// <summary>The item's place among the accepted items: results are written in this order.</summary>
        public long Sequence { get; }

        public object? Target { get; }

        public string GivenReceiveId { get; }

        public string Description { get; }

        public OutgoingMessage Message { get; }

        /// <summary>The item's key in the -Journal, if one is kept.</summary>
        public string? JournalKey { get; set; }

        /// <summary>Local files to upload before the send, their keys filling the content's placeholders; null for none.</summary>
        public Support.ItemUploads? Uploads { get; set; }

        /// <summary>The message in the hook's format, for a webhook connection; null for an app send.</summary>
        public WebhookMessage? Hook { get; set; }

        /// <summary>"item 51 (chat oc_…) uuid 3f…": enough to find the item and send it again without doubling it.</summary>
        public string Describe() => Hook is null ? Description + " uuid " + Message.Uuid : Description + " (webhook: check the group before sending it again)";

        /// <summary>The item as LastDelivery lists it: piped to Send-LarkMessage it goes again with its uuid, so Lark never delivers it twice.</summary>
        public UnconfirmedMessage ToUnconfirmed(UnconfirmedStatus status, string? reason) => new(
            Description,
            status,
            Message.ReceiveType,
            GivenReceiveId,
            Message.MsgType,
            Message.Content,
            Hook is null ? Message.Uuid : null,
            Target,
            Hook is null ? reason : reason + " A webhook request has no uuid: check the group before sending it again.");

        /// <summary>A Stopped item: never started when no attempt was made, else it may have arrived.</summary>
        public UnconfirmedMessage ToUnconfirmed(DeliveryEvent<SendWork, SentMessage> stopped) =>
            ToUnconfirmed(stopped.Attempts == 0 ? UnconfirmedStatus.NotStarted : UnconfirmedStatus.MayHaveArrived, stopped.Reason);
    }
}
