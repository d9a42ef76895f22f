namespace LarkPS.Sandbox.Events;

/// <summary>One push of one event to one connection, and what the client answered (or did not).</summary>
public sealed class PushAttempt
{
    public required int Number { get; init; }
    public required string? DeviceId { get; init; }
    public required string FrameMessageId { get; init; }
    /// <summary>When the frame left (its last fragment written to the socket); the 3 s deadline counts from here.</summary>
    public required DateTimeOffset SentAt { get; set; }
    public int Fragments { get; init; } = 1;
    public DateTimeOffset? AckedAt { get; set; }
    public int? AckCode { get; set; }

    /// <summary>The card callback's answer, decoded from the ack's base64 data.</summary>
    public string? AnswerJson { get; set; }

    /// <summary>biz_rt as the client reported it.</summary>
    public string? BizRt { get; set; }

    /// <summary>pending, acked, late (after the deadline), refused (code ≠ 200), no-ack, no-connection.</summary>
    public string Outcome { get; set; } = "pending";
}

/// <summary>An event the sandbox published, with every push of it.</summary>
public sealed class EventDelivery
{
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required byte[] Payload { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    public List<PushAttempt> Attempts { get; } = [];

    /// <summary>pending, acked, failed (every retry used).</summary>
    public string Status { get; set; } = "pending";

    /// <summary>Completes with the first push acknowledged in time with code 200 (a card action's answer is on it), or null when every push failed.</summary>
    internal TaskCompletionSource<PushAttempt?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One WebSocket a client opened.</summary>
public sealed class EventConnectionRecord
{
    public required string DeviceId { get; init; }
    public required int ServiceId { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>clean (close frame), dropped (by a fault or control call), lost (the client vanished).</summary>
    public string? HowClosed { get; set; }
    public int Pings { get; set; }
    public int Acks { get; set; }

    /// <summary>Frames the client sent that break the protocol (wrong service id, missing headers, not a frame).</summary>
    public List<string> ProtocolErrors { get; } = [];
}
