using System;

namespace LarkPS.Delivery;

/// <summary>What a <see cref="DeliveryEvent{TWork, TResult}"/> reports.</summary>
internal enum DeliveryEventKind
{
    /// <summary>The work was delivered; <c>Result</c> holds what the send returned. Terminal.</summary>
    Succeeded,

    /// <summary>The work failed for good; <c>Exception</c> holds the last error. Terminal.</summary>
    Failed,

    /// <summary>An attempt failed and another follows after <c>Delay</c>; <c>Reason</c> says why (for -Verbose).</summary>
    Retrying,

    /// <summary>The work was accepted but not finished because the run was stopped. Terminal.</summary>
    Stopped,
}

/// <summary>One thing that happened to a work item, handed to the caller on its own thread by Submit and Complete.</summary>
/// <remarks>Every submitted work item gets exactly one terminal event (Succeeded, Failed or Stopped), and any number of Retrying events before it.</remarks>
internal sealed class DeliveryEvent<TWork, TResult>
{
    internal DeliveryEvent(DeliveryEventKind kind, TWork work, TResult? result, Exception? exception, int attempts, string? reason, TimeSpan delay)
    {
        Kind = kind;
        Work = work;
        Result = result;
        Exception = exception;
        Attempts = attempts;
        Reason = reason;
        Delay = delay;
    }

    /// <summary>What happened.</summary>
    public DeliveryEventKind Kind { get; }

    /// <summary>The work item as it was submitted.</summary>
    public TWork Work { get; }

    /// <summary>What the send returned (Succeeded only).</summary>
    public TResult? Result { get; }

    /// <summary>The final error (Failed), the error being retried (Retrying), or the last error before a stop, if any (Stopped).</summary>
    public Exception? Exception { get; }

    /// <summary>Send attempts made for this work so far (for Retrying: including the one that just failed).</summary>
    public int Attempts { get; }

    /// <summary>Why a retry happens or why the work failed, in words; null for Succeeded.</summary>
    public string? Reason { get; }

    /// <summary>The wait before the next attempt (Retrying only).</summary>
    public TimeSpan Delay { get; }

    /// <summary>True for Succeeded, Failed and Stopped: the work item's last event.</summary>
    public bool IsTerminal => Kind != DeliveryEventKind.Retrying;

    /// <inheritdoc />
    public override string ToString() => Reason is null ? $"{Kind} after {Attempts} attempt(s)" : $"{Kind}: {Reason}";
}
