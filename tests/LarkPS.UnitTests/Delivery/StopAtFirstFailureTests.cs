using System.Collections.Concurrent;
using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;
using Xunit;
using static LarkPS.UnitTests.Delivery.EngineTestKit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>-ErrorAction Stop in the engine: nothing starts after the first final failure; what is in flight finishes, uncancelled.</summary>
public class StopAtFirstFailureTests
{
    [Fact]
    public void After_the_first_failure_nothing_starts_and_the_send_in_flight_finishes_uncancelled()
    {
        var options = Unlimited(throttleLimit: 2);
        options.StopAtFirstFailure = true;
        var started = new ConcurrentQueue<int>();
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondCancelled = false;
        using var engine = Engine<int, int>(options, new FakeClock(), async (work, ct) =>
        {
            started.Enqueue(work);
            if (work == 0)
            {
                // Refused once the second is surely in flight.
                await secondStarted.Task;
                throw Lark(LarkErrorCodes.BotNotInChat);
            }

            secondStarted.TrySetResult();
            await releaseSecond.Task;
            secondCancelled = ct.IsCancellationRequested;
            return work;
        });
        var items = Enumerable.Range(0, 6).ToList();
        var events = new List<DeliveryEvent<int, int>>();
        foreach (var item in items)
        {
            events.AddRange(engine.Submit(item));
        }

        foreach (var delivery in engine.Complete())
        {
            events.Add(delivery);
            if (delivery.Kind == DeliveryEventKind.Failed)
            {
                // The verdict is out, and the engine stopped starting before it handed the event out: only now may the
                // send in flight finish (the freed slot must stay empty).
                releaseSecond.TrySetResult();
            }
        }

        var byItem = Terminals(events, items);
        Assert.Equal(DeliveryEventKind.Failed, byItem[0].Kind);
        Assert.Equal(DeliveryEventKind.Succeeded, byItem[1].Kind);
        Assert.False(secondCancelled);
        foreach (var item in items.Skip(2))
        {
            Assert.Equal(DeliveryEventKind.Stopped, byItem[item].Kind);
            Assert.Equal(0, byItem[item].Attempts);
        }

        Assert.Equal(new[] { 0, 1 }, started.OrderBy(i => i));
    }

    [Fact]
    public void Without_it_one_failure_stops_nothing()
    {
        var calls = 0;
        using var engine = Engine<int, int>(Unlimited(throttleLimit: 1), new FakeClock(), (work, ct) =>
        {
            Interlocked.Increment(ref calls);
            return work == 0 ? throw Lark(LarkErrorCodes.BotNotInChat) : Task.FromResult(work);
        });

        var events = RunAll(engine, Enumerable.Range(0, 4));

        Assert.Equal(4, calls);
        Assert.Equal(3, events.Count(e => e.Kind == DeliveryEventKind.Succeeded));
    }

    [Fact]
    public void StopStarting_reports_items_not_started_as_Stopped_with_no_attempt()
    {
        using var engine = Engine<int, int>(Unlimited(throttleLimit: 1), new FakeClock(), (work, ct) => Task.FromResult(work));

        engine.StopStarting();
        var events = RunAll(engine, Enumerable.Range(0, 3));

        Assert.All(events, e => Assert.Equal(DeliveryEventKind.Stopped, e.Kind));
        Assert.All(events, e => Assert.Equal(0, e.Attempts));
        Assert.Equal(3, events.Count);
    }
}
