using System;
using LarkPS.Pacing;
using LarkPS.Threading;

namespace LarkPS.Api;

/// <summary>
/// Whether a request about to be sent will find a kept-alive connection open, or must open one first (TCP and TLS
/// handshakes before it can reach Lark). HttpClient opens a connection only when every open one is busy, so a request
/// that starts while fewer requests are busy than the most that were busy lately finds one ready.
/// </summary>
/// <remarks>
/// The round trip of a request on a new connection includes its handshake, which a distant Lark makes long; only the
/// warm ones measure the network itself, so the rate limiter learns Lark's arrival times from them. An estimate, kept
/// cautious: idle connections are assumed closed after <see cref="PacingOptions.ConnectionIdle"/> on the connection's
/// clock, and a transport failure closes one. Thread-safe.
/// </remarks>
internal sealed class ConnectionWarmth
{
    private readonly object _gate = new();
    private readonly IClock _clock;
    private readonly long _idleTicks;
    private int _busy;
    private int _open;
    private long _lastUsed;

    /// <summary>Times idleness on <paramref name="clock"/>; connections idle for <see cref="PacingOptions.ConnectionIdle"/> count as closed.</summary>
    public ConnectionWarmth(IClock clock, PacingOptions? options = null)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _idleTicks = (options ?? new PacingOptions()).ConnectionIdle.Ticks;
    }

    /// <summary>Requests between their start and the end of their answer right now.</summary>
    public int Busy
    {
        get
        {
            lock (_gate)
            {
                return _busy;
            }
        }
    }

    /// <summary>A request starts: returns true when a connection is likely open and idle for it.</summary>
    public bool Enter()
    {
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            if (_busy == 0 && now - _lastUsed > _idleTicks)
            {
                _open = 0;
            }

            var warm = _busy < _open;
            _busy++;
            _open = Math.Max(_open, _busy);
            _lastUsed = now;
            return warm;
        }
    }

    /// <summary>A request has ended; <paramref name="connectionLost"/> when it failed in transport (its connection is gone).</summary>
    public void Exit(bool connectionLost)
    {
        lock (_gate)
        {
            _busy = Math.Max(0, _busy - 1);
            if (connectionLost)
            {
                _open = Math.Max(0, _open - 1);
            }

            _lastUsed = _clock.UtcNow.UtcTicks;
        }
    }
}
