using System.Collections.Concurrent;
using LarkPS.Api;
using LarkPS.Delivery;
using Xunit;
using static LarkPS.UnitTests.Delivery.EngineTestKit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>Per-receiver order, fairness across receivers and throughput of the dispatcher, on the fake clock.</summary>
public class DeliveryEngineOrderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void First_attempts_to_each_receiver_start_in_submission_order()
    {
        var clock = new FakeClock { AutoAdvance = true };
        var options = new DeliveryOptions { AppPerSecond = 50, ReceiverPerSecond = 5 };
        var starts = new ConcurrentQueue<(int Work, DateTimeOffset At)>();
        using var engine = Engine<int, int>(options, clock, async (work, ct) =>
        {
            starts.Enqueue((work, clock.UtcNow));
            await Task.Yield();
            return work;
        }, work => "open_id:ou_" + (work % 20));
        var items = Enumerable.Range(0, 100).ToList();

        var events = RunAll(engine, items);

        Assert.All(Terminals(events, items).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        Assert.Equal(100, starts.Count);
        foreach (var receiver in starts.GroupBy(s => s.Work % 20))
        {
            var order = receiver.Select(s => s.Work).ToList();
            Assert.Equal(order.OrderBy(w => w), order);
            var times = receiver.Select(s => s.At).ToList();
            for (var i = 5; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - 5] >= TimeSpan.FromSeconds(1), $"receiver {receiver.Key}: more than 5 in a second");
            }
        }
    }

    [Fact]
    public async Task A_hot_receiver_does_not_hold_back_the_others()
    {
        // 30 items to one receiver (5/s: about 5 s of sends) interleaved with 70 to 70 others (50/s: about 1 s).
        var clock = new FakeClock();
        var options = new DeliveryOptions { ThrottleLimit = 16, MaxPending = 100 };
        var start = clock.UtcNow;
        var starts = new ConcurrentQueue<(string Work, DateTimeOffset At)>();
        using var engine = Engine<string, int>(options, clock, (work, ct) =>
        {
            starts.Enqueue((work, clock.UtcNow));
            return Task.FromResult(0);
        }, work => work.Split('#')[0]);
        var items = Enumerable.Range(0, 100)
            .Select(i => i % 10 < 3 ? "open_id:ou_hot#" + i : "open_id:ou_" + i + "#" + i)
            .ToList();

        var events = items.SelectMany(engine.Submit).ToList();
        using var pumping = new CancellationTokenSource();
        var pump = FinePumpAsync(clock, pumping.Token);
        events.AddRange(engine.Complete());
        pumping.Cancel();
        await pump;

        Assert.All(Terminals(events, items).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        var hot = starts.Where(s => s.Work.StartsWith("open_id:ou_hot#", StringComparison.Ordinal)).ToList();
        var others = starts.Except(hot).ToList();
        Assert.Equal(30, hot.Count);
        Assert.Equal(70, others.Count);

        // The others need the first window's 50 minus the hot receiver's 5, then the rest a window later.
        var othersDone = others.Max(s => s.At) - start;
        var hotDone = hot.Max(s => s.At) - start;
        Assert.True(othersDone < TimeSpan.FromSeconds(1.5), $"the others took {othersDone}");
        Assert.True(hotDone >= TimeSpan.FromSeconds(5), $"the hot receiver took only {hotDone}");
        Assert.Equal(hot.Select(s => s.Work).OrderBy(Number), hot.Select(s => s.Work));
    }

    [Fact]
    public void A_long_backoff_lets_later_items_to_its_receiver_go_ahead()
    {
        // BaseBackoff 10 s at a fixed jitter of 0.9: the retry waits 9 s, longer than a receiver is held.
        var clock = new FakeClock();
        var options = new DeliveryOptions { BaseBackoff = TimeSpan.FromSeconds(10) };
        var sent = new ConcurrentQueue<string>();
        var failedOnce = 0;
        using var engine = Engine<string, int>(options, clock, async (work, ct) =>
        {
            sent.Enqueue(work);
            await Task.Yield();
            return work == "a#1" && Interlocked.Exchange(ref failedOnce, 1) == 0 ? throw Lark(LarkErrorCodes.ServerError, 500) : 0;
        }, work => work.Split('#')[0], random: new FixedRandom(0.9));

        // Once the dispatcher waits on the clock, a#1 is back in its place, backing off.
        var events = engine.Submit("a#1").ToList();
        Assert.True(SpinWait.SpinUntil(() => engine.Statistics.Retries == 1 && clock.PendingDelays == 1, Patience));
        events.AddRange(new[] { "a#2", "a#3" }.SelectMany(engine.Submit));

        // Fake time does not move, yet the later items go out while a#1 backs off.
        Assert.True(SpinWait.SpinUntil(() => engine.Statistics.Succeeded >= 2, Patience));
        Assert.Equal(new[] { "a#1", "a#2", "a#3" }, sent);

        clock.Advance(TimeSpan.FromSeconds(9));
        events.AddRange(engine.Complete());

        var terminals = Terminals(events, new[] { "a#1", "a#2", "a#3" });
        Assert.All(terminals.Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        Assert.Equal(2, terminals["a#1"].Attempts);
        var retry = Assert.Single(events, e => e.Kind == DeliveryEventKind.Retrying);
        Assert.Equal(TimeSpan.FromSeconds(9), retry.Delay);
    }

    [Fact]
    public void A_short_backoff_keeps_later_items_to_its_receiver_behind_it()
    {
        // BaseBackoff 1 s at a fixed jitter of 0.5: the retry waits 0.5 s and holds its receiver, not the others.
        var clock = new FakeClock();
        var options = new DeliveryOptions { BaseBackoff = TimeSpan.FromSeconds(1) };
        var sent = new ConcurrentQueue<string>();
        var failedOnce = 0;
        using var engine = Engine<string, int>(options, clock, async (work, ct) =>
        {
            sent.Enqueue(work);
            await Task.Yield();
            return work == "a#1" && Interlocked.Exchange(ref failedOnce, 1) == 0 ? throw Lark(LarkErrorCodes.ServerError, 500) : 0;
        }, work => work.Split('#')[0], random: new FixedRandom(0.5));

        // Once the dispatcher waits on the clock, a#1 is back in its place, backing off.
        var events = engine.Submit("a#1").ToList();
        Assert.True(SpinWait.SpinUntil(() => engine.Statistics.Retries == 1 && clock.PendingDelays == 1, Patience));
        events.AddRange(new[] { "a#2", "b#1" }.SelectMany(engine.Submit));

        Assert.True(SpinWait.SpinUntil(() => engine.Statistics.Succeeded >= 1, Patience));
        Thread.Sleep(50);
        Assert.Equal(new[] { "a#1", "b#1" }, sent);

        clock.Advance(TimeSpan.FromSeconds(0.5));
        events.AddRange(engine.Complete());

        Assert.All(Terminals(events, new[] { "a#1", "a#2", "b#1" }).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        Assert.Equal(new[] { "a#1", "b#1", "a#1", "a#2" }, sent);
    }

    [Fact]
    public void Sustains_over_95_percent_of_the_app_quota_for_3000_sends_to_20_receivers()
    {
        var clock = new FakeClock { AutoAdvance = true };
        var options = new DeliveryOptions { AppPerMinute = 0 };
        var start = clock.UtcNow;
        var starts = new ConcurrentQueue<(int Work, DateTimeOffset At)>();
        using var engine = Engine<int, int>(options, clock, (work, ct) =>
        {
            starts.Enqueue((work, clock.UtcNow));
            return Task.FromResult(work);
        }, work => "open_id:ou_" + (work % 20));
        var items = Enumerable.Range(0, 3000).ToList();

        var events = RunAll(engine, items);

        Assert.All(Terminals(events, items).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        var times = starts.Select(s => s.At).OrderBy(t => t).ToList();
        for (var i = 50; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 50] >= TimeSpan.FromSeconds(1), $"send {i}: more than 50 in a second");
        }

        foreach (var receiver in starts.GroupBy(s => s.Work % 20))
        {
            Assert.Equal(receiver.Select(s => s.Work).OrderBy(w => w), receiver.Select(s => s.Work));
        }

        var rate = times.Count / (times[^1] - start).TotalSeconds;
        Assert.True(rate >= 47.5, $"sustained {rate:F2}/s");
    }

    private static int Number(string work) => int.Parse(work.Split('#')[1], System.Globalization.CultureInfo.InvariantCulture);

    // Advances fake time in steps finer than the windows, so measured times are close to the ideal ones.
    private static async Task FinePumpAsync(FakeClock clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            clock.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Delay(2, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>A jitter source that always returns the same value, so a backoff is exactly known.</summary>
    private sealed class FixedRandom : Random
    {
        private readonly double _value;

        public FixedRandom(double value) => _value = value;

        public override double NextDouble() => _value;

        protected override double Sample() => _value;
    }
}
