using System;

namespace LarkPS.Pacing;

/// <summary>
/// The share of a quota a limiter allows itself (issue 24): AIMD, as TCP shares a link. A refusal that our own windows
/// cannot explain (someone else spends the same quota: another process or machine on the app, other bots in the chat)
/// cuts the share multiplicatively; while no such refusal comes it climbs back additively to the whole quota. Several
/// independent senders doing this converge to a fair share of Lark's windows.
/// </summary>
/// <remarks>Not thread-safe: the limiter that owns it calls it under its lock.</remarks>
internal sealed class FairShare
{
    private readonly double _decrease;
    private readonly double _increasePerTick;
    private readonly double _floor;
    private readonly long _cutAtMostEvery;

    // The share right after the last cut, and when that was (0 = never cut: the whole quota).
    private double _afterCut = 1;
    private long _cutAt;

    public FairShare(PacingOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _decrease = options.ShareDecrease;
        _increasePerTick = options.ShareIncreasePerSecond / TimeSpan.TicksPerSecond;
        _floor = options.ShareFloor;
        _cutAtMostEvery = options.ShareCutAtMostEvery.Ticks;
    }

    /// <summary>How many times the share was cut.</summary>
    public int Cuts { get; private set; }

    /// <summary>The share at <paramref name="now"/>, in (0, 1].</summary>
    public double At(long now) => _cutAt == 0 ? 1 : Math.Min(1, _afterCut + (_increasePerTick * Math.Max(0, now - _cutAt)));

    /// <summary><paramref name="limit"/> scaled by the share at <paramref name="now"/>, at least 1; 0 (a window turned off) stays 0.</summary>
    public int Limit(int limit, long now) => limit <= 0 ? limit : Math.Max(1, (int)Math.Floor((limit * At(now)) + 1e-9));

    /// <summary>A refusal someone else caused: halves the share (refusals that come within one window count once). True when it cut.</summary>
    public bool Cut(long now)
    {
        if (_cutAt != 0 && now - _cutAt < _cutAtMostEvery)
        {
            return false;
        }

        _afterCut = Math.Max(_floor, At(now) * _decrease);
        _cutAt = now;
        Cuts++;
        return true;
    }
}
