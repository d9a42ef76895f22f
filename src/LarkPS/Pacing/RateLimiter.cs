using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Threading;

namespace LarkPS.Pacing;

/// <summary>
/// Lark's sliding windows of one quota class (app per second, app per minute, per receiver per second) kept on the
/// client, counted the way Lark counts them: when a request ARRIVES, not when we decide to send it.
/// </summary>
/// <remarks>
/// <para>
/// Every call is a <see cref="SendRecord"/> placed in the windows (<see cref="ArrivalWindow"/>) at an estimate of its
/// arrival: while it waits for a connection it counts as "now"; once HttpClient starts writing its body
/// (<see cref="Leaving"/>) it counts from then; once the answer's headers are back (<see cref="HeadersIn"/>) it counts
/// from answer − the network's fastest round trip (<see cref="RoundTripEstimator"/>), because a request answered late
/// may have arrived late (a slow TLS handshake, a queue, jitter). A later call is allowed when, by those estimates,
/// even the earliest arrival it could make keeps every window within Lark's limit, plus a margin
/// (<see cref="MarginLearner"/>). No fixed guess about the network is needed.
/// </para>
/// <para>
/// After a quota refusal (reported by <c>RetryPolicy</c>, the one place that decides what a refusal means) the limiter
/// widens its margin, pauses only as long as its corrected windows or x-ogw-ratelimit-reset require, and narrows the
/// margin again while no refusal comes.
/// </para>
/// <para>
/// Thread-safe: one lock guards all state; the HTTP layer reports through <see cref="PacingTicket"/> from its own
/// threads. Receiver keys are opaque, e.g. <c>open_id:ou_x</c> or <c>chat_id:oc_y</c>.
/// </para>
/// </remarks>
internal sealed partial class RateLimiter
{
    private readonly object _gate = new();
    private readonly IClock _clock;
    private readonly int _appPerSecond;
    private readonly int _appPerMinute;
    private readonly int _receiverLimit;
    private readonly long _leastRefusalWait;
    private readonly long _pruneEvery;
    private readonly double _burstSpread;
    private readonly int _inFlightHeadroom;
    private readonly RoundTripEstimator _roundTrips;
    private readonly MarginLearner _margin;

    // Every call of the last minute (plus margins) by its arrival estimate; and per receiver the same.
    private readonly ArrivalWindow _app = new();
    private readonly Dictionary<string, ReceiverState> _receivers = new(StringComparer.Ordinal);
    private long _appPausedUntil;
    private long _lastPrune;
    private long _lastAppRecord;

    /// <summary>Creates a limiter with the quotas, margin and figures of <paramref name="options"/>.</summary>
    public RateLimiter(PacingOptions options, IClock clock)
        : this(options, clock, (options ?? throw new ArgumentNullException(nameof(options))).RateWindowMargin)
    {
    }

    /// <summary>Creates a limiter with the quotas and figures of <paramref name="options"/> and its own base margin.</summary>
    public RateLimiter(PacingOptions options, IClock clock, TimeSpan margin)
        : this(options, clock, margin, shared: null)
    {
    }

