using System;

namespace LarkPS.Pacing;

/// <summary>Taking a call's place: this process's windows first, then (issue 24) the machine's shared file, which counts every process's calls.</summary>
internal sealed partial class RateLimiter
{
    private readonly SharedQuotaFile? _shared;
    private readonly long _sharedMargin;

    /// <summary>The machine's shared windows of this quota, or null when this limiter counts its own calls only.</summary>
    public SharedQuotaFile? Shared => _shared;

    /// <summary>
    /// Check and record under one lock, so two callers never take the last slot; the record then tracks the request.
    /// With a shared file, a place this process's windows allow is then claimed in the file, outside the lock (the file's
    /// own lock orders the processes): refused there, the app or the receiver pauses until the file says it frees.
    /// </summary>
    public bool TryRecord(string? receiverKey, out SendRecord? record, out TimeSpan wait)
    {
        long now;
        SharedLimits limits;
        lock (_gate)
        {
            now = _clock.UtcNow.UtcTicks;
            PruneLocked(now);
            var receiver = Receiver(receiverKey);
            var waitTicks = Math.Max(AppWaitLocked(now), ReceiverWaitLocked(now, receiver));
            if (waitTicks > 0)
            {
                wait = RoundUpToMilliseconds(waitTicks);
                record = null;
                return false;
            }

            if (_shared is null || _shared.Disabled)
            {
                record = RecordLocked(receiverKey, receiver, now);
                wait = TimeSpan.Zero;
                return true;
            }

            limits = new SharedLimits(AppPerSecondNow(now), AppPerMinuteNow(now), ReceiverLimitNow(now, receiver), _margin.At(now) + _sharedMargin);
        }

        var sequence = _shared.TryClaim(now, _receiverLimit > 0 ? receiverKey : null, limits, out var appWait, out var receiverWait);
        lock (_gate)
        {
            if (sequence == 0)
            {
                // Other processes fill the windows: nobody here tries again before they free (the scheduler reads the pause).
                if (appWait > 0)
                {
                    _appPausedUntil = Math.Max(_appPausedUntil, now + appWait);
                }

                if (receiverWait > 0 && receiverKey is not null)
                {
                    var paused = ReceiverLocked(receiverKey);
                    paused.PausedUntil = Math.Max(paused.PausedUntil, now + receiverWait);
                }

                wait = RoundUpToMilliseconds(Math.Max(appWait, receiverWait));
                record = null;
                return false;
            }

            record = RecordLocked(receiverKey, Receiver(receiverKey), now);
            record.SharedSequence = Math.Max(0, sequence);
            wait = TimeSpan.Zero;
            return true;
        }
    }

    private ReceiverState? Receiver(string? receiverKey)
    {
        ReceiverState? receiver = null;
        if (receiverKey is not null)
        {
            _receivers.TryGetValue(receiverKey, out receiver);
        }

        return receiver;
    }

    private SendRecord RecordLocked(string? receiverKey, ReceiverState? receiver, long now)
    {
        var record = new SendRecord(receiverKey, now);
        _app.Add(record);
        _lastAppRecord = now;
        _spacingFactor = 0.7 + (0.6 * _spacingJitter.NextDouble());
        if (receiverKey is not null && _receiverLimit > 0)
        {
            if (receiver is null)
            {
                receiver = new ReceiverState();
                _receivers.Add(receiverKey, receiver);
            }

            receiver.Sends.Add(record);
            receiver.LastRecorded = now;
            record.Receiver = receiver;
        }

        return record;
    }
}
