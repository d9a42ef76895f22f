namespace LarkPS.Sandbox;

/// <summary>How a sandbox behaves: its one app's credentials, token lifetime, clock, quotas and directory.</summary>
public sealed class SandboxOptions
{
    public string AppId { get; set; } = "cli_sandbox";

    // A throwaway credential: the sandbox only ever listens on loopback.
    public string AppSecret { get; set; } = "sandbox-secret";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    // Token expiry, uuid memory, quota windows and message times all read this clock,
    // so tests can move time instead of sleeping.
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public SandboxQuotas Quotas { get; } = new();

    /// <summary>The command line's network settings, copied into the faults at start (tests set the faults directly).</summary>
    public SandboxNetwork Network { get; } = new();

    /// <summary>The custom-bot (webhook) quota per hook; --no-quotas turns it off too.</summary>
    public SandboxHookQuotas HookQuotas { get; } = new();

    // Edit, recall and card update windows and counts (issue 12).
    public SandboxMessageLimits MessageLimits { get; } = new();

    public SandboxDirectory Directory { get; set; } = SandboxDirectory.CreateDefault();

    // A test server has no business listening beyond this machine; the CLI's --allow-remote sets this.
    public bool AllowRemote { get; set; }

    /// <summary>The long connection (issue 21): ClientConfig, acknowledgement deadline, redelivery, faults.</summary>
    public Events.SandboxEventOptions Events { get; } = new();

    /// <summary>Batch messages (issue 23): how fast Lark fans them out, its daily cap, the recall window.</summary>
    public SandboxBatchOptions Batch { get; } = new();

    // The request log's byte budget (bodies over 1 MB are logged by size only, so one entry stays small).
    public long RequestLogBytes { get; set; } = State.RequestLog.DefaultMaxBytes;
}

/// <summary>Lark's send-message quotas, as the sandbox enforces them.</summary>
public sealed class SandboxQuotas
{
    public bool Enabled { get; set; } = true;
    public int AppPerSecond { get; set; } = 50;
    public int AppPerMinute { get; set; } = 1000;
    public int ReceiverPerSecond { get; set; } = 5;
}

/// <summary>Lark's custom-bot quota per hook (100/min and 5/s); tests lower it to see pacing without waiting a minute.</summary>
public sealed class SandboxHookQuotas
{
    public bool Enabled { get; set; } = true;
    public int PerMinute { get; set; } = 100;
    public int PerSecond { get; set; } = 5;
}

/// <summary>Jitter and handshake the command line asks for (see <see cref="SandboxFaults.Jitter"/>, <see cref="SandboxFaults.HandshakeDelay"/>).</summary>
public sealed class SandboxNetwork
{
    public TimeSpan Jitter { get; set; }
    public TimeSpan Handshake { get; set; }
}

/// <summary>
/// How the sandbox fans batch messages out (issue 23). Lark documents batches as asynchronous, an app's batches in
/// order "with delay", without figures: the delay and rate here are the sandbox's, configurable so progress moves
/// in a test. The daily cap (500,000 messages per app) and the recall window (one day) are Lark's.
/// </summary>
public sealed class SandboxBatchOptions
{
    /// <summary>From acceptance until the batch is scheduled: get_progress answers valid_user_ids_count 0 until then.</summary>
    public TimeSpan ScheduleDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Receivers pushed to per second, over all of the app's batches (one after another, in order).</summary>
    public int FanOutPerSecond { get; set; } = 5000;

    /// <summary>Messages (receivers) per app per day before batch_send answers 11247.</summary>
    public int DailyMessageCap { get; set; } = 500_000;

    /// <summary>How long after sending a batch may be recalled (230009 afterwards).</summary>
    public TimeSpan RecallWindow { get; set; } = TimeSpan.FromDays(1);
}
