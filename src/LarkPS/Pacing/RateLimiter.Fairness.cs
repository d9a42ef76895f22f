using System;

namespace LarkPS.Pacing;

/// <summary>
/// The limiter's share of its quotas (issue 24): the windows allow the configured limits scaled by a <see cref="FairShare"/>
/// that refusals someone else caused cut, and that climbs back while they stop; the app's windows share one, each
/// receiver has its own.
/// </summary>
internal sealed partial class RateLimiter
{
    private readonly FairShare _appShare;
    private readonly PacingOptions _options;
    private Random _spacingJitter = new();
    private double _spacingFactor = 1;

    /// <summary>Draws the spacing's jitter from <paramref name="seed"/>, so a simulated run repeats exactly.</summary>
    internal void SeedSpacing(int seed)
    {
        lock (_gate)
        {
            _spacingJitter = new Random(seed);
        }
    }

    /// <summary>The share of the app's windows this limiter allows itself now (1 = the whole quota).</summary>
    public double AppShare
    {
        get
        {
            lock (_gate)
            {
                return _appShare.At(_clock.UtcNow.UtcTicks);
            }
        }
    }

    /// <summary>The share of one receiver's window this limiter allows itself now.</summary>
    public double ReceiverShare(string receiverKey)
    {
        lock (_gate)
        {
            return _receivers.TryGetValue(receiverKey, out var receiver) && receiver.Share is { } share ? share.At(_clock.UtcNow.UtcTicks) : 1;
        }
    }

    // A window scaled by a share below the whole allows a little more than the share (ShareWindowSlack): the even spacing
    // paces the mean, and the window must not clip its jitter too.
    private int AppPerSecondNow(long now) => Slack(_appShare, _appPerSecond, now);

    // The minute window is not scaled: its refusals come with a reset of many seconds, which every sender waits out, and
    // a share of it learned from a crowded second would stall a sender for the rest of the minute (issue 24, measured:
    // three unshared processes stopped for 55 s at a share of 1000/min cut to 50).
    private int AppPerMinuteNow(long now) => _appPerMinute;

    private int ReceiverLimitNow(long now, ReceiverState? receiver) => receiver?.Share is { } share ? Slack(share, _receiverLimit, now) : _receiverLimit;

    private int Slack(FairShare share, int limit, long now)
    {
        var scaled = share.Limit(limit, now);
        return scaled >= limit ? scaled : Math.Min(limit, (int)Math.Ceiling(scaled * _options.ShareWindowSlack));
    }

    // Sharing a window with senders we cannot see, calls leave evenly (one every second / share of the limit), not in
    // bursts: bursts that several senders make after the same pause collide and are refused together, round after round,
    // while even calls overrun the window by at most a round trip's worth when the shares add up to more than the whole.
    // The whole quota (never cut) paces by the windows alone, bursts included.
    // Each gap is drawn between 0.7 and 1.3 of the even one (drawn at each record): evenly spaced senders lock in phase
    // with the slots their own calls free a second later, so refusals always fall on the same one, which then starves.
    private long SharedSpacing(FairShare share, int limit, long lastRecorded, long now)
    {
        var part = share.At(now);
        if (part >= 1 || limit <= 0 || lastRecorded == 0)
        {
            return 0;
        }

        var spacing = (long)(TimeSpan.TicksPerSecond / (limit * part) * _spacingFactor);
        return lastRecorded + spacing - now;
    }

    // What the machine's file counts in the windows at a refusal, read before the limiter's lock: -1 each when not shared.
    private (int Second, int Minute, int Receiver) SharedCounts(long now, string? receiverKey)
    {
        if (_shared is not { Disabled: false } shared)
        {
            return (-1, -1, -1);
        }

        long margin;
        lock (_gate)
        {
            margin = _margin.At(now) + _sharedMargin;
        }

        return shared.Count(now, margin, receiverKey);
    }

    // Under the lock, at a 429: the refused request leaves our windows (it took no slot at Lark). Someone else spends the
    // app's quota when the second before the refused request's arrival held fewer of our calls (or the machine's) than the
    // limit less the slack; then the share is cut toward what we were getting. A reset longer than a second is the minute
    // window's: its wait is the answer, not a smaller share. True when the refusal may be our own pacing's mistake (our
    // count was within ForeignMarginSlack of the limit, or nothing could be judged): the learned margin widens then.
    private bool LearnFromAppRefusalLocked(long now, (int Second, int Minute, int Receiver) shared, TimeSpan? reset, SendRecord? refused)
    {
        var margin = _margin.At(now);
        var fastest = _roundTrips.Fastest;
        var arrived = Forget(refused, now, fastest, app: true);
        if (reset is { } announced && announced > TimeSpan.FromSeconds(1))
        {
            return true;
        }

        var second = shared.Second >= 0 ? shared.Second : _app.CountBetween(now, arrived - TimeSpan.TicksPerSecond - margin, arrived, fastest);
        var slack = _options.ForeignRefusalSlack;
        if (_appPerSecond > 0 && second < _appPerSecond - slack)
        {
            _appShare.Cut(now, (double)second / _appPerSecond, refused?.RecordedAt);
        }

        return _appPerSecond <= 0 || second >= _appPerSecond - _options.ForeignMarginSlack;
    }

    // Under the lock, at a 230020 (or a hook's 11232): the same for one receiver's window.
    private bool LearnFromReceiverRefusalLocked(long now, ReceiverState receiver, int sharedCount, SendRecord? refused)
    {
        var fastest = _roundTrips.Fastest;
        var arrived = Forget(refused, now, fastest, app: false);
        if (_receiverLimit <= 0)
        {
            return true;
        }

        var count = sharedCount >= 0 ? sharedCount : receiver.Sends.CountBetween(now, arrived - TimeSpan.TicksPerSecond - _margin.At(now), arrived, fastest);
        if (count < _receiverLimit - Math.Min(_options.ForeignRefusalSlack, _receiverLimit - 1))
        {
            (receiver.Share ??= new FairShare(_options)).Cut(now, (double)count / _receiverLimit, refused?.RecordedAt);
        }

        return count >= _receiverLimit - Math.Min(_options.ForeignMarginSlack, _receiverLimit - 1);
    }

    // Takes a refused request out of the windows it took no slot in (the app's refusal: all of them; a receiver's: that
    // receiver's only, the app's window counted it) and returns its arrival estimate; now when there is no record.
    private long Forget(SendRecord? refused, long now, long fastest, bool app)
    {
        if (refused is null)
        {
            return now + 1;
        }

        var arrived = refused.Estimate(now, fastest);
        if (!refused.Refused)
        {
            refused.Refused = true;
            if (app)
            {
                _app.Remove(refused);
            }

            refused.Receiver?.Sends.Remove(refused);
        }

        return arrived;
    }
}
