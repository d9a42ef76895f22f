using System;

namespace LarkPS.Session;

/// <summary>What one Send-LarkMessage run did: readable afterwards from Get-LarkConnection, even after Ctrl+C.</summary>
public sealed class DeliverySummary
{
    public DeliverySummary(DateTimeOffset startedAt, DateTimeOffset endedAt, long submitted, long sent, long failed, long stopped, long retries, double messagesPerSecond, bool wasStopped)
    {
        StartedAt = startedAt;
        EndedAt = endedAt;
        Submitted = submitted;
        Sent = sent;
        Failed = failed;
        Unconfirmed = stopped;
        Retries = retries;
        MessagesPerSecond = messagesPerSecond;
        WasStopped = wasStopped;
    }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset EndedAt { get; }

    /// <summary>Items accepted for delivery (valid, confirmed).</summary>
    public long Submitted { get; }

    /// <summary>Items Lark accepted.</summary>
    public long Sent { get; }

    /// <summary>Items that failed for good.</summary>
    public long Failed { get; }

    /// <summary>Items a stop cut off before Lark answered: sending them again with the same uuid cannot double them.</summary>
    public long Unconfirmed { get; }

    /// <summary>Attempts repeated after a transient failure.</summary>
    public long Retries { get; }

    public double MessagesPerSecond { get; }

    /// <summary>True where the run was stopped (Ctrl+C).</summary>
    public bool WasStopped { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Sent} sent, {Failed} failed, {Unconfirmed} unconfirmed{(WasStopped ? " (stopped)" : string.Empty)}";
}
