namespace LarkPS.Sandbox;

/// <summary>Live counters of what the sandbox did; benchmarks read them to report lost or refused sends.</summary>
public sealed class SandboxStats
{
    private int tokensIssued;
    private int tokenRequests;
    private int refused429;
    private int refused230020;
    private int duplicatesSuppressed;
    private int sent;

    /// <summary>Successful answers from the token endpoint (a reused token counts too).</summary>
    public int TokensIssued => Volatile.Read(ref tokensIssued);

    /// <summary>Every call to the token endpoint, successful or not.</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    /// <summary>Sends refused by the app quota (HTTP 429, code 99991400).</summary>
    public int Refused429 => Volatile.Read(ref refused429);

    /// <summary>Sends refused by the per-receiver quota (code 230020).</summary>
    public int Refused230020 => Volatile.Read(ref refused230020);

    /// <summary>Sends answered from uuid memory instead of being delivered again.</summary>
    public int DuplicatesSuppressed => Volatile.Read(ref duplicatesSuppressed);

    /// <summary>Messages actually stored in the inbox (sends and replies).</summary>
    public int Sent => Volatile.Read(ref sent);

    internal void TokenRequested() => Interlocked.Increment(ref tokenRequests);
    internal void TokenIssued() => Interlocked.Increment(ref tokensIssued);
    internal void RefusedByAppQuota() => Interlocked.Increment(ref refused429);
    internal void RefusedByReceiverQuota() => Interlocked.Increment(ref refused230020);
    internal void DuplicateSuppressed() => Interlocked.Increment(ref duplicatesSuppressed);
    internal void MessageSent() => Interlocked.Increment(ref sent);

    internal void Clear()
    {
        Volatile.Write(ref tokensIssued, 0);
        Volatile.Write(ref tokenRequests, 0);
        Volatile.Write(ref refused429, 0);
        Volatile.Write(ref refused230020, 0);
        Volatile.Write(ref duplicatesSuppressed, 0);
        Volatile.Write(ref sent, 0);
    }
}
