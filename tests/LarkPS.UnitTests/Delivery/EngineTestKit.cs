using System.Net;
using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Session;
using Xunit;
using LarkPS.Threading;

namespace LarkPS.UnitTests.Delivery;

/// <summary>Small helpers shared by the engine tests.</summary>
internal static class EngineTestKit
{
    /// <summary>Options with every rate window off, for tests about concurrency rather than quotas.</summary>
    public static DeliveryOptions Unlimited(int throttleLimit = 16, int? maxPending = null)
    {
        var options = new DeliveryOptions
        {
            ThrottleLimit = throttleLimit,
            AppPerSecond = 0,
            AppPerMinute = 0,
            ReceiverPerSecond = 0,
        };
        if (maxPending is not null)
        {
            options.MaxPending = maxPending.Value;
        }

        return options;
    }

    public static DeliveryEngine<TWork, TResult> Engine<TWork, TResult>(
        DeliveryOptions options,
        IClock clock,
        Func<TWork, CancellationToken, Task<TResult>> sendOnce,
        Func<TWork, string?>? receiverKey = null,
        RateLimiter? limiter = null,
        Random? random = null,
        CancellationToken stopToken = default) =>
        Engine<TWork, TResult>(options, clock, (work, _, ct) => sendOnce(work, ct), receiverKey, limiter, random, stopToken);

    /// <summary>An engine whose sends are handed their attempt's pacing ticket, as the module's senders are.</summary>
    public static DeliveryEngine<TWork, TResult> Engine<TWork, TResult>(
        DeliveryOptions options,
        IClock clock,
        Func<TWork, PacingTicket, CancellationToken, Task<TResult>> sendOnce,
        Func<TWork, string?>? receiverKey = null,
        RateLimiter? limiter = null,
        Random? random = null,
        CancellationToken stopToken = default) =>
        new(
            options,
            limiter ?? new RateLimiter(options.Pacing, clock),
            new RetryPolicy(options.Pacing, random ?? new Random(7)),
            clock,
            receiverKey ?? (_ => null),
            sendOnce,
            stopToken);

    /// <summary>Submits every item and completes, the way the cmdlet will, returning every event in the order handed out.</summary>
    public static List<DeliveryEvent<TWork, TResult>> RunAll<TWork, TResult>(DeliveryEngine<TWork, TResult> engine, IEnumerable<TWork> items)
    {
        var events = new List<DeliveryEvent<TWork, TResult>>();
        foreach (var item in items)
        {
            events.AddRange(engine.Submit(item));
        }

        events.AddRange(engine.Complete());
        return events;
    }

    public static LarkApiException Lark(int code, int http = 400, TimeSpan? retryAfter = null) =>
        new($"Lark said {code}", code, "msg", (HttpStatusCode)http, "log-1", retryAfter);

    /// <summary>Asserts every item has exactly one terminal event and returns them by item.</summary>
    public static Dictionary<TWork, DeliveryEvent<TWork, TResult>> Terminals<TWork, TResult>(
        IEnumerable<DeliveryEvent<TWork, TResult>> events, IEnumerable<TWork> items)
        where TWork : notnull
    {
        var terminals = events.Where(e => e.IsTerminal).ToList();
        foreach (var group in terminals.GroupBy(e => e.Work))
        {
            Assert.True(group.Count() == 1, $"{group.Key}: {group.Count()} terminal events");
        }

        var byItem = terminals.ToDictionary(e => e.Work);
        foreach (var item in items)
        {
            Assert.True(byItem.ContainsKey(item), $"{item}: no terminal event");
        }

        return byItem;
    }
}
