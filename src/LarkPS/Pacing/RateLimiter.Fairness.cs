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

    private int AppPerSecondNow(long now) => _appShare.Limit(_appPerSecond, now);

    private int AppPerMinuteNow(long now) => _appShare.Limit(_appPerMinute, now);

    private int ReceiverLimitNow(long now, ReceiverState? receiver) => receiver?.Share is { } share ? share.Limit(_receiverLimit, now) : _receiverLimit;

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

    // Under the lock, at a 429: someone else spends the app's quota when every window it could have tripped holds fewer
    // of our calls (or the machine's) than the limit less the slack; then the share is cut.
    private void LearnFromAppRefusalLocked(long now, (int Second, int Minute, int Receiver) shared)
    {
        var margin = _margin.At(now);
        var fastest = _roundTrips.Fastest;
        var second = shared.Second >= 0 ? shared.Second : _app.Count(now, now - TimeSpan.TicksPerSecond - margin, fastest);
        var minute = shared.Minute >= 0 ? shared.Minute : _app.Count(now, now - TimeSpan.TicksPerMinute - margin, fastest);
        var slack = _options.ForeignRefusalSlack;
        var ours = (_appPerSecond > 0 && second >= _appPerSecond - slack) || (_appPerMinute > 0 && minute >= _appPerMinute - slack);
        if (!ours)
        {
            _appShare.Cut(now);
        }
    }

    // Under the lock, at a 230020 (or a hook's 11232): the same for one receiver's window.
    private void LearnFromReceiverRefusalLocked(long now, ReceiverState receiver, int sharedCount)
    {
        if (_receiverLimit <= 0)
        {
            return;
        }

        var count = sharedCount >= 0 ? sharedCount : receiver.Sends.Count(now, now - TimeSpan.TicksPerSecond - _margin.At(now), _roundTrips.Fastest);
        if (count < _receiverLimit - Math.Min(_options.ForeignRefusalSlack, _receiverLimit - 1))
        {
            (receiver.Share ??= new FairShare(_options)).Cut(now);
        }
    }
}
