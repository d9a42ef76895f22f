using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Session;

namespace LarkPS.Delivery;

/// <summary>
/// Lark's sliding windows (app per second, app per minute, per receiver per second) kept on the client, counted the
/// way Lark counts them: when a request ARRIVES, not when we decide to send it.
/// </summary>
/// <remarks>
/// <para>
/// Every send is a <see cref="SendRecord"/> placed in the windows at an estimate of its arrival: while it waits for a
/// connection it counts as "now"; once HttpClient starts writing its body (<see cref="Leaving"/>) it counts from then;
/// once the answer's headers are back (<see cref="HeadersIn"/>) it counts from answer − the network's fastest round
/// trip, because a request answered late may have arrived late (a slow TLS handshake, a queue, jitter). A later send is
/// allowed when, by those estimates, even the earliest arrival it could make keeps every window within Lark's limit,
/// plus a small margin. No fixed guess about the network is needed.
/// </para>
/// <para>
/// The fastest round trip is the least measured, but a minimum of few measurements overstates the network's (jitter,
/// a busy machine), and overstating it makes arrivals look earlier than they were. Only requests that found a
/// kept-alive connection (<see cref="Starting"/>) count as measurements of the network: one that opened a connection
/// paid its handshake on the way in. So the least round trip is used less an allowance that shrinks as warm
/// measurements near it come (20% of it, at least 40 ms, for the first; a fiftieth of that after fifty of the last 64
/// within a quarter of it), and never less than how far the tenth percentile of the last 64
/// lies above their least (a busy machine or a jittery network widens it), nor under 3 ms. Being cautious costs time once, in the window
/// after the first; a refusal would cost more, and a second later fifty measurements have come.
/// </para>
/// <para>
/// After a quota refusal the limiter learns: it widens its margin (slowing down a little), pauses only as long as its
/// corrected windows or x-ogw-ratelimit-reset require, and narrows the margin again while no refusal comes.
/// Thread-safe: one lock guards all state; the HTTP layer calls Leaving and Answered from its own threads.
/// Receiver keys are opaque, e.g. <c>open_id:ou_x</c> or <c>chat_id:oc_y</c>.
/// </para>
/// </remarks>
internal sealed class RateLimiter
{
    // The learned extra margin grows by this much per refusal, never past the cap, and drains by one step every StepDrainTicks.
    private static readonly long MarginStepTicks = TimeSpan.FromMilliseconds(15).Ticks;
    private static readonly long MarginCapTicks = TimeSpan.FromMilliseconds(150).Ticks;
    private static readonly long StepDrainTicks = TimeSpan.FromSeconds(5).Ticks;

    // How long a window's worth of sends that fall due together may take to leave, for sizing the requests in flight.
    private static readonly double BurstSpreadTicks = TimeSpan.FromMilliseconds(10).Ticks;

    // Refusals that come together are one mistake: the margin grows at most once in this long.
    private static readonly long RaiseAtMostEveryTicks = TimeSpan.TicksPerSecond;

    // The fastest warm round trip is used less max(floor, share × it) / measurements, and never less than the least allowance.
    private static readonly long AllowanceFloorTicks = TimeSpan.FromMilliseconds(40).Ticks;
    private static readonly long LeastAllowanceTicks = TimeSpan.FromMilliseconds(3).Ticks;
    private const double AllowanceShare = 0.2;
    private const int RecentWarmCount = 64;
    private static readonly long NearTicks = TimeSpan.FromMilliseconds(5).Ticks;


    private readonly object _gate = new();
    private readonly IClock _clock;
    private readonly int _appPerSecond;
    private readonly int _appPerMinute;
    private readonly int _receiverLimit;
    private readonly long _marginTicks;
    private readonly long _receiverSpacingTicks;

    // Every send of the last minute (plus margins) by its arrival estimate; and per receiver the same.
    private readonly ArrivalWindow _app = new();
    private readonly Dictionary<string, ReceiverState> _receivers = new(StringComparer.Ordinal);
    private long _appPausedUntil;
    private long _lastPrune;

    // Learned from answers: how many requests on a kept-alive connection were measured, the fastest round trip of any
    // request (ticks; long.MaxValue before any; a warm one counts here too), and a smoothed round trip.
    private long _warmMeasurements;
    private long _fastestAny = long.MaxValue;
    private double _smoothedRoundTrip;

