namespace LarkPS.Sandbox;

/// <summary>
/// Trouble to inject while the sandbox runs, so clients can prove their retries, token refresh and
/// uuid handling. Every counter is consumed atomically: concurrent sends never share one fault.
/// "Send-message calls" means POST /im/v1/messages and POST /im/v1/messages/{id}/reply.
/// </summary>
public sealed class SandboxFaults
{
    private long latencyTicks;
    private long jitterTicks;
    private long handshakeTicks;
    private int failBeforeStore;
    private int failAfterStore;
    private int dropConnections;
    private int refuseAppQuota;
    private string? busyChat;
    private int batchDropBeforeAccept;
    private int batchDropAfterAccept;
    private readonly object revokeGate = new();
    private int? revokeTokenAfterUses;
    private int revokeGeneration;

    /// <summary>
    /// The round trip of every /open-apis request (a real async delay): half on the way in, before the request reaches
    /// Lark's logic (where the quotas count it: on arrival), half on the way back, before the answer leaves.
    /// </summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref latencyTicks));
        set => Interlocked.Exchange(ref latencyTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>
    /// How much the round trip varies, as a real network's does: each way gets a random extra delay of up to half of it
    /// (uniform), independently, so requests sent together reach Lark in a jittered order. Zero by default.
    /// </summary>
    public TimeSpan Jitter
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref jitterTicks));
        set => Interlocked.Exchange(ref jitterTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>
    /// Delay before the sandbox reads anything from a NEW connection, as a TLS handshake to a distant Lark costs before
    /// the first request on a connection can arrive. Reused (kept-alive) connections do not pay it. Zero by default.
    /// </summary>
    public TimeSpan HandshakeDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref handshakeTicks));
        set => Interlocked.Exchange(ref handshakeTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>One way's delay: half the latency plus up to half the jitter.</summary>
    internal TimeSpan OneWayDelay()
    {
        var latency = Interlocked.Read(ref latencyTicks);
        var jitter = Interlocked.Read(ref jitterTicks);
        var extra = jitter == 0 ? 0 : (long)(Random.Shared.NextDouble() * (jitter / 2));
        return TimeSpan.FromTicks((latency / 2) + extra);
    }

    /// <summary>The next N send-message calls answer HTTP 500 (code 5000) without storing anything.</summary>
    public int FailBeforeStore
    {
        get => Volatile.Read(ref failBeforeStore);
        set => Volatile.Write(ref failBeforeStore, Math.Max(0, value));
    }

    /// <summary>
    /// The next N send-message calls that would succeed store the message, then answer HTTP 500:
    /// the client cannot know it was delivered, and a retry with the same uuid must not deliver twice.
    /// </summary>
    public int FailAfterStore
    {
        get => Volatile.Read(ref failAfterStore);
        set => Volatile.Write(ref failAfterStore, Math.Max(0, value));
    }

    /// <summary>
    /// After N authorized calls with one token (counted from when this is set), that token answers
    /// 99991663 for good; a token fetched afterwards is new and works (one revocation per setting).
    /// Null turns the fault off.
    /// </summary>
    public int? RevokeTokenAfterUses
    {
        get { lock (revokeGate) { return revokeTokenAfterUses; } }
        set
        {
            lock (revokeGate)
            {
                revokeTokenAfterUses = value is < 0 ? 0 : value;
                revokeGeneration++;
            }
        }
    }

    /// <summary>The next N send-message calls abort the connection without answering or storing.</summary>
    public int DropConnections
    {
        get => Volatile.Read(ref dropConnections);
        set => Volatile.Write(ref dropConnections, Math.Max(0, value));
    }

    /// <summary>
    /// A quota storm (issue 24): the next N send-message calls answer HTTP 429, 99991400, with x-ogw-ratelimit-reset 1,
    /// as when other programs on the same app spend its quota; nothing is stored and the app's windows are not charged.
    /// </summary>
    public int RefuseAppQuota
    {
        get => Volatile.Read(ref refuseAppQuota);
        set => Volatile.Write(ref refuseAppQuota, Math.Max(0, value));
    }

    /// <summary>
    /// A chat other bots keep full (issue 24): every send-message call into this chat id answers 230020 until this is
    /// set to null. Null (the default) turns it off.
    /// </summary>
    public string? BusyChat
    {
        get => Volatile.Read(ref busyChat);
        set => Volatile.Write(ref busyChat, string.IsNullOrEmpty(value) ? null : value);
    }

    internal bool TryConsumeRefuseAppQuota() => TryConsume(ref refuseAppQuota);
    /// <summary>The next N batch_send calls (issue 23) abort the connection before anything is accepted.</summary>
    public int BatchDropBeforeAccept
    {
        get => Volatile.Read(ref batchDropBeforeAccept);
        set => Volatile.Write(ref batchDropBeforeAccept, Math.Max(0, value));
    }

    /// <summary>
    /// The next N batch_send calls that would succeed are accepted (Lark fans them out), then the connection is
    /// aborted before the answer: the client cannot know, and since a batch has no uuid, a resend would deliver twice.
    /// </summary>
    public int BatchDropAfterAccept
    {
        get => Volatile.Read(ref batchDropAfterAccept);
        set => Volatile.Write(ref batchDropAfterAccept, Math.Max(0, value));
    }

    internal bool TryConsumeBatchDropBeforeAccept() => TryConsume(ref batchDropBeforeAccept);

    internal bool TryConsumeBatchDropAfterAccept() => TryConsume(ref batchDropAfterAccept);

    internal bool TryConsumeFailBeforeStore() => TryConsume(ref failBeforeStore);

    internal bool TryConsumeFailAfterStore() => TryConsume(ref failAfterStore);

    internal bool TryConsumeDropConnection() => TryConsume(ref dropConnections);

    // The generation lets a token count its uses from the moment the fault was set,
    // not from when the token was issued.
    internal (int? Limit, int Generation) RevokeRule
    {
        get { lock (revokeGate) { return (revokeTokenAfterUses, revokeGeneration); } }
    }

    internal void Clear()
    {
        Latency = TimeSpan.Zero;
        Jitter = TimeSpan.Zero;
        HandshakeDelay = TimeSpan.Zero;
        FailBeforeStore = 0;
        FailAfterStore = 0;
        DropConnections = 0;
        RefuseAppQuota = 0;
        BusyChat = null;
        BatchDropBeforeAccept = 0;
        BatchDropAfterAccept = 0;
        RevokeTokenAfterUses = null;
    }

    private static bool TryConsume(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
