using System;
using System.Text.Json;

namespace LarkPS.Events;

/// <summary>
/// The long connection's timing, as Lark gives it in the endpoint answer's <c>ClientConfig</c> and may change in a pong:
/// how often to ping, and how to reconnect. Seconds on the wire; the defaults are the Node SDK's.
/// </summary>
internal sealed class EventClientConfig
{
    /// <summary>Seconds between pings (node's default 120).</summary>
    public double PingInterval { get; private set; } = 120;

    /// <summary>Reconnect attempts after a drop; -1 for no limit (node's default).</summary>
    public int ReconnectCount { get; private set; } = -1;

    /// <summary>Seconds between two failed reconnect attempts (node's default 120).</summary>
    public double ReconnectInterval { get; private set; } = 120;

    /// <summary>The most seconds of random wait before the first reconnect attempt, so a fleet does not reconnect at once (node's default 30).</summary>
    public double ReconnectNonce { get; private set; } = 30;

    /// <summary>Adopts the fields present in a ClientConfig object (endpoint answer or pong), leaving the others as they were.</summary>
    /// <returns>True where a field changed; false where none did, or <paramref name="config"/> is not an object.</returns>
    public bool Adopt(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var before = (PingInterval, ReconnectInterval, ReconnectNonce, ReconnectCount);
        PingInterval = Seconds(config, nameof(PingInterval), PingInterval, minimum: 1);
        ReconnectInterval = Seconds(config, nameof(ReconnectInterval), ReconnectInterval, minimum: 0);
        ReconnectNonce = Seconds(config, nameof(ReconnectNonce), ReconnectNonce, minimum: 0);
        if (config.TryGetProperty(nameof(ReconnectCount), out var count) && count.ValueKind == JsonValueKind.Number && count.TryGetInt32(out var n))
        {
            ReconnectCount = n < 0 ? -1 : n;
        }

        return before != (PingInterval, ReconnectInterval, ReconnectNonce, ReconnectCount);
    }

    /// <summary>For -Verbose: the numbers, no secret among them.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"ping every {PingInterval:0.###} s, reconnect after 0..{ReconnectNonce:0.###} s then every {ReconnectInterval:0.###} s, {(ReconnectCount < 0 ? "no limit" : ReconnectCount + " tries")}");

    // A value Lark sends that makes no sense (negative, not a number) is ignored rather than obeyed: pinging every 0 s
    // would flood the connection.
    private static double Seconds(JsonElement config, string name, double current, double minimum) =>
        config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            && seconds >= minimum && seconds <= 24 * 3600
            ? seconds
            : current;
}

/// <summary>
/// The long connection's numbers that are LarkPS's own choice, each with where it comes from. Lark's own timing
/// (ping, reconnect) is in <see cref="EventClientConfig"/>.
/// </summary>
internal sealed class EventOptions
{
    /// <summary>Lark's documented limit: an event is handled within 3 s or its push counts as failed.</summary>
    public static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a taken event's acknowledgement waits for the pipeline thread to take the event before it goes out
    /// anyway: a third of Lark's 3 s, the rest left for the network. Held so that an event still queued when the command
    /// stops (Select-Object -First, -Timeout, Ctrl+C) can be answered "not handled" and pushed again, not lost.
    /// </summary>
    public TimeSpan AckHold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Unfinished fragments are dropped after this: node keeps them 10 s, go and python 5 s; the longer wins.</summary>
    public TimeSpan FragmentLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a seen event_id / message_id is remembered: Lark re-pushes after 15 s, 5 min, 1 h and 6 h (LARK-API.md),
    /// so 7 h 30 min covers the last retry with a margin.
    /// </summary>
    public TimeSpan DuplicateMemory { get; set; } = TimeSpan.FromMinutes(450);

    /// <summary>The most ids remembered (a chat-ops loop sees far fewer; the bound keeps a long run's memory flat).</summary>
    public int DuplicateCapacity { get; set; } = 100_000;

    /// <summary>The WebSocket handshake's time limit: node has none by default; 30 s matches LarkPS's HTTP timeout.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a clean close waits for the server's close frame before the socket is dropped.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest event accepted, all fragments joined: far above any event Lark documents (a message is ≤ 150 KB).</summary>
    public int MaxEventBytes { get; set; } = 16 * 1024 * 1024;
}
