using System.Collections.Concurrent;
using System.Diagnostics;
using LarkPS.Delivery;
using LarkPS.Session;
using Xunit;
using Xunit.Abstractions;
using static LarkPS.UnitTests.Delivery.EngineTestKit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>Tests in wall time or measuring the whole process's memory: they run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeliveryTimingTests
{
    public const string Name = "Delivery timing";
}

[Collection(DeliveryTimingTests.Name)]
public class DeliveryEngineTimingTests
{
    private readonly ITestOutputHelper _output;

    public DeliveryEngineTimingTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Reaches_the_app_quota_without_exceeding_any_window()
    {
        // 150 messages to 20 receivers, 100 ms per request, Lark's real quotas, the real clock.
        var options = new DeliveryOptions();
        var starts = new ConcurrentQueue<(int Work, long At)>();
        var watch = Stopwatch.StartNew();
        using var engine = Engine<int, int>(options, SystemClock.Instance, async (work, ct) =>
        {
            starts.Enqueue((work, watch.ElapsedTicks));
            await Task.Delay(100, ct);
            return work;
        }, work => "open_id:ou_" + (work % 20));
        var items = Enumerable.Range(0, 150).ToList();

        var events = RunAll(engine, items);
        var elapsed = watch.Elapsed;

        Assert.All(Terminals(events, items).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        Assert.Equal(150, starts.Count);

        // Correctness first: measured where sendOnce starts (a hair after the limiter recorded it), allowing 50 ms of scheduling slack.
        var slack = TimeSpan.FromMilliseconds(50);
        var seconds = starts.Select(s => TimeSpan.FromSeconds(s.At / (double)Stopwatch.Frequency)).OrderBy(t => t).ToList();
        for (var i = 50; i < seconds.Count; i++)
        {
            Assert.True(seconds[i] - seconds[i - 50] >= TimeSpan.FromSeconds(1) - slack, $"send {i}: more than 50 in a second");
        }

        foreach (var receiver in starts.GroupBy(s => s.Work % 20))
        {
            var times = receiver.Select(s => TimeSpan.FromSeconds(s.At / (double)Stopwatch.Frequency)).OrderBy(t => t).ToList();
            for (var i = 5; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - 5] >= TimeSpan.FromSeconds(1) - slack, $"receiver {receiver.Key}: more than 5 in a second");
            }
        }

        var rate = items.Count / elapsed.TotalSeconds;
        _output.WriteLine($"150 messages in {elapsed.TotalSeconds:F2} s: {rate:F1} msg/s (limit 50/s with a {options.RateWindowMargin.TotalMilliseconds} ms margin)");

        // The ideal run takes about 2.5 s (60/s, thanks to the first window's burst): this bound leaves ~0.8 s for a loaded machine.
        Assert.True(rate >= 45, $"only {rate:F1} msg/s");
    }

    [Fact]
    public void A_stop_mid_run_returns_within_a_second_and_every_item_gets_one_terminal_event()
    {
        // MaxPending = ThrottleLimit: exactly items 0-3 are accepted, and each gets an HTTP slot.
        var options = Unlimited(throttleLimit: 4, maxPending: 4);
        using var stop = new CancellationTokenSource();
        var sendCalls = 0;
        using var engine = Engine<int, int>(options, SystemClock.Instance, async (work, ct) =>
        {
            Interlocked.Increment(ref sendCalls);
            switch (work)
            {
                case 0:
                    await Task.Delay(300, CancellationToken.None); // ends within the grace period: Succeeded
                    return work;
                case 1:
                    await Task.Delay(3000, CancellationToken.None); // ignores its token: reported Stopped by Complete
                    return work;
                default:
                    await Task.Delay(Timeout.Infinite, ct); // honours its token: cancelled after the grace period
                    return work;
            }
        }, stopToken: stop.Token);
        var items = Enumerable.Range(0, 100).ToList();
        var events = new List<DeliveryEvent<int, int>>();
        long stoppedAt = 0;
        using var stopper = new Timer(_ =>
        {
            Interlocked.Exchange(ref stoppedAt, Stopwatch.GetTimestamp());
            stop.Cancel();
        }, null, 200, Timeout.Infinite);

        foreach (var item in items)
        {
            events.AddRange(engine.Submit(item));
        }

        events.AddRange(engine.Complete());
        var sinceStop = Stopwatch.GetElapsedTime(Interlocked.Read(ref stoppedAt));

        _output.WriteLine($"Complete returned {sinceStop.TotalMilliseconds:F0} ms after the stop (grace {options.StopGracePeriod.TotalMilliseconds} ms)");
        Assert.True(sinceStop < TimeSpan.FromSeconds(1.5), $"returned {sinceStop} after the stop");
        var terminals = Terminals(events, items);
        Assert.Equal(DeliveryEventKind.Succeeded, terminals[0].Kind);
        Assert.All(terminals.Values.Where(e => e.Work != 0), e => Assert.Equal(DeliveryEventKind.Stopped, e.Kind));
        Assert.Equal(4, sendCalls); // nothing new was sent after the stop
        var stats = engine.Statistics;
        Assert.Equal(100, stats.Submitted);
        Assert.Equal(1, stats.Succeeded);
        Assert.Equal(99, stats.Stopped);
    }

    [Fact]
    public void Memory_stays_flat_while_100000_items_stream_through()
    {
        const int count = 100_000;
        var seen = new int[count];
        var options = Unlimited();

        // Warm up: JIT, thread pool, queue segments.
        using (var warmup = Engine<int, int>(options, SystemClock.Instance, (work, ct) => Task.FromResult(work)))
        {
            RunAll(warmup, Enumerable.Range(0, 2000));
        }

        using var engine = Engine<int, int>(options, SystemClock.Instance, async (work, ct) =>
        {
            await Task.Yield();
            return work;
        });
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long middle = 0;
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < count; i++)
        {
            foreach (var e in engine.Submit(i))
            {
                Count(e);
            }

            if (i == count / 2)
            {
                middle = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        foreach (var e in engine.Complete())
        {
            Count(e);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        _output.WriteLine(
            $"{count} items in {watch.Elapsed.TotalSeconds:F2} s; heap before {before / 1024} KB, midway {middle / 1024} KB, after {after / 1024} KB");

        Assert.All(seen, n => Assert.Equal(1, n));
        Assert.True(middle - before < 4 * 1024 * 1024, $"grew {(middle - before) / 1024} KB by midway");
        Assert.True(after - before < 4 * 1024 * 1024, $"grew {(after - before) / 1024} KB");

        void Count(DeliveryEvent<int, int> e)
        {
            Assert.Equal(DeliveryEventKind.Succeeded, e.Kind);
            seen[e.Work]++;
        }
    }
}
