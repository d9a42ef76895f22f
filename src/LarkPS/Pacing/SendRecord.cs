using System;

namespace LarkPS.Pacing;

/// <summary>One call as the limiter counts it; the HTTP layer reports, through its <see cref="PacingTicket"/>, when it leaves and when it is answered.</summary>
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

    // Lark refused it for a quota (issue 24): it took no slot there and was taken out of the windows it did not fill.
    internal bool Refused { get; set; }

    // Its place in the machine's shared file (issue 24), 0 when none: the answer publishes its arrival estimate there.
    internal long SharedSequence { get; set; }

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
