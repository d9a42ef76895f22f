using System;

namespace LarkPS.Delivery;

/// <summary>A snapshot of a delivery run's counters, for progress and the final summary.</summary>
internal sealed class DeliveryStatistics
{
    internal DeliveryStatistics(
        long submitted,
        long succeeded,
        long failed,
        long stopped,
        long retries,
        int inFlight,
        int pending,
        DateTimeOffset? startedAt,
        TimeSpan elapsed)
    {
        Submitted = submitted;
        Succeeded = succeeded;
        Failed = failed;
        Stopped = stopped;
        Retries = retries;
        InFlight = inFlight;
        Pending = pending;
        StartedAt = startedAt;
        Elapsed = elapsed;
    }

    /// <summary>Work items given to Submit.</summary>
    public long Submitted { get; }

    /// <summary>Work items delivered.</summary>
    public long Succeeded { get; }

    /// <summary>Work items that failed for good.</summary>
    public long Failed { get; }

    /// <summary>Work items reported Stopped.</summary>
    public long Stopped { get; }

    /// <summary>Retries scheduled, over all work items.</summary>
    public long Retries { get; }

    /// <summary>Send attempts (HTTP requests) running right now.</summary>
    public int InFlight { get; }

    /// <summary>Work items accepted and not yet finished (in flight, waiting for the limiter, or backing off).</summary>
    public int Pending { get; }

    /// <summary>When the first work item was submitted; null before that.</summary>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>Time since <see cref="StartedAt"/>.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Delivered messages per second since <see cref="StartedAt"/>.</summary>
    public double MessagesPerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;
}
