using LarkPS.Sandbox.Quotas;

namespace LarkPS.Sandbox.State;

/// <summary>Everything one running sandbox remembers; the endpoints share it.</summary>
internal sealed class SandboxState
{
    public SandboxState(SandboxOptions options)
    {
        Options = options;
        Tokens = new TokenStore(options, Faults);
        Messages = new MessageStore(options);
        Quota = new SendQuota(options.Quotas);
        Hooks = new HookRegistry(options);
        HookQuota = new HookQuota(options);
        Requests = new RequestLog(options.RequestLogBytes);
        CardUpdates = new CardUpdateLimiter(options);
        OperationQuotas = new OperationQuotas(options.Quotas);
        Events = new Events.EventHub(options);
        Batches = new BatchMessageStore(options.Batch);
    }

    public SandboxOptions Options { get; }
    public SandboxFaults Faults { get; } = new();
    public SandboxStats Stats { get; } = new();
    public TokenStore Tokens { get; }
    public MessageStore Messages { get; }
    public UploadStore Uploads { get; } = new();
    public SendQuota Quota { get; }
    public RequestLog Requests { get; }
    public CardUpdateLimiter CardUpdates { get; }
    public OperationQuotas OperationQuotas { get; }
    public HookRegistry Hooks { get; }
    public HookQuota HookQuota { get; }
    public HookFaults HookFaults { get; } = new();

    /// <summary>Issue 25: read marks from the inbox page, and scopes a test took away.</summary>
    public ReadMarks Reads { get; } = new();

    public SandboxScopes Scopes { get; } = new();
    /// <summary>Batch messages (issue 23).</summary>
    public BatchMessageStore Batches { get; }

    /// <summary>The long connection's tickets, connections and pushes (issue 21).</summary>
    public Events.EventHub Events { get; }

    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    // Options.Directory may be swapped at run time; read it per request.
    public SandboxDirectory Directory => Options.Directory;

    /// <summary>Back to a fresh sandbox, except issued tokens: connected clients keep working.</summary>
    public void Reset()
    {
        Messages.Clear();
        Requests.Clear();
        Stats.Clear();
        Faults.Clear();
        Quota.Clear();
        HookQuota.Clear();
        HookFaults.Clear();
        CardUpdates.Clear();
        OperationQuotas.Clear();
        Events.Clear();
        Reads.Clear();
        Scopes.Clear();
        Batches.Clear();
    }
}
