using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Messages;
using LarkPS.Session;

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

    private LarkConnection? _connection;
    private DeliveryEngine<SendWork, SentMessage>? _engine;
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    private int _succeeded;
    private int _failed;

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    /// <summary>How many requests may be in flight at once (default 16: enough to reach 50/s at 300 ms latency).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    private static readonly int DefaultThrottleLimit = new DeliveryOptions().ThrottleLimit;

    protected override void ProcessRecord()
    {
        try
        {
            SendCurrentInputs();
        }
        catch (PipelineStoppedException)
        {
            FinishAfterStop();
            throw;
        }
    }

    private void SendCurrentInputs()
    {
        foreach (var (target, input, description) in ReadCurrentInputs())
        {
            var validation = MessageValidator.Validate(input);
            if (!validation.IsValid || validation.Message is null)
            {
                WriteError(InvalidItemError(target, description, validation));
                continue;
            }

            var message = validation.Message;
            if (message.Uuid is null)
            {
                // Generated once per item: every retry of this item carries it, so Lark delivers it at most once.
                message = message.WithUuid(Guid.NewGuid().ToString("N"));
            }

            if (!ShouldProcess($"{message.ReceiveType} {input.ReceiveId?.Trim()}", $"Send a {message.MsgType} message (uuid {message.Uuid})"))
            {
                continue;
            }

            var engine = EnsureEngine();
            foreach (var delivery in engine.Submit(new SendWork(target, input.ReceiveId?.Trim() ?? string.Empty, description, message)))
            {
                Handle(delivery);
            }

            ReportProgress(engine, final: false);
        }
    }

    protected override void EndProcessing()
    {
        if (_engine is null)
        {
            return;
        }

        try
        {
            foreach (var delivery in _engine.Complete())
            {
                Handle(delivery);
                ReportProgress(_engine, final: false);
            }
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
            "Send-LarkMessage: {0} sent, {1} failed, {2} retried attempt(s), {3:0.0} messages/s.",
            summary.Sent, summary.Failed, summary.Retries, summary.MessagesPerSecond));
        _engine.Dispose();
    }

    // After Ctrl+C nothing can be written any more: let the engine settle what was in flight (it returns within
    // its grace period) and keep the counts on the connection, so (Get-LarkConnection).LastDelivery tells.
    private void FinishAfterStop()
    {
        if (_engine is null)
        {
            return;
        }

        foreach (var _ in _engine.Complete())
        {
        }

        SaveSummary(wasStopped: true);
        _engine.Dispose();
        _engine = null;
    }

    private DeliverySummary SaveSummary(bool wasStopped)
    {
        var stats = _engine!.Statistics;
        var started = stats.StartedAt ?? _connection!.Clock.UtcNow;
        var summary = new DeliverySummary(started, started + stats.Elapsed, stats.Submitted, stats.Succeeded, stats.Failed, stats.Stopped, stats.Retries, stats.MessagesPerSecond, wasStopped);
        _connection!.LastDelivery = summary;
        return summary;
    }

    private DeliveryEngine<SendWork, SentMessage> EnsureEngine()
    {
        if (_engine is not null)
        {
            return _engine;
        }

        _connection = RequireConnection(Connection);
        var options = _connection.CreateDeliveryOptions(ThrottleLimit);
        var sender = _connection.Sender;
        _engine = new DeliveryEngine<SendWork, SentMessage>(
            options,
            _connection.RateLimiter,
            new RetryPolicy(options),
            _connection.Clock,
            work => work.Message.NeedsResolution ? "phone:" + work.Message.PhoneToResolve!.CanonicalKey : work.Message.ReceiveIdType + ":" + work.Message.ReceiveId,
            (work, ct) => sender.SendAsync(work.Message, work.GivenReceiveId, ct),
            StopToken);
        WriteVerbose($"Sending through app '{_connection.AppId}' at {_connection.BaseUri.Host}: up to {options.ThrottleLimit} requests in flight, {options.AppPerSecond}/s and {options.AppPerMinute}/min per app, {options.ReceiverPerSecond}/s per receiver.");
        return _engine;
    }

    private void Handle(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        switch (delivery.Kind)
        {
            case DeliveryEventKind.Succeeded:
                _succeeded++;
                var sent = delivery.Result!;
                sent.Attempts = delivery.Attempts;
                WriteObject(sent);
                break;
            case DeliveryEventKind.Failed:
                _failed++;
                WriteError(SendErrors.For(delivery.Exception!, delivery.Work.Target, delivery.Work.Description));
                break;
            case DeliveryEventKind.Retrying:
                WriteVerbose($"Retrying {delivery.Work.Description} (uuid {delivery.Work.Message.Uuid}): {delivery.Reason}");
                break;
            case DeliveryEventKind.Stopped:
                _failed++;
                WriteError(SendErrors.For(new OperationCanceledException("Send-LarkMessage was stopped before this item was confirmed."), delivery.Work.Target, delivery.Work.Description));
                break;
        }
    }

    private void ReportProgress(DeliveryEngine<SendWork, SentMessage> engine, bool final)
    {
        if (!final && _sinceProgress.Elapsed < ProgressInterval)
        {
            return;
        }

        _sinceProgress.Restart();
        var stats = engine.Statistics;
        var record = new ProgressRecord(1, "Sending Lark messages", string.Format(
            CultureInfo.InvariantCulture,
            "{0} sent, {1} failed, {2} in flight, {3:0.0} messages/s",
            _succeeded, _failed, stats.InFlight, stats.MessagesPerSecond))
        {
            RecordType = final ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }

    /// <summary>One accepted item on its way: the message plus what errors and output name it by.</summary>
    internal sealed class SendWork
    {
        public SendWork(object? target, string givenReceiveId, string description, OutgoingMessage message)
        {
            Target = target;
            GivenReceiveId = givenReceiveId;
            Description = description;
            Message = message;
        }

        public object? Target { get; }

        public string GivenReceiveId { get; }

        public string Description { get; }

        public OutgoingMessage Message { get; }
    }
}
