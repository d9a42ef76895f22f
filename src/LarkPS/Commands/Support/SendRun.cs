using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands.Support;

/// <summary>
/// The state of one Send-LarkMessage invocation: the delivery engine (queue, scheduler, retries), the -Journal, the
/// uuids of the run, progress, results written in input order, and the counts kept in LastDelivery. One
/// <see cref="Finish"/> for the end of input, Ctrl+C and -ErrorAction Stop alike.
/// </summary>
internal sealed class SendRun : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    private readonly ISendRunHost _host;
    private readonly SendRunSettings _settings;
    private readonly CancellationToken _stop;
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    private readonly RunResults _results;

    // Many items failing for one cause end the run with one warning that names it and counts them.
    private readonly FailureSummary _failures = new();
    private readonly UuidsInRun _uuidsInRun = new();

    // Items handed to the engine without their last event yet: what a stop leaves here was never accepted (not started).
    private readonly Dictionary<long, SendWork> _outstanding = new();
    private readonly SendJournal? _journal;
    private readonly EarlierUuidAnswers _earlierAnswers;
    private LarkConnection? _connection;
    private DeliveryEngine<SendWork, SentMessage>? _engine;
    private ErrorRecord? _stoppingError;
    private long _nextSequence;
    private int _invalid;
    private int _notSent;
    private int _alreadySent;
    private bool _finishedRun;

    /// <param name="connection">The connection to send through; null under -WhatIf without one (nothing is sent then).</param>
    public SendRun(LarkConnection? connection, SendRunSettings settings, SendJournal? journal, ISendRunHost host, CancellationToken stop)
    {
        _connection = connection;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _journal = journal;
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _stop = stop;
        _results = new RunResults(host, journal, ReportItemError);
        _earlierAnswers = new EarlierUuidAnswers(Now);
    }

    private DateTimeOffset Now => _connection?.Clock.UtcNow ?? DateTimeOffset.UtcNow;

    /// <summary>
    /// Every error an item gets goes through here. Under -ErrorAction Stop the first one stops the run: it is held
    /// while what was already in flight is awaited and written, and then written, which PowerShell makes terminating.
    /// </summary>
    public void ReportItemError(ErrorRecord record)
    {
        _failures.Add(record);
        if (!_settings.StopOnError)
        {
            _host.WriteError(record);
            return;
        }

        if (_stoppingError is null)
        {
            _stoppingError = record;
            _results.StoppingAtError = true;
            _engine?.StopStarting();
            throw new StopAtErrorSignal();
        }

        // PowerShell writes one error under Stop, the terminating one: an item in flight that fails too is a warning.
        var fix = record.ErrorDetails?.RecommendedAction;
        _host.WriteWarning((record.ErrorDetails?.Message ?? record.Exception.Message) + (string.IsNullOrEmpty(fix) ? string.Empty : " Fix: " + fix));
    }

    /// <summary>An item refused before it could be offered (its content, its receiver): counted, its error written.</summary>
    public void Refuse(ErrorRecord error)
    {
        _invalid++;
        ReportItemError(error);
    }

    /// <summary>
    /// One prepared item: refused with its error, skipped where the journal or ShouldProcess says so, else handed to
    /// the engine, which sends it at the transport's pace and retries it with its uuid.
    /// </summary>
    public void Offer(PreparedItem prepared, long itemNumber, Func<LarkConnection> requireConnection)
    {
        var item = prepared.Item;
        if (prepared.Refusal is { } refusal)
        {
            Refuse(refusal);
            return;
        }

        var message = prepared.Message!;
        if (!message.IsValid)
        {
            Refuse(ItemErrors.Invalid(item.Target, item.Description, message.Result));
            return;
        }

        var transport = _settings.Transport;
        var outgoing = message.Message!;
        if (message.UuidIgnored)
        {
            _host.WriteVerbose($"{item.Description}: its uuid is not sent; a webhook request has no idempotency key.");
        }

        // A reply's "receiver" is the message it answers (issue 12): the journal and the uuid check key on it.
        var receiveId = outgoing.ReplyTo ?? item.Input.ReceiveId?.Trim() ?? string.Empty;

        // With -Journal: what an earlier run of this input already did with this item.
        var verdict = _journal?.Check(outgoing, receiveId, Now, _settings.Force);
        if (verdict is not null && !FollowJournal(verdict, item, receiveId, ref message))
        {
            return;
        }

        outgoing = message.Message!;
        if (item.Input.UpdateMulti && outgoing.MsgType == ContentTypes.Interactive && CardFlags.Of(outgoing.ContentUtf8) == CardSharing.Template)
        {
            _host.WriteWarning($"{item.Description} is a card template: -Updatable cannot set config.update_multi in it. Set it in the template (card builder > Card settings) for Set-LarkMessage to update the card.");
        }

        var shownReceiver = prepared.ResolvedWhenSent is { } name ? $"'{name}' (resolved when sent)" : item.Input.ReceiveId?.Trim();
        if (!_host.ShouldSend(transport.DescribeTarget(message, shownReceiver), transport.DescribeAction(message, !string.IsNullOrWhiteSpace(item.Input.Uuid))))
        {
            return;
        }

        if (transport.DeduplicatesByUuid && !_uuidsInRun.TryClaim(outgoing.Uuid!, outgoing, receiveId, item.Description, out var firstWithUuid))
        {
            Refuse(ItemErrors.DuplicateUuid(item.Target, item.Description, outgoing.Uuid!, firstWithUuid));
            return;
        }

        var engine = EnsureEngine(requireConnection);
        if (outgoing.PhoneToResolve is { } phone)
        {
            // Looked up ahead of its send slot, gathered 50 numbers a call with the items around it.
            _connection!.Phones.Prefetch(phone.LookupValue);
        }

        var work = new SendWork(_nextSequence++, item, transport.DeduplicatesByUuid ? receiveId : item.Input.ReceiveId?.Trim() ?? string.Empty, message, prepared.Uploads, transport.DeduplicatesByUuid)
        {
            JournalKey = verdict?.Key,
        };
        _journal?.Submitted(verdict!, itemNumber, outgoing.Uuid!, Now);
        _outstanding[work.Sequence] = work;
        foreach (var delivery in engine.Submit(work))
        {
            Handle(delivery);
        }

        ReportProgress(final: false);
    }

    // False when the journal says not to send: an earlier run delivered it (written in its place), or it may have
    // arrived and Lark's uuid window has passed (an error). A resend carries the uuid the earlier run recorded.
    private bool FollowJournal(JournalVerdict verdict, InputItem item, string receiveId, ref Transports.PreparedMessage message)
    {
        var outgoing = message.Message!;
        switch (verdict.Kind)
        {
            case JournalVerdictKind.AlreadySent:
                _alreadySent++;
                _uuidsInRun.TryClaim(verdict.Recorded!.Uuid, outgoing, receiveId, item.Description, out _);
                _host.WriteVerbose($"{item.Description} was sent by an earlier run (journal: uuid {verdict.Recorded.Uuid}, message {verdict.Recorded.MessageId}): not sent again.");
                var sent = SendJournal.AlreadySentResult(outgoing, receiveId, verdict.Recorded);
                Handle(new DeliveryEvent<SendWork, SentMessage>(DeliveryEventKind.Succeeded, new SendWork(_nextSequence++, item, receiveId, message, null, true), sent, null, 0, null, TimeSpan.Zero));
                return false;
            case JournalVerdictKind.MayHaveArrived:
                _notSent++;
                ReportItemError(SendJournal.MayHaveArrivedError(item.Target, item.Description, verdict));
                return false;
        }

        if (verdict.ResendUuid is { } uuid && uuid != outgoing.Uuid)
        {
            // The body is rewritten with the recorded uuid; the content is not parsed again.
            message = _settings.Transport.WithUuid(message, uuid);
        }

        return true;
    }

    private DeliveryEngine<SendWork, SentMessage> EnsureEngine(Func<LarkConnection> requireConnection)
    {
        if (_engine is not null)
        {
            return _engine;
        }

        _connection ??= requireConnection();
        var connection = _connection;
        _host.WatchDebug(connection);
        var options = connection.CreateDeliveryOptions(_settings.ThrottleLimit);
        options.ItemDeadline = _settings.ItemDeadline;
        options.MaxTotalRetryWait = options.ItemDeadline > options.MaxTotalRetryWait ? options.ItemDeadline : options.MaxTotalRetryWait;
        options.StopAtFirstFailure = _settings.StopOnError;
        var transport = _settings.Transport;
        _engine = new DeliveryEngine<SendWork, SentMessage>(
            options,
            connection.RateLimiter,
            new RetryPolicy(options.Pacing),
            connection.Clock,
            work => transport.PacingKey(work.Prepared),
            (work, ticket, ct) => transport.SendAsync(work.Prepared, work.Uploads, work.GivenReceiveId, ticket, ct),
            _stop);
        _host.WriteVerbose(transport.DescribeRun(options.ThrottleLimit, options.IsThrottleLimitAuto, options.AppPerSecond, options.AppPerMinute, options.ReceiverPerSecond));
        return _engine;
    }

    private void Handle(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        if (delivery.Kind == DeliveryEventKind.Retrying)
        {
            // A hook request has no uuid: say none rather than "(uuid )".
            var uuid = string.IsNullOrEmpty(delivery.Work.Message.Uuid) ? string.Empty : " (uuid " + delivery.Work.Message.Uuid + ")";
            _host.WriteVerbose($"Retrying {delivery.Work.Description}{uuid}: {delivery.Reason}");
            return;
        }

        _outstanding.Remove(delivery.Work.Sequence);
        _earlierAnswers.Check(delivery.Kind == DeliveryEventKind.Succeeded ? delivery.Result : null, delivery.Work.Description, _host.WriteVerbose);

        _results.Finished(delivery);
    }

    /// <summary>
    /// Ends the run. End of input: what is in flight is awaited and written, then the summary. Ctrl+C: nothing can
    /// be written any more; what was in flight settles and is counted in LastDelivery. -ErrorAction Stop: nothing new
    /// starts, what was in flight finishes and is written, then the held error ends the command.
    /// </summary>
    public void Finish(SendRunEnd end)
    {
        if (_finishedRun)
        {
            return;
        }

        _finishedRun = true;
        switch (end)
        {
            case SendRunEnd.EndOfInput:
                FinishAtEnd();
                break;
            case SendRunEnd.PipelineStopped:
                FinishAfterStop();
                break;
            case SendRunEnd.ErrorActionStop:
                FinishAfterError();
                break;
        }
    }

    private void FinishAtEnd()
    {
        FinishAtEndCore();
        if (_earlierAnswers.Warning() is { } earlier)
        {
            _host.WriteWarning(earlier);
        }

        if (_failures.Warning() is { } warning)
        {
            _host.WriteWarning(warning);
        }
    }

    private void FinishAtEndCore()
    {
        if (_engine is null)
        {
            _results.WriteHeldResults(all: true);
            if (_invalid + _notSent + _alreadySent > 0 && _connection is not null)
            {
                SaveSummary(wasStopped: false);
            }

            return;
        }

        try
        {
            foreach (var delivery in _engine.Complete())
            {
                Handle(delivery);
                ReportProgress(final: false);
            }

            _results.WriteHeldResults(all: true);
        }
        catch (StopAtErrorSignal)
        {
            _finishedRun = false;
            Finish(SendRunEnd.ErrorActionStop);
            return;
        }
        catch (PipelineStoppedException)
        {
            _finishedRun = false;
            Finish(SendRunEnd.PipelineStopped);
            throw;
        }

        ReportProgress(final: true);
        var summary = SaveSummary(wasStopped: false);
        _host.WriteVerbose(string.Format(
            CultureInfo.InvariantCulture,
            "Send-LarkMessage: {0} sent, {1} failed ({2} invalid), {3} retried attempt(s), {4:0.0} messages/s.",
            summary.Sent, summary.Failed, _invalid, summary.Retries, summary.MessagesPerSecond));
        DisposeEngine();
    }

    private void FinishAfterStop()
    {
        if (_engine is null)
        {
            return;
        }

        foreach (var delivery in _engine.Complete())
        {
            _results.JournalOutcome(delivery);
            _outstanding.Remove(delivery.Work.Sequence);
            if (delivery.Kind == DeliveryEventKind.Stopped)
            {
                _results.Unconfirm(delivery.Work.ToUnconfirmed(delivery));
            }
        }

        _results.RecordHeldWithoutWriting();
        AddNeverAccepted();
        SaveSummary(wasStopped: true);
        DisposeEngine();
    }

    private void FinishAfterError()
    {
        var error = _stoppingError!;
        if (_engine is not null)
        {
            _engine.StopStarting();
            foreach (var delivery in _engine.Complete())
            {
                Handle(delivery);
            }

            _results.WriteHeldResults(all: true);
        }

        AddNeverAccepted();
        if (_connection is not null)
        {
            var summary = SaveSummary(wasStopped: true);
            if (summary.Unconfirmed > 0)
            {
                _host.WriteWarning(string.Format(
                    CultureInfo.InvariantCulture,
                    "Send-LarkMessage stopped at the first error (-ErrorAction Stop): {0} sent, {1} not sent or unconfirmed. Send those again with their uuids (no duplicates): (Get-LarkConnection).LastDelivery.UnconfirmedItems | Send-LarkMessage",
                    summary.Sent,
                    summary.Unconfirmed));
            }
        }

        DisposeEngine();

        // Under Stop PowerShell turns this into the terminating error; should the preference have changed, end anyway.
        _host.FlushDebug();
        _host.WriteError(error);
        _host.ThrowTerminatingError(error);
    }

    // Items whose Submit a stop interrupted before the engine took them: they were never started.
    private void AddNeverAccepted()
    {
        foreach (var work in _outstanding.Values)
        {
            _results.Unconfirm(work.ToUnconfirmed(UnconfirmedStatus.NotStarted, "The run was stopped before this item was sent."));
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
            _results.Unconfirmed.Count,
            stats?.Retries ?? 0,
            stats?.MessagesPerSecond ?? 0,
            wasStopped,
            System.Linq.Enumerable.ToArray(_results.Unconfirmed));
        connection.LastDelivery = summary;
        return summary;
    }

    private void ReportProgress(bool final)
    {
        _host.FlushDebug();
        if (_engine is null || (!final && _sinceProgress.Elapsed < ProgressInterval))
        {
            return;
        }

        _sinceProgress.Restart();
        var stats = _engine.Statistics;
        _host.WriteProgress(new ProgressRecord(1, "Sending Lark messages", string.Format(
            CultureInfo.InvariantCulture,
            "{0} sent, {1} failed, {2} in flight, {3:0.0} messages/s",
            _results.Succeeded, _results.Failed + _invalid + _notSent, stats.InFlight, stats.MessagesPerSecond))
        {
            RecordType = final ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        });
    }

    private void DisposeEngine()
    {
        _engine?.Dispose();
        _engine = null;
    }

    /// <summary>True while the engine holds work (Dispose without Finish must settle it as a stop).</summary>
    public bool HasWork => _engine is not null;

    public void Dispose()
    {
        DisposeEngine();
        _journal?.Dispose();
    }
}
