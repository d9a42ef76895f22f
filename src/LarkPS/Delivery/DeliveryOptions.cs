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
    // Without an explicit ThrottleLimit the scheduler sizes the requests in flight to the measured round trip,
    // between 16 and this bound: a whole 50-send window at once at 300 ms still fits, and no server calls 64 abusive.
    private const int AutoThrottleCap = 64;
    private int _throttleLimit = 16;
    private bool _throttleLimitSet;
    private int? _maxPending;
    private TimeSpan _receiverSpacing = TimeSpan.Zero;
    private int _appPerSecond = 50;
    private int _appPerMinute = 1000;
    private int _receiverPerSecond = 5;
    private TimeSpan _rateWindowMargin = TimeSpan.FromMilliseconds(5);
    private int _maxAttempts = 8;
    private TimeSpan _maxTotalRetryWait = TimeSpan.FromMinutes(2);
    private TimeSpan _baseBackoff = TimeSpan.FromMilliseconds(500);
    private TimeSpan _maxBackoff = TimeSpan.FromSeconds(30);
    private TimeSpan _stopGracePeriod = TimeSpan.FromMilliseconds(500);
    private TimeSpan _itemDeadline = TimeSpan.FromMinutes(2);

    /// <summary>
    /// HTTP requests in flight at once (concurrent send attempts). 1–1024. When never set, the scheduler sizes it to
    /// the measured round trip (see <see cref="IsThrottleLimitAuto"/>), from 16 up to <see cref="AutoThrottleLimitCap"/>.
    /// </summary>
    public int ThrottleLimit
    {
        get => _throttleLimitSet ? _throttleLimit : AutoThrottleCap;
        set
        {
            _throttleLimit = CheckRange(value, 1, 1024, nameof(ThrottleLimit));
            _throttleLimitSet = true;
        }
    }

    /// <summary>True while ThrottleLimit was not set: requests in flight follow the measured round trip.</summary>
    public bool IsThrottleLimitAuto => !_throttleLimitSet;

    /// <summary>The most requests in flight the automatic sizing uses.</summary>
    public static int AutoThrottleLimitCap => AutoThrottleCap;

    /// <summary>
    /// Work items accepted and not yet finished: in flight, waiting for the rate limiter, or backing off before a retry.
    /// Submit blocks at this many. Default 1000 (and never less than 4 × ThrottleLimit).
    /// </summary>
    /// <remarks>
    /// Far larger than ThrottleLimit: this is how far ahead in the input the scheduler looks. Input grouped by receiver
    /// (15 in a row to one chat) needs at least 10 receivers' items in view to keep the app's 50/s busy at 5/s per
    /// receiver; 1000 items cover 66 such groups, and items held back by one receiver or by a backoff never occupy the
    /// HTTP slots others could use. Memory stays bounded: about a kilobyte per item.
    /// </remarks>
    public int MaxPending
    {
        get => Math.Max(_maxPending ?? Math.Max(1000, 4 * ThrottleLimit), ThrottleLimit);
        set => _maxPending = CheckRange(value, 1, 65536, nameof(MaxPending));
    }

    /// <summary>
    /// Least time between two sends to one receiver, so messages to one chat also ARRIVE in input order despite network
    /// jitter (five sent at one instant may reach Lark in any order). 0–1 s, default 0: spacing spreads the app's quota
    /// over every receiver at once, which slows input grouped by receiver by a fifth; attempts still START in order.
    /// </summary>
    public TimeSpan ReceiverSpacing
    {
        get => _receiverSpacing;
        set => _receiverSpacing = CheckRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(1), nameof(ReceiverSpacing));
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
    /// Added to every rate window on top of the arrival estimates (which already follow each answer's round trip), for
    /// what those cannot see (timers that fire a millisecond early, on either side, and clock granularity). 0–1 s, default 5 ms. Quota refusals widen it for a while (the limiter learns).
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

    /// <summary>
    /// One total time per work item from its first attempt's start: request timeouts and waits between attempts
    /// alike. An attempt still running at the deadline is cancelled; a wait Lark asks for (or a backoff) that would end
    /// after it fails the item at once. 1 ms–1 day, default 2 min (what the README promises).
    /// </summary>
    public TimeSpan ItemDeadline
    {
        get => _itemDeadline;
        set => _itemDeadline = CheckRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), nameof(ItemDeadline));
    }

    /// <summary>How long requests in flight may still finish after a stop before they are cancelled. 0–10 s, default 500 ms.</summary>
    public TimeSpan StopGracePeriod
    {
        get => _stopGracePeriod;
        set => _stopGracePeriod = CheckRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(10), nameof(StopGracePeriod));
    }

    /// <summary>
    /// Under -ErrorAction Stop: from the first item that fails for good, no attempt starts (items waiting are reported
    /// Stopped); attempts in flight finish and report as usual. Default false: one failed item never stops the others.
    /// </summary>
    public bool StopAtFirstFailure { get; set; }

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
