using System.Collections.Concurrent;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Session;
using Xunit;
using static LarkPS.UnitTests.Delivery.EngineTestKit;

namespace LarkPS.UnitTests.Delivery;

public class DeliveryEngineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Never_more_than_ThrottleLimit_sends_run_at_once()
    {
        const int limit = 4;
        var running = 0;
        var peak = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var engine = Engine<int, int>(Unlimited(limit, maxPending: 32), SystemClock.Instance, async (work, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            if (now == limit)
            {
                reached.TrySetResult();
            }

            // Hold the slot until all slots are taken (or briefly), so the peak is really reached.
            await Task.WhenAny(reached.Task, Task.Delay(20, ct));
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return work;
        });

        var items = Enumerable.Range(0, 300).ToList();
        var events = RunAll(engine, items);

        Assert.Equal(limit, peak);
        Assert.All(Terminals(events, items).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        Assert.Equal(0, engine.Statistics.InFlight);
        Assert.Equal(0, engine.Statistics.Pending);
    }

    [Fact]
    public void Events_are_handed_out_only_on_the_caller_thread()
    {
        var clock = new FakeClock { AutoAdvance = true };
        var senderThreads = new ConcurrentDictionary<int, bool>();
        var calls = new ConcurrentDictionary<int, int>();
        using var engine = Engine<int, string>(new DeliveryOptions(), clock, async (work, ct) =>
        {
            await Task.Yield();
            senderThreads[Environment.CurrentManagedThreadId] = true;
            if (calls.AddOrUpdate(work, 1, (_, n) => n + 1) == 1 && work % 3 == 0)
            {
                throw Lark(LarkErrorCodes.ServerError, 500);
            }

            return "om_" + work;
        }, work => "open_id:ou_" + (work % 20));
        var caller = Environment.CurrentManagedThreadId;
        var eventThreads = new List<int>();
        var events = new List<DeliveryEvent<int, string>>();
        var items = Enumerable.Range(0, 200).ToList();

        foreach (var item in items)
        {
            foreach (var e in engine.Submit(item))
            {
                eventThreads.Add(Environment.CurrentManagedThreadId);
                events.Add(e);
            }
        }

        foreach (var e in engine.Complete())
        {
            eventThreads.Add(Environment.CurrentManagedThreadId);
            events.Add(e);
        }

        Assert.All(eventThreads, id => Assert.Equal(caller, id));
        Assert.DoesNotContain(caller, senderThreads.Keys);
        var terminals = Terminals(events, items);
        Assert.All(terminals.Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        Assert.Equal("om_42", terminals[42].Result);
        Assert.Equal(67, events.Count(e => e.Kind == DeliveryEventKind.Retrying));
    }

    [Fact]
    public void Transient_failures_then_success_give_Retrying_events_and_one_Succeeded()
    {
        var clock = new FakeClock { AutoAdvance = true };
        var calls = new ConcurrentDictionary<int, int>();
        using var engine = Engine<int, int>(new DeliveryOptions(), clock, (work, ct) =>
        {
            var call = calls.AddOrUpdate(work, 1, (_, n) => n + 1);
            return call <= 2 ? throw Lark(LarkErrorCodes.ServerError, 500) : Task.FromResult(work * 10);
        });
        var items = Enumerable.Range(0, 10).ToList();

        var events = RunAll(engine, items);

        var terminals = Terminals(events, items);
        Assert.All(terminals.Values, e =>
        {
            Assert.Equal(DeliveryEventKind.Succeeded, e.Kind);
            Assert.Equal(3, e.Attempts);
            Assert.Equal(e.Work * 10, e.Result);
        });
        var retries = events.Where(e => e.Kind == DeliveryEventKind.Retrying).ToList();
        Assert.Equal(20, retries.Count);
        Assert.All(retries, e =>
        {
            Assert.Contains("Lark server error (5000, HTTP 500)", e.Reason);
            Assert.IsType<LarkApiException>(e.Exception);
        });
        Assert.Equal(new[] { 1, 2 }, retries.Where(e => e.Work == 4).Select(e => e.Attempts));
        var stats = engine.Statistics;
        Assert.Equal(10, stats.Submitted);
        Assert.Equal(10, stats.Succeeded);
        Assert.Equal(20, stats.Retries);
        Assert.Equal(0, stats.Failed);
    }

    [Fact]
    public void A_final_code_fails_at_once_without_retry()
    {
        var calls = 0;
        using var engine = Engine<string, int>(new DeliveryOptions(), new FakeClock(), (work, ct) =>
        {
            Interlocked.Increment(ref calls);
            throw Lark(LarkErrorCodes.BotNotInChat);
        });

        var events = RunAll(engine, new[] { "chat" });

        var failed = Assert.Single(events);
        Assert.Equal(DeliveryEventKind.Failed, failed.Kind);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(LarkErrorCodes.BotNotInChat, Assert.IsType<LarkApiException>(failed.Exception).Code);
        Assert.Contains("final", failed.Reason);
        Assert.Equal(1, calls);
        Assert.Equal(1, engine.Statistics.Failed);
    }

    [Fact]
    public void Retries_end_at_MaxAttempts_with_one_Failed()
    {
        var options = new DeliveryOptions { MaxAttempts = 3 };
        using var engine = Engine<int, int>(options, new FakeClock { AutoAdvance = true }, (work, ct) => throw new HttpRequestException("reset"));

        var events = RunAll(engine, new[] { 1 });

        Assert.Equal(2, events.Count(e => e.Kind == DeliveryEventKind.Retrying));
        var failed = Assert.Single(events, e => e.IsTerminal);
        Assert.Equal(DeliveryEventKind.Failed, failed.Kind);
        Assert.Equal(3, failed.Attempts);
    }

    [Fact]
    public async Task A_429_pauses_the_whole_app_for_the_reset_time()
    {
        var clock = new FakeClock();
        var options = new DeliveryOptions();
        var limiter = new RateLimiter(options, clock);
        var calls = 0;
        using var engine = Engine<int, int>(options, clock, (work, ct) =>
            Interlocked.Increment(ref calls) == 1
                ? throw Lark(LarkErrorCodes.AppFrequencyLimit, 429, TimeSpan.FromSeconds(2))
                : Task.FromResult(work), limiter: limiter);

        var accepted = engine.Submit(1).ToList();
        Assert.True(SpinWait.SpinUntil(() => limiter.TimeUntilAvailable(null) > TimeSpan.Zero, Patience));
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.TimeUntilAvailable(null));

        using var pumping = new CancellationTokenSource();
        var pump = PumpAsync(clock, pumping.Token);
        var events = accepted.Concat(engine.Complete()).ToList();
        pumping.Cancel();
        await pump;

        var retry = Assert.Single(events, e => e.Kind == DeliveryEventKind.Retrying);
        Assert.InRange(retry.Delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.25));
        Assert.Contains("x-ogw-ratelimit-reset", retry.Reason);
        var done = Assert.Single(events, e => e.IsTerminal);
        Assert.Equal(DeliveryEventKind.Succeeded, done.Kind);
        Assert.Equal(2, done.Attempts);
    }

    [Fact]
    public async Task A_230020_pauses_only_that_receiver()
    {
        var clock = new FakeClock();
        var options = new DeliveryOptions();
        var limiter = new RateLimiter(options, clock);
        var calls = 0;
        using var engine = Engine<string, string>(options, clock, (work, ct) =>
            Interlocked.Increment(ref calls) == 1 ? throw Lark(LarkErrorCodes.ReceiverFrequencyLimit) : Task.FromResult(work),
            work => work, limiter: limiter);

        var accepted = engine.Submit("open_id:ou_a").ToList();
        Assert.True(SpinWait.SpinUntil(() => limiter.TimeUntilAvailable("open_id:ou_a") >= TimeSpan.FromSeconds(1), Patience));
        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAvailable("open_id:ou_b"));

        using var pumping = new CancellationTokenSource();
        var pump = PumpAsync(clock, pumping.Token);
        var events = accepted.Concat(engine.Submit("open_id:ou_b")).Concat(engine.Complete()).ToList();
        pumping.Cancel();
        await pump;

        Assert.All(Terminals(events, new[] { "open_id:ou_a", "open_id:ou_b" }).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
    }

    [Fact]
    public async Task Items_held_by_one_receivers_quota_do_not_block_other_receivers()
    {
        var clock = new FakeClock();
        var options = new DeliveryOptions { ThrottleLimit = 2, MaxPending = 8, ReceiverPerSecond = 1 };
        var sent = new ConcurrentQueue<(string Work, DateTimeOffset At)>();
        using var engine = Engine<string, int>(options, clock, (work, ct) =>
        {
            sent.Enqueue((work, clock.UtcNow));
            return Task.FromResult(0);
        }, work => work.Split('#')[0]);
        var items = new[] { "a#1", "a#2", "a#3", "a#4", "b#1", "c#1" };

        var events = items.SelectMany(engine.Submit).ToList();

        // Without time passing, the first send to each receiver goes out; the other three to "a" wait off the slots.
        Assert.True(SpinWait.SpinUntil(() => engine.Statistics is { Succeeded: 3, Pending: 3 }, Patience));
        Thread.Sleep(50);
        Assert.Equal(3, engine.Statistics.Succeeded);

        using var pumping = new CancellationTokenSource();
        var pump = PumpAsync(clock, pumping.Token);
        events.AddRange(engine.Complete());
        pumping.Cancel();
        await pump;

        Assert.All(Terminals(events, items).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        var toA = sent.Where(s => s.Work.StartsWith("a#")).Select(s => s.At).OrderBy(t => t).ToList();
        for (var i = 1; i < toA.Count; i++)
        {
            Assert.True(toA[i] - toA[i - 1] >= TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Submit_blocks_while_MaxPending_items_are_unfinished()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var engine = Engine<int, int>(Unlimited(2, maxPending: 3), SystemClock.Instance, (work, ct) => gate.Task);
        var early = Enumerable.Range(0, 3).SelectMany(engine.Submit).ToList();

        var fourth = Task.Run(() => engine.Submit(3).ToList());

        await Task.Delay(200);
        Assert.False(fourth.IsCompleted);
        Assert.Empty(early);
        Assert.Equal(2, engine.Statistics.InFlight);
        Assert.Equal(3, engine.Statistics.Pending);
        gate.SetResult(1);
        var whileWaiting = await fourth.WaitAsync(Patience);
        var events = early.Concat(whileWaiting).Concat(engine.Complete()).ToList();
        Assert.All(Terminals(events, Enumerable.Range(0, 4)).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
    }

    [Fact]
    public void A_stop_during_backoff_or_limiter_waits_reports_Stopped_promptly()
    {
        var clock = new FakeClock();
        var options = new DeliveryOptions { AppPerSecond = 2 };
        using var stop = new CancellationTokenSource();
        var calls = 0;
        using var engine = Engine<int, int>(options, clock, (work, ct) =>
        {
            Interlocked.Increment(ref calls);
            throw Lark(LarkErrorCodes.ServerError, 500);
        }, stopToken: stop.Token);
        var items = Enumerable.Range(0, 4).ToList();
        var events = items.SelectMany(engine.Submit).ToList();

        // Two items back off after their first failure; two wait for the 2/s window. Fake time never moves.
        Assert.True(SpinWait.SpinUntil(() => engine.Statistics.Retries == 2, Patience));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        stop.Cancel();
        events.AddRange(engine.Complete());
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"Complete took {watch.Elapsed}");
        var terminals = Terminals(events, items);
        Assert.All(terminals.Values, e => Assert.Equal(DeliveryEventKind.Stopped, e.Kind));
        Assert.Equal(2, terminals.Values.Count(e => e.Exception is LarkApiException && e.Attempts == 1));
        Assert.Equal(2, calls);
        Assert.Equal(4, engine.Statistics.Stopped);
    }

    [Fact]
    public void A_throwing_receiverKey_fails_that_item_and_loses_nothing()
    {
        using var engine = Engine<int, int>(new DeliveryOptions(), new FakeClock(), (work, ct) => Task.FromResult(work),
            work => work == 2 ? throw new FormatException("bad receiver") : "open_id:ou_" + work);
        var items = Enumerable.Range(0, 5).ToList();

        var terminals = Terminals(RunAll(engine, items), items);

        Assert.Equal(DeliveryEventKind.Failed, terminals[2].Kind);
        Assert.IsType<FormatException>(terminals[2].Exception);
        Assert.Equal(4, terminals.Values.Count(e => e.Kind == DeliveryEventKind.Succeeded));
    }

    [Fact]
    public void Submit_after_Complete_or_Dispose_throws()
    {
        var engine = Engine<int, int>(new DeliveryOptions(), new FakeClock(), (work, ct) => Task.FromResult(work));
        Assert.Empty(engine.Complete());
        Assert.Throws<InvalidOperationException>(() => engine.Submit(1));

        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => engine.Submit(1));
    }

    [Fact]
    public void Statistics_count_rate_on_the_injected_clock()
    {
        var clock = new FakeClock();
        using var engine = Engine<int, int>(Unlimited(), clock, (work, ct) => Task.FromResult(work));

        Assert.Null(engine.Statistics.StartedAt);
        var events = RunAll(engine, Enumerable.Range(0, 10));
        clock.Advance(TimeSpan.FromSeconds(2));

        var stats = engine.Statistics;
        Assert.Equal(10, events.Count);
        Assert.Equal(clock.UtcNow - TimeSpan.FromSeconds(2), stats.StartedAt);
        Assert.Equal(5.0, stats.MessagesPerSecond, 3);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
