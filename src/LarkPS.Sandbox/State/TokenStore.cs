using System.Security.Cryptography;

namespace LarkPS.Sandbox.State;

/// <summary>Why a bearer token was refused.</summary>
internal enum TokenCheck
{
    Valid,
    Missing,
    Invalid,
}

/// <summary>
/// Tenant access tokens as Lark hands them out: the same token while more than 30 minutes remain,
/// a new one after that, and an old token stays valid until its own expiry.
/// Tokens survive <see cref="SandboxServer.Reset"/> so connected clients keep working.
/// </summary>
internal sealed class TokenStore(SandboxOptions options, SandboxFaults faults)
{
    // The rule generation that has already revoked its token.
    private int spentGeneration = -1;

    private static readonly TimeSpan ReuseThreshold = TimeSpan.FromMinutes(30);
    private readonly object gate = new();
    private readonly Dictionary<string, IssuedToken> tokens = new(StringComparer.Ordinal);
    private IssuedToken? current;

    /// <summary>Returns the token to hand out and its seconds left.</summary>
    public (string Token, int ExpireSeconds) Issue()
    {
        var now = options.TimeProvider.GetUtcNow();
        lock (gate)
        {
            if (current is null || current.Revoked || current.ExpiresAt - now <= ReuseThreshold)
            {
                current = new IssuedToken("t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), now + options.TokenLifetime);
                tokens[current.Value] = current;
                PruneExpired(now);
            }

            var left = (int)Math.Floor((current.ExpiresAt - now).TotalSeconds);
            return (current.Value, Math.Max(0, left));
        }
    }

    /// <summary>Checks an Authorization header value and counts the use against the revoke fault.</summary>
    public TokenCheck Authorize(string? authorizationHeader)
    {
        var token = BearerToken(authorizationHeader);
        if (string.IsNullOrEmpty(token))
        {
            return TokenCheck.Missing;
        }

        var now = options.TimeProvider.GetUtcNow();
        var (limit, generation) = faults.RevokeRule;
        lock (gate)
        {
            if (!tokens.TryGetValue(token, out var issued) || issued.Revoked || now >= issued.ExpiresAt)
            {
                return TokenCheck.Invalid;
            }

            if (issued.Generation != generation)
            {
                issued.Generation = generation;
                issued.UsesSinceRule = 0;
            }

            // One revocation per setting of the fault, as when Lark revokes a token mid-run: the token fetched afterwards
            // keeps working (a rule that revoked every later token too would make every long run fail twice per item).
            if (limit is { } max && issued.UsesSinceRule >= max && spentGeneration != generation)
            {
                issued.Revoked = true;
                spentGeneration = generation;
                return TokenCheck.Invalid;
            }

            issued.UsesSinceRule++;
            return TokenCheck.Valid;
        }
    }

    private static string? BearerToken(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? header[scheme.Length..].Trim()
            : null;
    }

    // Keeps memory flat when a benchmark runs for hours with short token lifetimes.
    private void PruneExpired(DateTimeOffset now)
    {
        foreach (var stale in tokens.Values.Where(t => t.ExpiresAt <= now).Select(t => t.Value).ToList())
        {
            tokens.Remove(stale);
        }
    }

    private sealed class IssuedToken(string value, DateTimeOffset expiresAt)
    {
        public string Value { get; } = value;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public bool Revoked { get; set; }
        public int Generation { get; set; } = -1;
        public int UsesSinceRule { get; set; }
    }
}
