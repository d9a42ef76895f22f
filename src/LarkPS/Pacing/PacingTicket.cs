using System;
using System.Threading;

namespace LarkPS.Pacing;

/// <summary>
/// One request's place in its quota class's windows, carried explicitly with the request into the HTTP choke point,
/// which reports on it: whether a kept-alive connection was ready, when the body started to leave, when the answer's
/// headers came back, and that the answer is in. Nothing is looked up from ambient state.
/// </summary>
/// <remarks>
/// The delivery scheduler reserves a ticket before it starts an attempt (so it decides room without waiting); a call
/// nobody reserved for gets one at the choke point (<see cref="IRequestPacer.AcquireAsync"/>). Thread-safe: the limiter
/// guards the record. Whoever took the place ends it with <see cref="Answered"/> (the scheduler when it settles the
/// attempt, the choke point for a place it took itself); the first Answered fixes the arrival estimate, a later one
/// changes nothing.
/// </remarks>
internal sealed class PacingTicket
{
    private readonly Action? _leaving;
    private int _left;

    internal PacingTicket(RateLimiter limiter, SendRecord record, Action? leaving)
    {
        Limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        Record = record ?? throw new ArgumentNullException(nameof(record));
        _leaving = leaving;
    }

    /// <summary>The limiter whose windows hold the request: the one a refusal of this request teaches.</summary>
    public RateLimiter Limiter { get; }

    /// <summary>The request as the windows count it.</summary>
    public SendRecord Record { get; }

    /// <summary>The request is handed to HttpClient; <paramref name="warm"/> when a kept-alive connection is likely ready for it.</summary>
    public void Starting(bool warm) => Limiter.Starting(Record, warm);

    /// <summary>
    /// Whether the request's body started to leave (<see cref="Leaving"/>): before that nothing of it can have reached
    /// Lark (an attempt cut while it waited for its slot, a token, an upload or a free connection sent nothing).
    /// </summary>
    public bool HasLeft => Volatile.Read(ref _left) == 1;

    /// <summary>The request's body is being written now: a connection was ready.</summary>
    public void Leaving()
    {
        Volatile.Write(ref _left, 1);
        Limiter.Leaving(Record);
        _leaving?.Invoke();
    }

    /// <summary>The answer's headers are in: the round trip ends now, whatever reading and scheduling follow.</summary>
    public void HeadersIn() => Limiter.HeadersIn(Record);

    /// <summary>The request is over: answered over HTTP (<paramref name="roundTripKnown"/>), or failed in transport or never sent.</summary>
    public void Answered(bool roundTripKnown) => Limiter.Answered(Record, roundTripKnown);
}
