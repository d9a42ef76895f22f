using System;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Threading;

namespace LarkPS.Api;

/// <summary>A tenant access token and the moment it stops working.</summary>
internal sealed class TenantToken
{
    public TenantToken(string value, DateTimeOffset expiresAt)
    {
        Value = value ?? throw new ArgumentNullException(nameof(value));
        ExpiresAt = expiresAt;
    }

    /// <summary>The bearer token. Never printed.</summary>
    public string Value { get; }

    /// <summary>When Lark stops accepting it.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"tenant token (expires {ExpiresAt:u})";
}

/// <summary>
/// Holds one connection's tenant token in memory, hands it out until a margin before expiry, and refreshes it
/// with a single request however many callers ask at once.
/// </summary>
internal sealed class TokenCache
{
    /// <summary>The default margin: refresh this long before expiry, so no request carries a token about to lapse.</summary>
    public static readonly TimeSpan DefaultRefreshMargin = TimeSpan.FromMinutes(5);

    private readonly Func<CancellationToken, Task<TenantToken>> _fetch;
    private readonly IClock _clock;
    private readonly TimeSpan _refreshMargin;
    private readonly object _gate = new();
    private TenantToken? _current;
    private Task<TenantToken>? _refreshing;
    private int _fetchCount;

    public TokenCache(Func<CancellationToken, Task<TenantToken>> fetch, IClock clock, TimeSpan refreshMargin)
    {
        _fetch = fetch ?? throw new ArgumentNullException(nameof(fetch));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        if (refreshMargin < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(refreshMargin), "The refresh margin cannot be negative.");
        }

        _refreshMargin = refreshMargin;
    }

    /// <summary>When the cached token expires, or null where none is cached.</summary>
    public DateTimeOffset? ExpiresAt
    {
        get
        {
            lock (_gate)
            {
                return _current?.ExpiresAt;
            }
        }
    }

    /// <summary>How many token requests this cache has made: what the tests count.</summary>
    public int FetchCount => Volatile.Read(ref _fetchCount);

    /// <summary>Returns a token good for at least the refresh margin, fetching one if needed.</summary>
    public async Task<TenantToken> GetAsync(CancellationToken cancellationToken)
    {
        Task<TenantToken> pending;
        lock (_gate)
        {
            if (_current is not null && _clock.UtcNow < _current.ExpiresAt - _refreshMargin)
            {
                return _current;
            }

            // One refresh for everybody: later callers await the request already under way. Task.Run keeps a
            // fetch that completes synchronously from clearing _refreshing before it is even assigned.
            _refreshing ??= Task.Run(RefreshAsync);
            pending = _refreshing;
        }

        return await CancellableWait.WaitAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops <paramref name="token"/> after Lark called it invalid. A token that has already been replaced is left
    /// alone, so a burst of failures on the old token causes one refresh, not one each.
    /// </summary>
    public void Invalidate(TenantToken token)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, token))
            {
                _current = null;
            }
        }
    }

    /// <summary>Forgets the token (Disconnect-Lark).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _current = null;
        }
    }

    private async Task<TenantToken> RefreshAsync()
    {
        try
        {
            Interlocked.Increment(ref _fetchCount);

            // The shared request is not tied to any one caller's cancellation: another caller may still want it.
            var token = await _fetch(CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _current = token;
            }

            return token;
        }
        finally
        {
            lock (_gate)
            {
                _refreshing = null;
            }
        }
    }
}
