using LarkPS.Pacing;
using LarkPS.Delivery;
using Xunit;

namespace LarkPS.UnitTests.Delivery;

public class RateLimiterTests
{
    private static PacingOptions NoMargin(int perSecond = 50, int perMinute = 1000, int perReceiver = 5) => new()
    {
        AppPerSecond = perSecond,
        AppPerMinute = perMinute,
        ReceiverPerSecond = perReceiver,
        RateWindowMargin = TimeSpan.Zero,
    };

    [Fact]
    public void App_second_window_allows_50_then_asks_to_wait_until_the_first_leaves()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(perReceiver: 0), clock);

        for (var i = 0; i < 50; i++)
        {
            Assert.True(limiter.TryAcquire(null, out _));
        }

        Assert.False(limiter.TryAcquire(null, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(limiter.TryAcquire(null, out wait));
        Assert.Equal(TimeSpan.FromMilliseconds(1), wait);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAcquire(null, out _));
    }

    [Fact]
    public void The_margin_lengthens_every_window()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(new DeliveryOptions { RateWindowMargin = TimeSpan.FromMilliseconds(25) }.Pacing, clock);

        for (var i = 0; i < 50; i++)
        {
            Assert.True(limiter.TryAcquire(null, out _));
        }

        Assert.False(limiter.TryAcquire(null, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(1025), wait);
    }

    [Fact]
    public void App_minute_window_allows_1000()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(perSecond: 0, perReceiver: 0), clock);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limiter.TryAcquire(null, out _));
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.False(limiter.TryAcquire(null, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(50), wait);
    }

    [Fact]
    public void Receiver_window_allows_5_per_receiver_and_leaves_others_alone()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(), clock);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.TryAcquire("open_id:ou_a", out _));
        }

        Assert.False(limiter.TryAcquire("open_id:ou_a", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.True(limiter.TryAcquire("chat_id:oc_b", out _));
        Assert.True(limiter.TryAcquire(null, out _));
        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAvailable(null));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.TimeUntilAvailable("open_id:ou_a"));
    }

    [Fact]
    public async Task Simulated_run_never_exceeds_any_window_and_sustains_over_95_percent()
    {
        var clock = new FakeClock { AutoAdvance = true };
        var options = new DeliveryOptions { AppPerMinute = 0 };
        var limiter = new RateLimiter(options.Pacing, clock);
        var start = clock.UtcNow;
        var sends = new List<(DateTimeOffset At, string Key)>();

        for (var i = 0; i < 3000; i++)
        {
            var key = "open_id:ou_" + (i % 20);
            await limiter.AcquireAsync(key, CancellationToken.None);
            sends.Add((clock.UtcNow, key));
        }

        var oneSecond = TimeSpan.FromSeconds(1);
        for (var i = 50; i < sends.Count; i++)
        {
            Assert.True(sends[i].At - sends[i - 50].At >= oneSecond, $"send {i}: more than 50 in a second");
        }

        foreach (var receiver in sends.GroupBy(s => s.Key))
        {
            var times = receiver.Select(s => s.At).ToList();
            for (var i = 5; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - 5] >= oneSecond, $"{receiver.Key}: more than 5 in a second");
            }
        }

        var rate = sends.Count / (sends[^1].At - start).TotalSeconds;
        Assert.True(rate >= 47.5, $"sustained {rate:F2}/s");
    }

    [Fact]
    public async Task AcquireAsync_waits_on_the_clock_without_spinning()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(perSecond: 2, perReceiver: 0), clock);
        await limiter.AcquireAsync(null, CancellationToken.None);
        await limiter.AcquireAsync(null, CancellationToken.None);

        var third = limiter.AcquireAsync(null, CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal(1, clock.PendingDelays);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await third.WaitAsync(TimeSpan.FromSeconds(5));

        // The window now holds the third send only: room for exactly one more.
        Assert.True(limiter.TryAcquire(null, out _));
        Assert.False(limiter.TryAcquire(null, out _));
    }

    [Fact]
    public async Task AcquireAsync_honours_cancellation()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(perSecond: 1, perReceiver: 0), clock);
        await limiter.AcquireAsync(null, CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(null, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void Concurrent_acquirers_never_overshoot()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(perReceiver: 0), clock);
        var granted = 0;

        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 200; i++)
            {
                if (limiter.TryAcquire(null, out _))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        });

        Assert.Equal(50, granted);
    }

    [Fact]
    public void PauseApp_holds_every_send_and_never_shortens()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(), clock);

        limiter.PauseApp(TimeSpan.FromSeconds(2));
        limiter.PauseApp(TimeSpan.FromSeconds(1));

        Assert.False(limiter.TryAcquire("open_id:ou_a", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(2), wait);
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.TimeUntilAvailable(null));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(limiter.TryAcquire("open_id:ou_a", out _));
    }

    [Fact]
    public void PauseReceiver_holds_only_that_receiver()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(), clock);

        limiter.PauseReceiver("chat_id:oc_x", TimeSpan.FromSeconds(3));

        Assert.False(limiter.TryAcquire("chat_id:oc_x", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(3), wait);
        Assert.True(limiter.TryAcquire("chat_id:oc_y", out _));
        Assert.True(limiter.TryAcquire(null, out _));
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(limiter.TryAcquire("chat_id:oc_x", out _));
    }

    [Fact]
    public void Idle_receivers_are_pruned()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(perSecond: 0, perMinute: 0), clock);

        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(limiter.TryAcquire("open_id:ou_" + i, out _));
        }

        limiter.PauseReceiver("open_id:ou_paused", TimeSpan.FromMinutes(1));
        Assert.Equal(100_001, limiter.TrackedReceivers);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(limiter.TryAcquire("open_id:ou_new", out _));

        // Only the new one and the one still paused remain.
        Assert.Equal(2, limiter.TrackedReceivers);
    }

    [Fact]
    public void Streaming_distinct_receivers_keeps_state_bounded()
    {
        var clock = new FakeClock();
        var limiter = new RateLimiter(NoMargin(perMinute: 0), clock);
        var peak = 0;

        // 100,000 receivers at 50/s, each used once: at most the last two windows' worth are held.
        for (var i = 0; i < 100_000; i++)
        {
            while (!limiter.TryAcquire("open_id:ou_" + i, out var wait))
            {
                clock.Advance(wait);
            }

            peak = Math.Max(peak, limiter.TrackedReceivers);
        }

        Assert.InRange(peak, 1, 150);
    }
}
