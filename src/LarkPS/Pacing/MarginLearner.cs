using System;
using System.Threading;

namespace LarkPS.Pacing;

/// <summary>
/// The margin added to every window: the configured one, plus what quota refusals taught. A refusal widens it a step
/// (slowing down a little; refusals that come together count once), and it drains again while no refusal comes.
/// </summary>
/// <remarks>Not thread-safe except <see cref="Refusals"/>: the limiter that owns it calls it under its lock.</remarks>
internal sealed class MarginLearner
{
    private readonly long _base;
    private readonly long _step;
    private readonly long _cap;
    private readonly long _drainPerStep;
    private readonly long _raiseAtMostEvery;

    // Learned from refusals: extra margin and when it was last raised.
    private long _extra;
    private long _raisedAt;
    private int _refusals;

    public MarginLearner(PacingOptions options, TimeSpan baseMargin)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _base = baseMargin.Ticks;
        _step = options.MarginStep.Ticks;
        _cap = options.MarginCap.Ticks;
        _drainPerStep = options.MarginDrainPerStep.Ticks;
        _raiseAtMostEvery = options.MarginRaiseAtMostEvery.Ticks;
    }

    /// <summary>The configured margin, in ticks.</summary>
    public long Base => _base;

    /// <summary>The largest the whole margin can grow to, in ticks.</summary>
    public long Largest => _base + _cap;

    /// <summary>Quota refusals reported so far. Safe from any thread.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>The whole margin at <paramref name="now"/>: the configured one plus what is left of the learned one.</summary>
    public long At(long now) => _base + Extra(now);

    /// <summary>What is left, at <paramref name="now"/>, of the margin learned from refusals.</summary>
    public long Extra(long now)
    {
        if (_extra == 0)
        {
            return 0;
        }

        var drained = (now - _raisedAt) * (double)_step / _drainPerStep;
        var left = _extra - (long)drained;
        if (left <= 0)
        {
            _extra = 0;
            return 0;
        }

        return left;
    }

    /// <summary>
    /// A quota refusal at <paramref name="now"/>: counts it, and widens the margin unless it did within the last second or
    /// the refusal was not our mistake (<paramref name="ours"/> false: someone else filled the window).
    /// </summary>
    public void Refused(long now, bool ours = true)
    {
        _refusals++;
        if (!ours || (_raisedAt != 0 && now - _raisedAt < _raiseAtMostEvery))
        {
            return;
        }

        _extra = Math.Min(_cap, Extra(now) + _step);
        _raisedAt = now;
    }
}
