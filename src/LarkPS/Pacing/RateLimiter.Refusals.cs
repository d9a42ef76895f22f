using System;

namespace LarkPS.Pacing;

/// <summary>What the limiter does when Lark refused a call for a quota, and the pauses that follow.</summary>
/// <remarks>Called by <c>RetryPolicy</c>, the one place that decides what a refusal means; under the limiter's lock.</remarks>
internal sealed partial class RateLimiter
{
    /// <summary>
    /// Lark refused a call with its app quota (99991400 / HTTP 429). Widens the margin and pauses the app as long as
    /// needed: until the corrected windows have room, and not before x-ogw-ratelimit-reset (whole seconds, so at most one
    /// second early) says the app's window frees. Returns how long the refused item should wait.
    /// </summary>
    /// <param name="reset">x-ogw-ratelimit-reset, where Lark sent it.</param>
    /// <param name="refused">The refused request's record, where known: it took no slot at Lark and leaves our windows.</param>
    public TimeSpan OnAppRefusal(TimeSpan? reset, SendRecord? refused = null)
    {
        var shared = SharedCounts(_clock.UtcNow.UtcTicks, null);
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            var ours = LearnFromAppRefusalLocked(now, shared, reset, refused);
            _margin.Refused(now, ours);
            var margin = _margin.At(now);

            // Lark's window is fuller than ours (other programs on the app, or quotas set above Lark's): its first slot frees
            // no sooner than the earliest send we know of in the last second leaves it.
            var wait = Math.Max(AppWaitLocked(now), _app.EarliestAfter(now - TimeSpan.TicksPerSecond, _roundTrips.Fastest) + TimeSpan.TicksPerSecond + margin - now);
            if (reset is { } announced && announced > TimeSpan.FromSeconds(1))
            {
                // Lark rounds the reset up to whole seconds: it frees within the last of them.
                wait = Math.Max(wait, announced.Ticks - TimeSpan.TicksPerSecond);
            }

            // Never retry into the same instant: the server's window is fuller than ours by at least one send.
            wait = Math.Max(wait, Math.Max(_margin.At(now), _leastRefusalWait));
            _appPausedUntil = Math.Max(_appPausedUntil, now + wait);
            if (reset is { } minute && minute > TimeSpan.FromSeconds(1))
            {
                _appShare.Hold(now, wait);
            }

            return RoundUpToMilliseconds(wait);
        }
    }

    /// <summary>Lark refused a call with the receiver's quota (230020, a hook's 11232): widens the margin, pauses that receiver as long as its window needs.</summary>
    /// <param name="receiverKey">The receiver's key.</param>
    /// <param name="refused">The refused request's record, where known: it took no slot in the receiver's window (it did in the app's).</param>
    public TimeSpan OnReceiverRefusal(string receiverKey, SendRecord? refused = null)
    {
        if (receiverKey is null)
        {
            throw new ArgumentNullException(nameof(receiverKey));
        }

        var shared = SharedCounts(_clock.UtcNow.UtcTicks, receiverKey);
        lock (_gate)
        {
            var now = _clock.UtcNow.UtcTicks;
            var receiver = ReceiverLocked(receiverKey);
            var ours = LearnFromReceiverRefusalLocked(now, receiver, shared.Receiver, refused);
            _margin.Refused(now, ours);
            var margin = _margin.At(now);
            var wait = Math.Max(ReceiverWaitLocked(now, receiver), margin);

            // The chat's window is fuller than ours (other bots post there too): it frees no sooner than our earliest send of the last second leaves it.
            wait = Math.Max(wait, receiver.Sends.EarliestAfter(now - TimeSpan.TicksPerSecond, _roundTrips.Fastest) + TimeSpan.TicksPerSecond + margin - now);
            receiver.PausedUntil = Math.Max(receiver.PausedUntil, now + wait);
            return RoundUpToMilliseconds(wait);
        }
    }

    /// <summary>Stops every call for <paramref name="duration"/>. Pauses never shorten.</summary>
    public void PauseApp(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            _appPausedUntil = Math.Max(_appPausedUntil, _clock.UtcNow.UtcTicks + duration.Ticks);
        }
    }

    /// <summary>Stops calls to one receiver for <paramref name="duration"/>. Pauses never shorten.</summary>
    public void PauseReceiver(string receiverKey, TimeSpan duration)
    {
        if (receiverKey is null)
        {
            throw new ArgumentNullException(nameof(receiverKey));
        }

        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            var receiver = ReceiverLocked(receiverKey);
            receiver.PausedUntil = Math.Max(receiver.PausedUntil, _clock.UtcNow.UtcTicks + duration.Ticks);
        }
    }

    private ReceiverState ReceiverLocked(string receiverKey)
    {
        if (!_receivers.TryGetValue(receiverKey, out var receiver))
        {
            receiver = new ReceiverState();
            _receivers.Add(receiverKey, receiver);
        }

        return receiver;
    }
}
