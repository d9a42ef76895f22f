using System;

namespace LarkPS.Pacing;

/// <summary>
/// The share of a quota a limiter allows itself (issue 24): AIMD, as TCP shares a link. A refusal that our own windows
/// cannot explain (someone else spends the same quota: another process or machine on the app, other bots in the chat)
/// cuts the share toward what we were actually getting, less a headroom: at least a little (15%, more the more of the
/// window we were getting), at most by half (as
/// TCP halves; a sender that got almost nothing because another was faster at the start keeps half, not nothing, so
/// shares even out in the next round). While no such refusal comes it climbs back additively to the whole quota. Several independent senders doing this converge to a fair
/// share of Lark's window.
/// </summary>
/// <remarks>
/// A cut is one signal per round, as in TCP: refusals of requests taken before the last cut (still in flight when it
/// came, or waiting) say nothing new and cut nothing. Not thread-safe: the limiter that owns it calls it under its lock.
/// </remarks>
internal sealed class FairShare
{
    private readonly double _decrease;
    private readonly double _deepest;
    private readonly double _ofObserved;
    private readonly double _increasePerTick;
    private readonly double _floor;
    private readonly long _cutAtMostEvery;
    private readonly double _quickenEvery;
    private readonly double _cutSlope;
    private readonly double _slopeDeepest;

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
        _deepest = options.ShareDeepestDecrease;
        _ofObserved = options.ShareOfObserved;
        _increasePerTick = options.ShareIncreasePerSecond / TimeSpan.TicksPerSecond;
        _floor = options.ShareFloor;
        _cutAtMostEvery = options.ShareCutAtMostEvery.Ticks;
        _quickenEvery = Math.Max(1, options.ShareQuickenEvery.Ticks);
        _cutSlope = options.ShareCutSlope;
        _slopeDeepest = options.ShareSlopeDeepest;
    }

    /// <summary>How many times the share was cut.</summary>
    public int Cuts { get; private set; }

    /// <summary>The share at <paramref name="now"/>, in (0, 1].</summary>
    /// <remarks>
    /// The climb quickens the longer no refusal comes (by one more step every <see cref="PacingOptions.ShareQuickenEvery"/>):
    /// near the share that was refused it probes gently, and when the others are gone (their scripts ended) the whole
    /// quota is back within seconds, not the tens of seconds a straight line would take.
    /// </remarks>
    public double At(long now)
    {
        if (_cutAt == 0)
        {
            return 1;
        }

        var since = (double)Math.Max(0, now - _cutAt);
        return Math.Min(1, _afterCut + (_increasePerTick * since * (1 + (since / _quickenEvery))));
    }

    /// <summary><paramref name="limit"/> scaled by the share at <paramref name="now"/>, at least 1; 0 (a window turned off) stays 0.</summary>
    public int Limit(int limit, long now) => limit <= 0 ? limit : Math.Max(1, (int)Math.Floor((limit * At(now)) + 1e-9));

    /// <summary>
    /// The sender waits <paramref name="pause"/> (a full minute window): the share does not climb meanwhile, since nothing
    /// was sent to test it (five unshared processes that waited out the minute came back at the whole quota each and drew
    /// 169 refusals at once). A share never cut stays whole.
    /// </summary>
    public void Hold(long now, long pause)
    {
        if (_cutAt == 0 || pause <= 0)
        {
            return;
        }

        _afterCut = At(now);
        _cutAt = Math.Max(_cutAt, now + pause);
    }

    /// <summary>
    /// A refusal someone else caused, of a request taken at <paramref name="takenAt"/>, when our own calls filled
    /// <paramref name="observed"/> of the window (0..1). Cuts the share to <see cref="PacingOptions.ShareOfObserved"/> of
    /// that, kept between <see cref="PacingOptions.ShareDeepestDecrease"/> and <see cref="PacingOptions.ShareDecrease"/> of
    /// the share now, unless the request was taken before the last cut; without a request (<paramref name="takenAt"/> null), refusals within <see cref="PacingOptions.ShareCutAtMostEvery"/>
    /// of a cut are the same signal. True when it cut.
    /// </summary>
    public bool Cut(long now, double observed, long? takenAt)
    {
        if (_cutAt != 0 && (takenAt is { } taken ? taken <= _cutAt : now - _cutAt < _cutAtMostEvery))
        {
            return false;
        }

        // The more of the window we were getting, the deeper the cut: the larger of several senders gives up more, so
        // their shares even out in fewer rounds.
        var current = At(now);
        var decrease = Math.Min(_decrease, Math.Max(_slopeDeepest, 1 - (_cutSlope * observed)));
        _afterCut = Math.Max(_floor, Math.Min(current * decrease, Math.Max(current * _deepest, observed * _ofObserved)));
        _cutAt = now;
        Cuts++;
        return true;
    }
}
