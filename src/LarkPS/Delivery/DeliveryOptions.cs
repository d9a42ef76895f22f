using System;
using System.Globalization;

namespace LarkPS.Delivery;

/// <summary>The knobs of the delivery engine: concurrency, Lark's quotas, retry limits and stop behaviour.</summary>
/// <remarks>
/// Every setter checks its range at once, so a bad value fails where it is set, not deep inside a send.
/// The engine, the limiter and the retry policy read the values when they are built; later changes do not reach them.
/// </remarks>
internal sealed class DeliveryOptions
{
    // At 50/s and a real-world latency of 150–300 ms, 50 × 0.3 = 15 requests must be in flight to use the
    // whole quota; 16 covers that with one to spare, and stays far below what a server would call abusive.
    private int _throttleLimit = 16;
    private int? _maxPending;
    private int _appPerSecond = 50;
    private int _appPerMinute = 1000;
    private int _receiverPerSecond = 5;
    private TimeSpan _rateWindowMargin = TimeSpan.FromMilliseconds(25);
    private int _maxAttempts = 8;
    private TimeSpan _maxTotalRetryWait = TimeSpan.FromMinutes(2);
    private TimeSpan _baseBackoff = TimeSpan.FromMilliseconds(500);
    private TimeSpan _maxBackoff = TimeSpan.FromSeconds(30);
    private TimeSpan _stopGracePeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>HTTP requests in flight at once (concurrent send attempts). 1–1024, default 16.</summary>
    public int ThrottleLimit
    {
        get => _throttleLimit;
        set => _throttleLimit = CheckRange(value, 1, 1024, nameof(ThrottleLimit));
    }

    /// <summary>
    /// Work items accepted and not yet finished: in flight, waiting for the rate limiter, or backing off before a retry.
    /// Submit blocks at this many. Default 4 × <see cref="ThrottleLimit"/>; never less than ThrottleLimit in effect.
    /// </summary>
    /// <remarks>
    /// Larger than ThrottleLimit so that items held back by one receiver's 5/s limit or by a backoff do not occupy
    /// the HTTP slots that items for other receivers could use (no head-of-line blocking), while memory stays
    /// O(ThrottleLimit).
    /// </remarks>
    public int MaxPending
    {
        get => Math.Max(_maxPending ?? 4 * _throttleLimit, _throttleLimit);
        set => _maxPending = CheckRange(value, 1, 65536, nameof(MaxPending));
    }

    /// <summary>Sends per second for the whole app. 0 turns the window off. Default 50 (Lark's quota).</summary>
    public int AppPerSecond
    {
        get => _appPerSecond;
        set => _appPerSecond = CheckRange(value, 0, 100_000, nameof(AppPerSecond));
    }

    /// <summary>Sends per minute for the whole app. 0 turns the window off. Default 1000 (Lark's quota).</summary>
    public int AppPerMinute
    {
        get => _appPerMinute;
        set => _appPerMinute = CheckRange(value, 0, 6_000_000, nameof(AppPerMinute));
    }

    /// <summary>Sends per second to one user or into one chat. 0 turns the window off. Default 5 (Lark's quota).</summary>
    public int ReceiverPerSecond
    {
        get => _receiverPerSecond;
        set => _receiverPerSecond = CheckRange(value, 0, 10_000, nameof(ReceiverPerSecond));
    }

    /// <summary>
    /// Added to every rate window so network jitter cannot push two sends a window apart closer together on Lark's side.
    /// 0–1 s, default 25 ms: a 1 s window is kept as 1.025 s, which still allows 50 / 1.025 = 48.8 sends/s sustained.
    /// </summary>
    public TimeSpan RateWindowMargin
    {
        get => _rateWindowMargin;
        set => _rateWindowMargin = CheckRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(1), nameof(RateWindowMargin));
    }

    /// <summary>Attempts per work item, the first included. 1–100, default 8.</summary>
    public int MaxAttempts
    {
        get => _maxAttempts;
        set => _maxAttempts = CheckRange(value, 1, 100, nameof(MaxAttempts));
    }

    /// <summary>Total time one work item may spend waiting between attempts. 0–1 day, default 2 min.</summary>
    public TimeSpan MaxTotalRetryWait
    {
        get => _maxTotalRetryWait;
        set => _maxTotalRetryWait = CheckRange(value, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(MaxTotalRetryWait));
    }

    /// <summary>The backoff cap before the first retry; it doubles with each attempt. 1 ms–10 min, default 500 ms.</summary>
    public TimeSpan BaseBackoff
    {
        get => _baseBackoff;
        set => _baseBackoff = CheckRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10), nameof(BaseBackoff));
    }

    /// <summary>The largest backoff between two attempts. 1 ms–1 h, default 30 s.</summary>
    public TimeSpan MaxBackoff
    {
        get => _maxBackoff;
        set => _maxBackoff = CheckRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), nameof(MaxBackoff));
    }

    /// <summary>How long requests in flight may still finish after a stop before they are cancelled. 0–10 s, default 500 ms.</summary>
    public TimeSpan StopGracePeriod
    {
        get => _stopGracePeriod;
        set => _stopGracePeriod = CheckRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(10), nameof(StopGracePeriod));
    }

    private static int CheckRange(int value, int min, int max, string name) =>
        value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(value),
                value,
                string.Format(CultureInfo.InvariantCulture, "{0} must be between {1} and {2}; it was {3}.", name, min, max, value));

    private static TimeSpan CheckRange(TimeSpan value, TimeSpan min, TimeSpan max, string name) =>
        value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(value),
                value,
                string.Format(CultureInfo.InvariantCulture, "{0} must be between {1} and {2}; it was {3}.", name, min, max, value));
}
