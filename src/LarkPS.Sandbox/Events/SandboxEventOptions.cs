namespace LarkPS.Sandbox.Events;

/// <summary>
/// How the sandbox's long connection behaves (issue 21): the ClientConfig it hands out, Lark's 3 s acknowledgement
/// deadline, the redelivery schedule (Lark's 15 s, 5 min, 1 h, 6 h; tests shorten it), fragmentation and the limits.
/// </summary>
public sealed class SandboxEventOptions
{
    /// <summary>ClientConfig.PingInterval in seconds (Lark's default 120).</summary>
    public int PingInterval { get; set; } = 120;

    /// <summary>ClientConfig.ReconnectCount (-1: no limit).</summary>
    public int ReconnectCount { get; set; } = -1;

    /// <summary>ClientConfig.ReconnectInterval in seconds.</summary>
    public int ReconnectInterval { get; set; } = 120;

    /// <summary>ClientConfig.ReconnectNonce in seconds.</summary>
    public int ReconnectNonce { get; set; } = 30;

    /// <summary>Whether a pong carries the ClientConfig (clients adopt it).</summary>
    public bool PongCarriesConfig { get; set; } = true;

    /// <summary>Lark's deadline: an event not acknowledged with code 200 within it counts as failed and is pushed again.</summary>
    public TimeSpan AckDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The waits before each redelivery of a failed push (Lark: 15 s, 5 min, 1 h, 6 h; at most 4 retries).</summary>
#pragma warning disable CA2227 // Tests and the control API replace the whole schedule.
    public List<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(6)];
#pragma warning restore CA2227

    /// <summary>Split event payloads larger than this many bytes into fragments (sum &gt; 1); 0 never splits.</summary>
    public int FragmentBytes { get; set; }

    /// <summary>Lark allows 50 connections per app.</summary>
    public int MaxConnections { get; set; } = 50;

    /// <summary>A fault: the endpoint answers this Lark code (1, 403, 514, 1000040343, 1000040350…) this many times.</summary>
    public int EndpointCode { get; set; }

    public int EndpointCodeTimes { get; set; }

    /// <summary>Send card.action.trigger in frames of type "card" instead of "event" (whether Lark does is UNCONFIRMED; the SDKs take only "event").</summary>
    public bool CardFramesTyped { get; set; }

    /// <summary>A fault: after this many more data frames are sent, the connection that sent the last one is dropped (no close frame).</summary>
    public int DropAfterFrames { get; set; }
}
