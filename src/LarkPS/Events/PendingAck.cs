using System;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Events;

/// <summary>
/// The acknowledgement of one taken event, held until the pipeline thread takes the event (or
/// <see cref="EventOptions.AckHold"/> passes, whichever comes first) and then sent once with code 200. An event the
/// pipeline never took because the command stopped (Select-Object -First, -Timeout, Ctrl+C) is refused instead:
/// answered "not handled" (code 500) and forgotten, so Lark pushes it again and a later command writes it. Before,
/// every taken event was acknowledged on arrival, and those still queued when the pipeline ended were lost.
/// </summary>
internal sealed class PendingAck
{
    private const int Waiting = 0;
    private const int Claimed = 1;
    private const int Acknowledged = 2;
    private const int Refused = 3;

    private readonly TaskCompletionSource<bool> _claimed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EventMemory _memory;
    private readonly ReceivedEvent _received;
    private int _state;

    public PendingAck(ReceivedEvent received, EventMemory memory, LarkFrame frame, DateTimeOffset arrived)
    {
        _received = received;
        _memory = memory;
        Frame = frame;
        Arrived = arrived;
        received.Ack = this;
    }

    /// <summary>The event.</summary>
    public ReceivedEvent Received => _received;

    /// <summary>The frame that completed the event: its acknowledgement echoes it.</summary>
    public LarkFrame Frame { get; }

    /// <summary>When the frame arrived (biz_rt counts from here).</summary>
    public DateTimeOffset Arrived { get; }

    /// <summary>The task that sends the acknowledgement once the event is taken (a stop waits for it before closing).</summary>
    public Task? Acknowledging { get; set; }

    /// <summary>Completes when the pipeline thread has taken the event.</summary>
    public Task WhenClaimed => _claimed.Task;

    /// <summary>The pipeline thread takes the event: true when it may be written (it was not refused).</summary>
    public bool Claim()
    {
        var was = Interlocked.CompareExchange(ref _state, Claimed, Waiting);
        if (was == Waiting)
        {
            _claimed.TrySetResult(true);
            return true;
        }

        return was != Refused;
    }

    /// <summary>The acknowledgement may go out (code 200): true once, unless the event was refused first.</summary>
    public bool TryAcknowledge()
    {
        var was = Interlocked.CompareExchange(ref _state, Acknowledged, Waiting);
        if (was == Waiting)
        {
            return true;
        }

        return was == Claimed && Interlocked.CompareExchange(ref _state, Acknowledged, Claimed) == Claimed;
    }

    /// <summary>
    /// The command stops before the pipeline took the event, and nothing was acknowledged yet: true when the caller
    /// should answer "not handled". The event is forgotten, so Lark's next push of it is taken, not dropped as a duplicate.
    /// </summary>
    public bool TryRefuse()
    {
        if (Interlocked.CompareExchange(ref _state, Refused, Waiting) != Waiting)
        {
            return false;
        }

        _memory.Forget(_received.EventId, _received.MessageId);
        return true;
    }
}