    // The last warm round trips, and how far their tenth percentile lies above their least: how often a request comes
    // near the network's fastest. Under load that is rare (the least of the sums overstates the sum of the leasts), so
    // the allowance grows.
    private readonly long[] _recentWarm = new long[RecentWarmCount];
    private readonly long[] _recentSorted = new long[RecentWarmCount];
    private long _spreadTicks;

    // How many of those lie near their least: only they vouch for it. A request taken for warm that opened a connection
    // after all (its round trip holds a handshake) does not.
    private int _nearFastest;

    // Learned from refusals: extra margin and when it was last raised.
    private long _extraMarginTicks;
    private long _extraRaisedAt;
    private int _refusals;

    /// <summary>Creates a limiter with the quotas and margin of <paramref name="options"/>.</summary>
    public RateLimiter(DeliveryOptions options, IClock clock)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _appPerSecond = options.AppPerSecond;
        _appPerMinute = options.AppPerMinute;
        _receiverLimit = options.ReceiverPerSecond;
        _marginTicks = options.RateWindowMargin.Ticks;
        _receiverSpacingTicks = options.ReceiverSpacing.Ticks;
        _lastPrune = _clock.UtcNow.UtcTicks;
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
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>The smoothed round trip of answered sends; zero before the first answer.</summary>
    public TimeSpan RoundTrip
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromTicks((long)_smoothedRoundTrip);
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
                return TimeSpan.FromTicks(ExtraMarginLocked(_clock.UtcNow.UtcTicks));
            }
        }
    }

    /// <summary>Waits until every window has room for one more send to <paramref name="receiverKey"/>, then records it as arrived now.</summary>
    /// <param name="receiverKey">The user or chat the send goes to; null applies the app windows only.</param>
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

    /// <summary>
    /// Records a send at once if every window has room; otherwise records nothing and says how long to wait.
    /// The record counts as leaving now and is never answered: use <see cref="TryRecord"/> to report both.
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

    /// <summary>Check and record under one lock, so two callers never take the last slot; the record then tracks the request.</summary>
    public bool TryRecord(string? receiverKey, out SendRecord? record, out TimeSpan wait)
    {
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            PruneLocked(now);
            ReceiverState? receiver = null;
            if (receiverKey is not null)
            {
                _receivers.TryGetValue(receiverKey, out receiver);
            }

            var waitTicks = Math.Max(AppWaitLocked(now), ReceiverWaitLocked(now, receiver));
            if (waitTicks > 0)
            {
                wait = RoundUpToMilliseconds(waitTicks);
                record = null;
                return false;
            }

            record = new SendRecord(receiverKey, now);
            _app.Add(record);
            if (receiverKey is not null && (_receiverLimit > 0 || _receiverSpacingTicks > 0))
            {
                if (receiver is null)
                {
                    receiver = new ReceiverState();
                    _receivers.Add(receiverKey, receiver);
                }

                receiver.Sends.Add(record);
                receiver.LastRecorded = now;
                record.Receiver = receiver;
            }

            wait = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>How long until a send to <paramref name="receiverKey"/> would be allowed; records nothing.</summary>
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

    /// <summary>The answer of <paramref name="record"/>'s request is in (or it failed); its arrival estimate is fixed now.</summary>
    /// <param name="record">The send.</param>
    /// <param name="roundTripKnown">True when Lark answered over HTTP (the round trip is a real measurement); false for a transport failure.</param>
    public void Answered(SendRecord record, bool roundTripKnown)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            if (record.AnsweredAt != 0)
            {
                return;
            }

            var left = record.LeftAt != 0 ? record.LeftAt : record.RecordedAt;
            var answeredAt = roundTripKnown && record.HeadersAt >= left ? record.HeadersAt : now;
            var roundTrip = Math.Max(0, answeredAt - left);
            if (roundTripKnown)
            {
                _fastestAny = Math.Min(_fastestAny, roundTrip);
                if (record.Warm)
                {
                    _recentWarm[_warmMeasurements % RecentWarmCount] = roundTrip;
                    _warmMeasurements++;
                    (_spreadTicks, _nearFastest) = SpreadLocked();
                }

                _smoothedRoundTrip = _smoothedRoundTrip == 0 ? roundTrip : (_smoothedRoundTrip * 0.8) + (roundTrip * 0.2);
            }

            // It arrived no later than the answer minus the fastest way back: kept as the answer time and read against the
            // fastest round trip of the moment. Without a measured round trip (a transport failure), it counts from the
            // answer time itself.
            record.LeftAt = left;
            record.AnswerKey = roundTripKnown ? answeredAt : now + FastestLocked();
            record.AnsweredAt = now;
            _app.Answer(record);
            record.Receiver?.Sends.Answer(record);
        }
    }

    /// <summary>
    /// Lark refused a send with its app quota (99991400 / HTTP 429). Widens the margin and pauses the app as long as
    /// needed: until the corrected windows have room, and not before x-ogw-ratelimit-reset (whole seconds, so at most one
    /// second early) says the app's window frees. Returns how long the refused item should wait.
    /// </summary>
    public TimeSpan OnAppRefusal(TimeSpan? reset)
    {
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            RaiseMarginLocked(now);
            var margin = _marginTicks + ExtraMarginLocked(now);

            // Lark's window is fuller than ours (other programs on the app, or quotas set above Lark's): its first slot frees
            // no sooner than the earliest send we know of in the last second leaves it.
            var wait = Math.Max(AppWaitLocked(now), _app.EarliestAfter(now - TimeSpan.TicksPerSecond, FastestLocked()) + TimeSpan.TicksPerSecond + margin - now);
            if (reset is { } announced && announced > TimeSpan.FromSeconds(1))
            {
                // Lark rounds the reset up to whole seconds: it frees within the last of them.
                wait = Math.Max(wait, announced.Ticks - TimeSpan.TicksPerSecond);
            }

            // Never retry into the same instant: the server's window is fuller than ours by at least one send.
            wait = Math.Max(wait, Math.Max(_marginTicks + ExtraMarginLocked(now), TimeSpan.TicksPerMillisecond * 20));
            _appPausedUntil = Math.Max(_appPausedUntil, now + wait);
            return RoundUpToMilliseconds(wait);
        }
    }

    /// <summary>Lark refused a send with the receiver's quota (230020): widens the margin, pauses that receiver as long as its window needs.</summary>
    public TimeSpan OnReceiverRefusal(string receiverKey)
    {
        if (receiverKey is null)
        {
            throw new ArgumentNullException(nameof(receiverKey));
        }

        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            RaiseMarginLocked(now);
            if (!_receivers.TryGetValue(receiverKey, out var receiver))
            {
                receiver = new ReceiverState();
                _receivers.Add(receiverKey, receiver);
            }

            var margin = _marginTicks + ExtraMarginLocked(now);
            var wait = Math.Max(ReceiverWaitLocked(now, receiver), margin);

            // The chat's window is fuller than ours (other bots post there too): it frees no sooner than our earliest send of the last second leaves it.
            wait = Math.Max(wait, receiver.Sends.EarliestAfter(now - TimeSpan.TicksPerSecond, FastestLocked()) + TimeSpan.TicksPerSecond + margin - now);
            receiver.PausedUntil = Math.Max(receiver.PausedUntil, now + wait);
            return RoundUpToMilliseconds(wait);
        }
    }

    /// <summary>Stops every send for <paramref name="duration"/>. Pauses never shorten.</summary>
    public void PauseApp(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            _appPausedUntil = Math.Max(_appPausedUntil, _clock.UtcNow.UtcTicks + duration.Ticks);
        }
    }

    /// <summary>Stops sends to one receiver for <paramref name="duration"/>. Pauses never shorten.</summary>
    public void PauseReceiver(string receiverKey, TimeSpan duration)
    {
        if (receiverKey is null)
        {
            throw new ArgumentNullException(nameof(receiverKey));
        }

        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            if (!_receivers.TryGetValue(receiverKey, out var receiver))
            {
                receiver = new ReceiverState();
                _receivers.Add(receiverKey, receiver);
            }

            receiver.PausedUntil = Math.Max(receiver.PausedUntil, now + duration.Ticks);
        }
    }

    /// <summary>Requests in flight that reach the app's per-second quota at the measured round trip, within [floor, cap].</summary>
    public int SuggestedInFlight(int floor, int cap)
    {
        lock (_gate)
        {
            if (_smoothedRoundTrip <= 0 || _appPerSecond <= 0)
            {
                // Nothing measured yet: assume the worst round trip; the first second may carry a whole window at once.
                return cap;
            }

            // A whole window's sends may fall due at one instant (Lark's window slides): they should leave within about
            // 10 ms, so a round trip of 10 ms or more wants the whole window in flight; a faster one needs a fraction.
            var need = 4 + (int)Math.Ceiling(_appPerSecond * Math.Min(1.0, _smoothedRoundTrip / BurstSpreadTicks));
            return Math.Max(floor, Math.Min(cap, need));
        }
    }

    // The network's fastest round trip, as cautious as the measurements require: from warm requests less the allowance;
    // before any, half the fastest of any request (its handshake may have been most of it); before any answer, zero.
    private long FastestLocked()
    {
        if (_warmMeasurements > 0)
        {
            // Any round trip bounds the network's from above, a cold one too: the least of all, less the allowance.
            var fastest = _fastestAny;
            var allowance = Math.Max(Math.Max(LeastAllowanceTicks, _spreadTicks), Math.Max(AllowanceFloorTicks, fastest * AllowanceShare) / Math.Max(1, _nearFastest));
            return Math.Max(0, fastest - (long)allowance);
        }

        return _fastestAny == long.MaxValue ? 0 : _fastestAny / 2;
    }

    // Of the recent warm round trips: how far their tenth percentile lies above their least (zero until there are ten), and
    // how many lie within a quarter (at least 5 ms) of their least.
    private (long Spread, int Near) SpreadLocked()
    {
        var count = (int)Math.Min(_warmMeasurements, RecentWarmCount);
        var sorted = _recentSorted;
        Array.Copy(_recentWarm, sorted, count);
        Array.Sort(sorted, 0, count);
        var near = 0;
        var within = sorted[0] + Math.Max(NearTicks, sorted[0] / 4);
        while (near < count && sorted[near] <= within)
        {
            near++;
        }

        return (count < 10 ? 0 : sorted[count / 10] - sorted[0], near);
    }

    private long AppWaitLocked(long now)
    {
        var wait = _appPausedUntil - now;
        var margin = _marginTicks + ExtraMarginLocked(now);
        if (_appPerSecond > 0)
        {
            wait = Math.Max(wait, _app.Wait(now, _appPerSecond, TimeSpan.TicksPerSecond + margin, FastestLocked()));
        }

        if (_appPerMinute > 0)
        {
            wait = Math.Max(wait, _app.Wait(now, _appPerMinute, TimeSpan.TicksPerMinute + margin, FastestLocked()));
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
        wait = Math.Max(wait, receiver.LastRecorded + _receiverSpacingTicks - now);
        if (_receiverLimit > 0)
        {
            var margin = _marginTicks + ExtraMarginLocked(now);
            wait = Math.Max(wait, receiver.Sends.Wait(now, _receiverLimit, TimeSpan.TicksPerSecond + margin, FastestLocked()));
        }

        return wait;
    }

    private long ExtraMarginLocked(long now)
    {
        if (_extraMarginTicks == 0)
        {
            return 0;
        }

        var drained = (now - _extraRaisedAt) * (double)MarginStepTicks / StepDrainTicks;
        var left = _extraMarginTicks - (long)drained;
        if (left <= 0)
        {
            _extraMarginTicks = 0;
            return 0;
        }

        return left;
    }

    private void RaiseMarginLocked(long now)
    {
        _refusals++;
        if (_extraRaisedAt != 0 && now - _extraRaisedAt < RaiseAtMostEveryTicks)
        {
            return;
        }

        _extraMarginTicks = Math.Min(MarginCapTicks, ExtraMarginLocked(now) + MarginStepTicks);
        _extraRaisedAt = now;
    }

    // About once a second: drop records that can no longer count (answered, a minute and two margins old) and idle receivers.
    private void PruneLocked(long now)
    {
        if (now - _lastPrune < TimeSpan.TicksPerSecond)
        {
            return;
        }

        _lastPrune = now;
        var keep = TimeSpan.TicksPerMinute + (2 * (_marginTicks + MarginCapTicks));
        _app.Prune(now - keep + FastestLocked());
        var receiverKeep = TimeSpan.TicksPerSecond + (2 * (_marginTicks + MarginCapTicks));
        List<string>? idle = null;
        foreach (var pair in _receivers)
        {
            pair.Value.Sends.Prune(now - receiverKeep + FastestLocked());
            if (pair.Value.Sends.IsEmpty && pair.Value.PausedUntil <= now && pair.Value.LastRecorded < now - receiverKeep)
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

    /// <summary>One receiver: its recent sends, a pause, and when its last send was recorded.</summary>
    internal sealed class ReceiverState
    {
        public ArrivalWindow Sends { get; } = new();

        public long PausedUntil { get; set; }

        public long LastRecorded { get; set; }
    }
}

/// <summary>One send as the limiter counts it; the HTTP layer reports when it leaves and when it is answered.</summary>
internal sealed class SendRecord
{
    internal SendRecord(string? receiverKey, long recordedAt)
    {
        ReceiverKey = receiverKey;
        RecordedAt = recordedAt;
    }

    /// <summary>The receiver the send goes to, or null.</summary>
    public string? ReceiverKey { get; }

    // Clock ticks, guarded by the limiter's lock: recorded, started writing (0 = not yet), answered (0 = not yet),
    // and the latest it can have arrived by, once answered.
    internal long RecordedAt { get; }

    internal long LeftAt { get; set; }

    internal long AnsweredAt { get; set; }

    // When the answer's headers came back (0 = not yet), and whether the request found a kept-alive connection.
    internal long HeadersAt { get; set; }

    internal bool Warm { get; set; }

    // The answer time (or later, for a transport failure): the arrival estimate is this minus the fastest round trip.
    internal long AnswerKey { get; set; }

    internal RateLimiter.ReceiverState? Receiver { get; set; }

    // The arrival estimate as of now: the later of what is known and what not being answered yet implies.
    internal long Estimate(long now, long fastestRoundTrip)
    {
        if (AnsweredAt != 0)
        {
            return Math.Max(LeftAt, AnswerKey - fastestRoundTrip);
        }

        // Still waiting for a connection (or for its body): it arrives later than now.
        if (LeftAt == 0)
        {
            return now;
        }

        // On the wire and not answered: it may reach Lark as late as now minus the fastest round trip, or later.
        return Math.Max(LeftAt, now - fastestRoundTrip);
    }
}

/// <summary>
/// Sends by arrival estimate: answered ones sorted by their fixed estimate, unanswered ones (at most the requests in
/// flight) apart, since their estimate grows with the clock. Counting a window is a binary search plus a short scan.
/// </summary>
internal sealed class ArrivalWindow
{
    private readonly List<long> _answered = new();
    private readonly List<SendRecord> _unanswered = new();
    private readonly List<long> _scratch = new();

    public bool IsEmpty => _answered.Count == 0 && _unanswered.Count == 0;

    public void Add(SendRecord record) => _unanswered.Add(record);

    public void Answer(SendRecord record)
    {
        if (!_unanswered.Remove(record))
        {
            return;
        }

        var at = record.AnswerKey;
        var index = _answered.BinarySearch(at);
        _answered.Insert(index < 0 ? ~index : index, at);
    }

    /// <summary>Forgets answered sends whose answer key is before <paramref name="before"/>.</summary>
    public void Prune(long before)
    {
        var count = FirstAfter(before - 1);
        if (count > 0)
        {
            _answered.RemoveRange(0, count);
        }
    }

    /// <summary>Ticks until one more arrival at the earliest now keeps at most <paramref name="limit"/> in any <paramref name="length"/>.</summary>
    public long Wait(long now, int limit, long length, long fastestRoundTrip)
    {
        var since = now - length;

        // Answered sends are kept by answer key; their estimate is the key minus the fastest round trip.
        var first = FirstAfter(since + fastestRoundTrip);
        var count = _answered.Count - first;
        _scratch.Clear();
        foreach (var record in _unanswered)
        {
            var at = record.Estimate(now, fastestRoundTrip);
            if (at > since)
            {
                _scratch.Add(at);
            }
        }

        count += _scratch.Count;
        if (count < limit)
        {
            return 0;
        }

        // count − limit + 1 of them must leave the window: the (count − limit)-th earliest decides.
        _scratch.Sort();
        var k = count - limit;
        int a = first, b = 0;
        long kth = 0;
        for (var i = 0; i <= k; i++)
        {
            kth = b >= _scratch.Count || (a < _answered.Count && _answered[a] - fastestRoundTrip <= _scratch[b]) ? _answered[a++] - fastestRoundTrip : _scratch[b++];
        }

        return Math.Max(1, kth + length - now);
    }

    /// <summary>The earliest arrival estimate after <paramref name="since"/>, or <paramref name="since"/> when there is none.</summary>
    public long EarliestAfter(long since, long fastestRoundTrip)
    {
        var earliest = long.MaxValue;
        var first = FirstAfter(since + fastestRoundTrip);
        if (first < _answered.Count)
        {
            earliest = _answered[first] - fastestRoundTrip;
        }

        foreach (var record in _unanswered)
        {
            var at = record.Estimate(since, fastestRoundTrip);
            if (at > since && at < earliest)
            {
                earliest = at;
            }
        }

        return earliest == long.MaxValue ? since : earliest;
    }

    // Index of the first answered estimate greater than `at`.
    private int FirstAfter(long at)
    {
        int low = 0, high = _answered.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_answered[mid] > at)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }
}
