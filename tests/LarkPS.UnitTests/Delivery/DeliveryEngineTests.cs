using System.Collections.Concurrent;
using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Session;
using Xunit;
using static LarkPS.UnitTests.Delivery.EngineTestKit;

namespace LarkPS.UnitTests.Delivery;

public class DeliveryEngineTests
{
    [Fact]
    public void Events_are_handed_out_only_on_the_caller_thread()
    {
        var clock = new FakeClock { AutoAdvance = true };
        var senderThreads = new ConcurrentDictionary<int, bool>();
        var calls = new ConcurrentDictionary<int, int>();
        // AutoAdvance moves time to every wait, even one cut short, so minutes pass in a blink: the item deadline is not this test's subject.
        using var engine = Engine<int, string>(new DeliveryOptions { ItemDeadline = TimeSpan.FromDays(1) }, clock, async (work, ct) =>
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
        // AutoAdvance moves time to every wait, even one cut short, so minutes pass in a blink: the item deadline is not this test's subject.
        using var engine = Engine<int, int>(new DeliveryOptions { ItemDeadline = TimeSpan.FromDays(1) }, clock, (work, ct) =>
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
        // AutoAdvance moves time to every wait, even one cut short, so minutes pass in a blink: the item deadline is not this test's subject.
        var options = new DeliveryOptions { MaxAttempts = 3, ItemDeadline = TimeSpan.FromDays(1) };
        using var engine = Engine<int, int>(options, new FakeClock { AutoAdvance = true }, (work, ct) => throw new HttpRequestException("reset"));

        var events = RunAll(engine, new[] { 1 });

        Assert.Equal(2, events.Count(e => e.Kind == DeliveryEventKind.Retrying));
        var failed = Assert.Single(events, e => e.IsTerminal);
        Assert.Equal(DeliveryEventKind.Failed, failed.Kind);
        Assert.Equal(3, failed.Attempts);
    }

    [Fact]
    public async Task A_stop_reports_every_item_once_and_cancels_sends_after_the_grace_period_on_the_engine_clock()
    {
        // Sends that never end unless cancelled; the grace period passes on the fake clock, not in wall time.
        var clock = new FakeClock { AutoAdvance = true };
        using var stop = new CancellationTokenSource();
        var started = 0;
        var reachedFour = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var engine = Engine<int, int>(Unlimited(throttleLimit: 4, maxPending: 4), clock, async (work, ct) =>
        {
            if (Interlocked.Increment(ref started) == 4)
            {
                reachedFour.TrySetResult();
            }

            await Task.Delay(Timeout.Infinite, ct);
            return work;
        }, stopToken: stop.Token);
        var items = Enumerable.Range(0, 10).ToList();
        var events = new List<DeliveryEvent<int, int>>();
        foreach (var item in items.Take(4))
        {
            events.AddRange(engine.Submit(item));
        }

        await reachedFour.Task.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Cancel();
        foreach (var item in items.Skip(4))
        {
            events.AddRange(engine.Submit(item));
        }

        events.AddRange(engine.Complete());

        var terminals = Terminals(events, items);
        Assert.All(terminals.Values, e => Assert.Equal(DeliveryEventKind.Stopped, e.Kind));
        Assert.Equal(4, started);
        Assert.Equal(10, engine.Statistics.Stopped);
        Assert.Equal(0, engine.Statistics.Pending);
    }

    // Ctrl+C's bound, on the engine's clock (the engine test of Ctrl+C checks what the sandbox received): even sends that
    // ignore their cancellation hold the caller no longer than the grace period and the abandon wait.
    [Fact]
    public async Task After_a_stop_Complete_returns_at_the_grace_period_and_the_abandon_wait_even_when_sends_ignore_their_token()
    {
        var clock = new FakeClock();
        var options = Unlimited(throttleLimit: 2);
        using var stop = new CancellationTokenSource();
        var started = 0;
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var engine = Engine<int, int>(options, clock, (work, ct) =>
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.TrySetResult();
            }

            return never.Task;
        }, stopToken: stop.Token);
        var events = new List<DeliveryEvent<int, int>>();
        foreach (var item in Enumerable.Range(0, 4))
        {
            events.AddRange(engine.Submit(item));
        }

        await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Cancel();
        var completing = Task.Run(() => engine.Complete().ToList());

        clock.Advance(options.StopGracePeriod);
        await Task.Delay(300);
        Assert.False(completing.IsCompleted, "Complete returned before the abandon wait passed on the engine's clock");
        clock.Advance(options.Pacing.AbandonAfterCancel);
        events.AddRange(await completing.WaitAsync(TimeSpan.FromSeconds(30)));

        var terminals = Terminals(events, Enumerable.Range(0, 4));
        Assert.All(terminals.Values, e => Assert.Equal(DeliveryEventKind.Stopped, e.Kind));
        Assert.Equal(2, started);
    }

    [Fact]
    public void A_token_refused_again_after_the_clients_refresh_is_not_retried_a_second_time()
    {
        // LarkApiClient already dropped the token, fetched a new one and resent: the engine must not add a resend.
        var calls = 0;
        using var engine = Engine<int, int>(new DeliveryOptions(), new FakeClock { AutoAdvance = true }, (work, ct) =>
        {
            Interlocked.Increment(ref calls);
            throw Lark(LarkErrorCodes.TokenInvalid);
        });

        var events = RunAll(engine, new[] { 1 });

        var failed = Assert.Single(events);
        Assert.Equal(DeliveryEventKind.Failed, failed.Kind);
        Assert.Equal(1, calls);
        Assert.Contains("not retried", failed.Reason);
    }

    [Fact]
    public void The_send_body_reports_when_it_leaves_through_the_ticket_of_its_attempt()
    {
        var clock = new FakeClock { AutoAdvance = true };
        var options = new DeliveryOptions();
        var limiter = new RateLimiter(options.Pacing, clock);
        var bodies = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var engine = Engine<int, int>(options, clock, async (work, ticket, ct) =>
        {
            using var content = LarkApiClient.JsonContent(System.Text.Encoding.UTF8.GetBytes("{\"n\":" + work + "}"), ticket);
            bodies.Add(content.GetType().Name);
            await content.ReadAsByteArrayAsync(ct);
            return work;
        }, work => "chat_id:oc_" + work, limiter);

        var events = RunAll(engine, Enumerable.Range(0, 3));

        Assert.All(Terminals(events, Enumerable.Range(0, 3)).Values, e => Assert.Equal(DeliveryEventKind.Succeeded, e.Kind));
        Assert.All(bodies, name => Assert.Equal("LeavingContent", name));
        Assert.Equal("ByteArrayContent", LarkApiClient.JsonContent(new byte[] { 1 }, null).GetType().Name);
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

}
