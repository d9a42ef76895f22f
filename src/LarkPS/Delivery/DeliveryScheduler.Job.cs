using System;
using LarkPS.Pacing;

namespace LarkPS.Delivery;

/// <summary>An accepted item as the scheduler holds it, and the verdict on a failed attempt.</summary>
internal sealed partial class DeliveryScheduler<TWork>
{
    /// <summary>One accepted item while the run holds it.</summary>
    internal sealed class Job
    {
        public Job(long id, TWork work, string? key)
        {
            Id = id;
            Work = work;
            Key = key;
        }

        public long Id { get; }

        public TWork Work { get; }

        public string? Key { get; }

        public int Attempts { get; set; }

        /// <summary>How many of the attempts Lark refused for a quota (they are retried until the deadline, not counted).</summary>
        public int QuotaRefusals { get; set; }

        public TimeSpan Waited { get; set; }

        public Exception? LastError { get; set; }

        /// <summary>The running attempt's place in the windows, carried by its request to the choke point; null between attempts.</summary>
        public PacingTicket? Ticket { get; set; }

        // Clock ticks before which the next attempt may not start, and whether it holds its receiver meanwhile.
        public long NotBefore { get; set; }

        public bool HoldsReceiver { get; set; }

        public bool IsFinished { get; set; }

        // Clock ticks of the item's deadline, set when its first attempt starts.
        public long DeadlineTicks { get; set; }

        // Clock ticks when the running attempt started, and the longest an attempt of this item has taken.
        public long AttemptStartedTicks { get; set; }

        public TimeSpan LongestAttempt { get; set; }

        /// <summary>Set by the engine when it cancelled the running attempt at the deadline.</summary>
        public bool CutByDeadline { get; set; }
    }

    /// <summary>What became of a failed attempt: Retrying (after Delay), Failed or Stopped, and why in words.</summary>
    internal readonly struct Verdict
    {
        public Verdict(DeliveryEventKind kind, string reason, TimeSpan delay, Exception? error = null)
        {
            Kind = kind;
            Reason = reason;
            Delay = delay;
            Error = error;
        }

        /// <summary>The error to report instead of the attempt's own (the item's deadline passed); null for the attempt's.</summary>
        public Exception? Error { get; }

        public DeliveryEventKind Kind { get; }

        public string Reason { get; }

        public TimeSpan Delay { get; }
    }
}
