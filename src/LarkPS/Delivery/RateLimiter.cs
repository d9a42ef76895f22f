using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Session;

namespace LarkPS.Delivery;

/// <summary>Client-side sliding windows (app per second, app per minute, per receiver per second) so Lark never has to refuse a send.</summary>
/// <remarks>
/// Thread-safe; one lock guards all state and every operation under it is O(1) amortized, so thousands of
/// acquires per second cost little. Waiting never spins: the caller sleeps on the clock for the computed wait and
/// checks again. Receiver keys are opaque, e.g. <c>open_id:ou_x</c> or <c>chat_id:oc_y</c>.
/// </remarks>
internal sealed class RateLimiter
{
    private readonly object _gate = new();
    private readonly IClock _clock;
    private readonly SlidingWindow? _appSecond;
    private readonly SlidingWindow? _appMinute;
    private readonly int _receiverLimit;
    private readonly long _receiverWindowTicks;
    private readonly Dictionary<string, ReceiverState> _receivers = new(StringComparer.Ordinal);
    private long _appPausedUntil;
    private long _lastPrune;

    /// <summary>Creates a limiter with the quotas and margin of <paramref name="options"/>.</summary>
    public RateLimiter(DeliveryOptions options, IClock clock)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        var margin = options.RateWindowMargin.Ticks;
        if (options.AppPerSecond > 0)
        {
            _appSecond = new SlidingWindow(options.AppPerSecond, TimeSpan.TicksPerSecond + margin);
        }

        if (options.AppPerMinute > 0)
        {
            _appMinute = new SlidingWindow(options.AppPerMinute, TimeSpan.TicksPerMinute + margin);
        }

        _receiverLimit = options.ReceiverPerSecond;
        _receiverWindowTicks = TimeSpan.TicksPerSecond + margin;
        _lastPrune = _clock.UtcNow.UtcTicks;
    }

    /// <summary>How many receivers the limiter holds state for (idle ones are pruned about once a window).</summary>
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

    /// <summary>Waits until every window has room for one more send to <paramref name="receiverKey"/>, then records it.</summary>
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
    /// Check and record happen under one lock, so two callers can never both take the last slot.
    /// </summary>
    public bool TryAcquire(string? receiverKey, out TimeSpan wait)
    {
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            ReceiverState? receiver = null;
            if (receiverKey is not null)
            {
                _receivers.TryGetValue(receiverKey, out receiver);
            }

            var waitTicks = WaitTicksLocked(now, receiver);
            if (waitTicks > 0)
            {
                wait = RoundUpToMilliseconds(waitTicks);
                return false;
            }

            _appSecond?.Record(now);
            _appMinute?.Record(now);
            if (receiverKey is not null && _receiverLimit > 0)
            {
                if (receiver is null)
                {
                    receiver = new ReceiverState(_receiverLimit);
                    _receivers.Add(receiverKey, receiver);
                }

                receiver.Window.Record(now);
            }

            PruneLocked(now);
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

            return RoundUpToMilliseconds(WaitTicksLocked(now, receiver));
        }
    }

    /// <summary>Stops every send for <paramref name="duration"/> (after a 429 with x-ogw-ratelimit-reset). Pauses never shorten.</summary>
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

    /// <summary>Stops sends to one receiver for <paramref name="duration"/> (after Lark's 230020). Pauses never shorten.</summary>
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
                receiver = new ReceiverState(Math.Max(_receiverLimit, 1));
                _receivers.Add(receiverKey, receiver);
            }

            receiver.PausedUntil = Math.Max(receiver.PausedUntil, now + duration.Ticks);
            PruneLocked(now);
        }
    }

    private long WaitTicksLocked(long now, ReceiverState? receiver)
    {
        var wait = _appPausedUntil - now;
        if (_appSecond is not null)
        {
            wait = Math.Max(wait, _appSecond.WaitTicks(now));
        }

        if (_appMinute is not null)
        {
            wait = Math.Max(wait, _appMinute.WaitTicks(now));
        }

        if (receiver is not null)
        {
            wait = Math.Max(wait, receiver.PausedUntil - now);
            if (_receiverLimit > 0)
            {
                wait = Math.Max(wait, receiver.Window.WaitTicks(now, _receiverWindowTicks));
            }
        }

        return wait;
    }

    // A sweep at most once per receiver window keeps the dictionary to the receivers of the last two windows
    // (bounded by the app rate) plus those still paused, whatever number of distinct receivers streams through.
    private void PruneLocked(long now)
    {
        if (now - _lastPrune < _receiverWindowTicks || _receivers.Count == 0)
        {
            return;
        }

        _lastPrune = now;
        List<string>? idle = null;
        foreach (var pair in _receivers)
        {
            if (pair.Value.PausedUntil <= now && pair.Value.Window.IsIdle(now, _receiverWindowTicks))
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

    /// <summary>The send times of the last window for the whole app: a queue that only grows to the number of recent sends.</summary>
    private sealed class SlidingWindow
    {
        private readonly int _limit;
        private readonly long _windowTicks;
        private readonly Queue<long> _sends = new();

        public SlidingWindow(int limit, long windowTicks)
        {
            _limit = limit;
            _windowTicks = windowTicks;
        }

        public long WaitTicks(long now)
        {
            while (_sends.Count > 0 && now - _sends.Peek() >= _windowTicks)
            {
                _sends.Dequeue();
            }

            return _sends.Count < _limit ? 0 : _sends.Peek() + _windowTicks - now;
        }

        public void Record(long now) => _sends.Enqueue(now);
    }

    /// <summary>One receiver: a fixed ring of its last <c>limit</c> send times, and a pause.</summary>
    private sealed class ReceiverState
    {
        public ReceiverState(int limit) => Window = new Ring(limit);

        public Ring Window { get; }

        public long PausedUntil { get; set; }
    }

    /// <summary>The last N send times, oldest at <c>_next</c> once full.</summary>
    private sealed class Ring
    {
        private readonly long[] _times;
        private int _count;
        private int _next;

        public Ring(int capacity) => _times = new long[capacity];

        public long WaitTicks(long now, long windowTicks)
        {
            if (_count < _times.Length)
            {
                return 0;
            }

            var oldest = _times[_next];
            return Math.Max(0, oldest + windowTicks - now);
        }

        public void Record(long now)
        {
            _times[_next] = now;
            _next = (_next + 1) % _times.Length;
            if (_count < _times.Length)
            {
                _count++;
            }
        }

        public bool IsIdle(long now, long windowTicks)
        {
            if (_count == 0)
            {
                return true;
            }

            var newest = _times[(_next + _times.Length - 1) % _times.Length];
            return now - newest >= windowTicks;
        }
    }
}
