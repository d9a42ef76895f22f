using System;

namespace LarkPS.Session;

/// <summary>What one Send-LarkMessage run did: readable afterwards from Get-LarkConnection, even after Ctrl+C.</summary>
public sealed class DeliverySummary
{
    internal DeliverySummary(DateTimeOffset startedAt, DateTimeOffset endedAt, long submitted, long sent, long failed, long stopped, long retries, double messagesPerSecond, bool wasStopped, UnconfirmedMessage[] unconfirmedItems)
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
        UnconfirmedItems = unconfirmedItems ?? Array.Empty<UnconfirmedMessage>();
    }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset EndedAt { get; }

    /// <summary>Items given to Send-LarkMessage, invalid ones included (not those skipped by -WhatIf or -Confirm).</summary>
    public long Submitted { get; }

    /// <summary>Items Lark accepted.</summary>
    public long Sent { get; }

    /// <summary>Items that failed for good, invalid ones included.</summary>
    public long Failed { get; }

    /// <summary>Messages a stop (Ctrl+C, -ErrorAction Stop) left without Lark's confirmation: never started, or sent and not answered.</summary>
    public long Unconfirmed { get; }

    /// <summary>
    /// Each unconfirmed message: its input item, receiver, content, uuid, and whether it was never started or may have
    /// arrived. <c>(Get-LarkConnection).LastDelivery.UnconfirmedItems | Send-LarkMessage</c> sends them again with
    /// their uuids, so Lark delivers each at most once.
    /// </summary>
#pragma warning disable CA1819 // A plain array reads best in PowerShell output.
    public UnconfirmedMessage[] UnconfirmedItems { get; }
#pragma warning restore CA1819

    /// <summary>Attempts repeated after a transient failure.</summary>
    public long Retries { get; }

    public double MessagesPerSecond { get; }

    /// <summary>True where the run was stopped (Ctrl+C).</summary>
    public bool WasStopped { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Sent} sent, {Failed} failed, {Unconfirmed} unconfirmed{(WasStopped ? " (stopped)" : string.Empty)}";
}
