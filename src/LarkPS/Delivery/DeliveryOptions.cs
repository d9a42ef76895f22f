using System;
using System.Globalization;
using LarkPS.Pacing;

namespace LarkPS.Delivery;

/// <summary>What one delivery run (and its connection) chose: concurrency, Lark's quotas, retry limits, deadline and stop behaviour.</summary>
/// <remarks>
/// Every setter checks its range at once, so a bad value fails where it is set, not deep inside a send. The figures
/// themselves, and where each comes from, live in <see cref="PacingOptions"/> (<see cref="Pacing"/>): the quotas and
/// retry limits set here are kept there. The engine, the limiter and the retry policy read the values when they are
/// built; later changes do not reach them.
/// </remarks>
internal sealed class DeliveryOptions
{
    private int _throttleLimit;
    private bool _throttleLimitSet;
    private int? _maxPending;

    /// <summary>Every figure of the run, its quotas and retry limits included.</summary>
    public PacingOptions Pacing { get; } = new();

    /// <summary>
    /// HTTP requests in flight at once (concurrent send attempts). 1–1024. When never set, the scheduler sizes it to
    /// the measured round trip (see <see cref="IsThrottleLimitAuto"/>), from <see cref="PacingOptions.AutoThrottleFloor"/>
    /// up to <see cref="PacingOptions.AutoThrottleCap"/>, which is what this reads then.
    /// </summary>
    public int ThrottleLimit
    {
        get => _throttleLimitSet ? _throttleLimit : Pacing.AutoThrottleCap;
        set
        {
            _throttleLimit = CheckRange(value, 1, 1024, nameof(ThrottleLimit));
            _throttleLimitSet = true;
        }
    }

    /// <summary>True while ThrottleLimit was not set: requests in flight follow the measured round trip.</summary>
    public bool IsThrottleLimitAuto => !_throttleLimitSet;

    /// <summary>
    /// Work items accepted and not yet finished: in flight, waiting for the rate limiter, or backing off before a retry.
    /// Submit blocks at this many. Default <see cref="PacingOptions.LookAhead"/> (and never less than
    /// <see cref="PacingOptions.LookAheadPerThrottle"/> × ThrottleLimit): how far ahead in the input the scheduler looks.
    /// </summary>
    public int MaxPending
    {
        get => Math.Max(_maxPending ?? Math.Max(Pacing.LookAhead, Pacing.LookAheadPerThrottle * ThrottleLimit), ThrottleLimit);
        set => _maxPending = CheckRange(value, 1, 65536, nameof(MaxPending));
    }

    /// <summary>Sends per second for the whole app. 0 turns the window off. Default 50 (Lark's quota).</summary>
    public int AppPerSecond
    {
        get => Pacing.AppPerSecond;
        set => Pacing.AppPerSecond = CheckRange(value, 0, 100_000, nameof(AppPerSecond));
    }

    /// <summary>Sends per minute for the whole app. 0 turns the window off. Default 1000 (Lark's quota).</summary>
    public int AppPerMinute
    {
        get => Pacing.AppPerMinute;
        set => Pacing.AppPerMinute = CheckRange(value, 0, 6_000_000, nameof(AppPerMinute));
    }

    /// <summary>Sends per second to one user or into one chat. 0 turns the window off. Default 5 (Lark's quota).</summary>
    public int ReceiverPerSecond
    {
        get => Pacing.ReceiverPerSecond;
        set => Pacing.ReceiverPerSecond = CheckRange(value, 0, 10_000, nameof(ReceiverPerSecond));
    }

    /// <summary>
    /// Added to every rate window on top of the arrival estimates (which already follow each answer's round trip), for
    /// what those cannot see. 0–1 s, default <see cref="PacingOptions.RateWindowMargin"/>. Quota refusals widen it for a while (the limiter learns).
    /// </summary>
    public TimeSpan RateWindowMargin
    {
        get => Pacing.RateWindowMargin;
        set => Pacing.RateWindowMargin = CheckRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(1), nameof(RateWindowMargin));
    }

    /// <summary>Attempts per work item, the first included. 1–100, default 8.</summary>
    public int MaxAttempts
    {
        get => Pacing.MaxAttempts;
        set => Pacing.MaxAttempts = CheckRange(value, 1, 100, nameof(MaxAttempts));
    }

    /// <summary>Total time one work item may spend waiting between attempts. 0–1 day, default 2 min.</summary>
    public TimeSpan MaxTotalRetryWait
    {
        get => Pacing.MaxTotalRetryWait;
        set => Pacing.MaxTotalRetryWait = CheckRange(value, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(MaxTotalRetryWait));
    }

    /// <summary>The backoff cap before the first retry; it doubles with each attempt. 1 ms–10 min, default 500 ms.</summary>
    public TimeSpan BaseBackoff
    {
        get => Pacing.BaseBackoff;
        set => Pacing.BaseBackoff = CheckRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10), nameof(BaseBackoff));
    }

    /// <summary>The largest backoff between two attempts. 1 ms–1 h, default 30 s.</summary>
    public TimeSpan MaxBackoff
    {
        get => Pacing.MaxBackoff;
        set => Pacing.MaxBackoff = CheckRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), nameof(MaxBackoff));
    }

    /// <summary>
    /// One total time per work item from its first attempt's start: request timeouts and waits between attempts
    /// alike. An attempt still running at the deadline is cancelled; a wait Lark asks for (or a backoff) that would end
    /// after it fails the item at once. 1 ms–1 day, default 2 min (what the README promises).
    /// </summary>
    public TimeSpan ItemDeadline
    {
        get => Pacing.ItemDeadline;
        set => Pacing.ItemDeadline = CheckRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), nameof(ItemDeadline));
    }

    /// <summary>How long requests in flight may still finish after a stop before they are cancelled. 0–10 s, default 500 ms.</summary>
    public TimeSpan StopGracePeriod
    {
        get => Pacing.StopGracePeriod;
        set => Pacing.StopGracePeriod = CheckRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(10), nameof(StopGracePeriod));
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