    /// <summary>
    /// Creates a limiter whose windows also count every other process's calls on this machine through
    /// <paramref name="shared"/> (issue 24); null counts this process's calls only.
    /// </summary>
    public RateLimiter(PacingOptions options, IClock clock, TimeSpan margin, SharedQuotaFile? shared)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _appPerSecond = options.AppPerSecond;
        _appPerMinute = options.AppPerMinute;
        _receiverLimit = options.ReceiverPerSecond;
        _leastRefusalWait = options.LeastRefusalWait.Ticks;
        _pruneEvery = options.PruneEvery.Ticks;
        _burstSpread = options.BurstSpread.Ticks;
        _inFlightHeadroom = options.InFlightHeadroom;
        _roundTrips = new RoundTripEstimator(options);
        _margin = new MarginLearner(options, margin);
        _lastPrune = _clock.UtcNow.UtcTicks;
        _shared = shared;
        _appShare = new FairShare(options);
        _options = options;
        _sharedMargin = options.SharedWindowMargin.Ticks;
    }

    /// <summary>How many receivers the limiter holds state for (idle ones are pruned about once a second).</summary>
    public int TrackedReceivers
    {
        get
        {
            lock (_gate)
            {
                return _receivers.Count;
            }
        }
    }

    /// <summary>Quota refusals reported to the limiter so far (app and receiver).</summary>
    public int Refusals => _margin.Refusals;

    /// <summary>The smoothed round trip of answered calls; zero before the first answer.</summary>
    public TimeSpan RoundTrip
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromTicks((long)_roundTrips.Smoothed);
            }
        }
    }

    /// <summary>The extra margin learned from refusals, as it stands now.</summary>
    public TimeSpan LearnedMargin
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromTicks(_margin.Extra(_clock.UtcNow.UtcTicks));
            }
        }
    }

    /// <summary>Waits until every window has room for one more call to <paramref name="receiverKey"/>, then records it as arrived now.</summary>
    /// <param name="receiverKey">The user or chat the call goes to; null applies the app windows only.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    public async Task AcquireAsync(string? receiverKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(receiverKey, out var wait))
            {
                return;
            }

            await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every window has room for one more call, then hands out its ticket: the request carries it to the HTTP layer, which reports on it.</summary>
    public async Task<PacingTicket> AcquireTicketAsync(string? receiverKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryReserve(receiverKey, null, out var ticket, out var wait))
            {
                return ticket!;
            }

            await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records a call at once if every window has room; otherwise records nothing and says how long to wait.
    /// The record counts as leaving now and is never answered: use <see cref="TryReserve"/> to report both.
    /// </summary>
    public bool TryAcquire(string? receiverKey, out TimeSpan wait)
    {
        if (!TryRecord(receiverKey, out var record, out wait))
        {
            return false;
        }

        Leaving(record!);
        Answered(record!, roundTripKnown: false);
        return true;
    }

    /// <summary>
    /// As <see cref="TryRecord"/>, with the record in a ticket for the request to carry; <paramref name="leaving"/> runs
    /// when the request starts to leave (the delivery engine wakes its dispatcher: the estimate moved).
    /// </summary>
    public bool TryReserve(string? receiverKey, Action? leaving, out PacingTicket? ticket, out TimeSpan wait)
    {
        if (!TryRecord(receiverKey, out var record, out wait))
        {
            ticket = null;
            return false;
        }

        ticket = new PacingTicket(this, record!, leaving);
        return true;
    }

    /// <summary>How long until a call to <paramref name="receiverKey"/> would be allowed; records nothing.</summary>
    public TimeSpan TimeUntilAvailable(string? receiverKey)
    {
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            ReceiverState? receiver = null;
            if (receiverKey is not null)
            {
                _receivers.TryGetValue(receiverKey, out receiver);
            }

            return RoundUpToMilliseconds(Math.Max(AppWaitLocked(now), ReceiverWaitLocked(now, receiver)));
        }
    }

    /// <summary>The request of <paramref name="record"/> is handed to HttpClient; <paramref name="warm"/> when a kept-alive connection is likely ready for it.</summary>
    public void Starting(SendRecord record, bool warm)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        lock (_gate)
        {
            record.Warm = warm;
            record.HeadersAt = 0;
        }
    }

    /// <summary>The answer's headers of <paramref name="record"/>'s request are in: its round trip ends now.</summary>
    public void HeadersIn(SendRecord record)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        lock (_gate)
        {
            record.HeadersAt = _clock.UtcNow.UtcTicks;
        }
    }

    /// <summary>The request of <paramref name="record"/> is being written now: a connection was ready. Called once per request on the wire.</summary>
    public void Leaving(SendRecord record)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            record.LeftAt = Math.Max(record.LeftAt, Math.Max(record.RecordedAt, now));
        }
    }

    /// <summary>The answer of <paramref name="record"/>'s request is in (or it failed); its arrival estimate is fixed now. Later calls do nothing.</summary>
    /// <param name="record">The call.</param>
    /// <param name="roundTripKnown">True when Lark answered over HTTP (the round trip is a real measurement); false for a transport failure.</param>
    public void Answered(SendRecord record, bool roundTripKnown)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        long estimate;
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            if (record.AnsweredAt != 0)
            {
                return;
            }

            var left = record.LeftAt != 0 ? record.LeftAt : record.RecordedAt;
            var answeredAt = roundTripKnown && record.HeadersAt >= left ? record.HeadersAt : now;
            if (roundTripKnown)
            {
                _roundTrips.Measure(Math.Max(0, answeredAt - left), record.Warm);
            }

            // It arrived no later than the answer minus the fastest way back: kept as the answer time and read against the
            // fastest round trip of the moment. Without a measured round trip (a transport failure), it counts from the
            // answer time itself.
            record.LeftAt = left;
            record.AnswerKey = roundTripKnown ? answeredAt : now + _roundTrips.Fastest;
            record.AnsweredAt = now;
            _app.Answer(record);
            record.Receiver?.Sends.Answer(record);
            estimate = record.Estimate(now, _roundTrips.Fastest);
        }

        // Outside the lock: other processes count the call at its arrival estimate from now on.
        if (record.SharedSequence > 0)
        {
            _shared?.Answered(record.SharedSequence, estimate);
        }
    }

    /// <summary>Requests in flight that reach the app's per-second quota at the measured round trip, within [floor, cap].</summary>
    public int SuggestedInFlight(int floor, int cap)
    {
        lock (_gate)
        {
            var smoothed = _roundTrips.Smoothed;
            if (smoothed <= 0 || _appPerSecond <= 0)
            {
                // Nothing measured yet: assume the worst round trip; the first second may carry a whole window at once.
                return cap;
            }

            // A whole window's sends may fall due at one instant (Lark's window slides): they should leave within the burst
            // spread, so a round trip that long or more wants the whole window in flight; a faster one needs a fraction.
            var need = _inFlightHeadroom + (int)Math.Ceiling(_appPerSecond * Math.Min(1.0, smoothed / _burstSpread));
            return Math.Max(floor, Math.Min(cap, need));
        }
    }

    private long AppWaitLocked(long now)
    {
        var wait = _appPausedUntil - now;
        var margin = _margin.At(now);
        if (_appPerSecond > 0)
        {
            wait = Math.Max(wait, _app.Wait(now, AppPerSecondNow(now), TimeSpan.TicksPerSecond + margin, _roundTrips.Fastest));
            wait = Math.Max(wait, SharedSpacing(_appShare, _appPerSecond, _lastAppRecord, now));
        }

        if (_appPerMinute > 0)
        {
            wait = Math.Max(wait, _app.Wait(now, AppPerMinuteNow(now), TimeSpan.TicksPerMinute + margin, _roundTrips.Fastest));
        }

        return wait;
    }

    private long ReceiverWaitLocked(long now, ReceiverState? receiver)
    {
        if (receiver is null)
        {
            return 0;
        }

        var wait = receiver.PausedUntil - now;
        if (_receiverLimit > 0)
        {
            var margin = _margin.At(now);
            wait = Math.Max(wait, receiver.Sends.Wait(now, ReceiverLimitNow(now, receiver), TimeSpan.TicksPerSecond + margin, _roundTrips.Fastest));
            if (receiver.Share is { } share)
            {
                wait = Math.Max(wait, SharedSpacing(share, _receiverLimit, receiver.LastRecorded, now));
            }
        }

        return wait;
    }

    // About once a second: drop records that can no longer count (answered, a minute and two margins old) and idle receivers.
    private void PruneLocked(long now)
    {
        if (now - _lastPrune < _pruneEvery)
        {
            return;
        }

        _lastPrune = now;
        var fastest = _roundTrips.Fastest;
        var keep = TimeSpan.TicksPerMinute + (2 * _margin.Largest);
        _app.Prune(now - keep + fastest);
        var receiverKeep = TimeSpan.TicksPerSecond + (2 * _margin.Largest);
        List<string>? idle = null;
        foreach (var pair in _receivers)
        {
            pair.Value.Sends.Prune(now - receiverKeep + fastest);
            if (pair.Value.Sends.IsEmpty && pair.Value.PausedUntil <= now && pair.Value.LastRecorded < now - receiverKeep && (pair.Value.Share is null || pair.Value.Share.At(now) >= 1))
            {
                (idle ??= new List<string>()).Add(pair.Key);
            }
        }

        if (idle is not null)
        {
            foreach (var key in idle)
            {
                _receivers.Remove(key);
            }
        }
    }

    // Task.Delay works in whole milliseconds and returns at once for less; rounding up keeps waits from spinning.
    private static TimeSpan RoundUpToMilliseconds(long ticks) =>
        ticks <= 0
            ? TimeSpan.Zero
            : TimeSpan.FromTicks((ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);

    /// <summary>One receiver: its recent calls, a pause, and when its last call was recorded.</summary>
    internal sealed class ReceiverState
    {
        public ArrivalWindow Sends { get; } = new();

        public long PausedUntil { get; set; }

        public long LastRecorded { get; set; }

        /// <summary>This receiver's share of its quota, learned from refusals others caused (issue 24: AIMD).</summary>
        public FairShare? Share { get; set; }
    }
}
