using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using LarkPS.Session;
using LarkPS.Threading;

namespace LarkPS.Events;

/// <summary>
/// The event ids and message ids a connection has already taken, so an event Lark pushes again (same event_id; the
/// docs say to de-duplicate message events by message_id) is acknowledged but written once. Kept per
/// <see cref="LarkConnection"/>, so one session's successive Receive-LarkEvent and Wait-LarkCardAction calls share it.
/// </summary>
internal sealed class EventMemory
{
    private static readonly ConditionalWeakTable<LarkConnection, EventMemory> PerConnection = new();

    private readonly object _gate = new();
    private readonly IClock _clock;
    private readonly EventOptions _options;
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _order = new();

    public EventMemory(IClock clock, EventOptions options)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The memory of <paramref name="connection"/>, made on first use.</summary>
    public static EventMemory For(LarkConnection connection, EventOptions options) =>
        PerConnection.GetValue(connection, c => new EventMemory(c.Clock, options));

    /// <summary>How many ids are remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>True where the event (by <paramref name="eventId"/>, or its message by <paramref name="messageId"/>) was taken before.</summary>
    public bool WasSeen(string? eventId, string? messageId)
    {
        lock (_gate)
        {
            Expire();
            return (eventId is not null && _seen.ContainsKey("e:" + eventId)) || (messageId is not null && _seen.ContainsKey("m:" + messageId));
        }
    }

    /// <summary>Remembers an event as taken.</summary>
    public void Remember(string? eventId, string? messageId)
    {
        lock (_gate)
        {
            var now = _clock.UtcNow;
            Add("e:", eventId, now);
            Add("m:", messageId, now);
            while (_seen.Count > _options.DuplicateCapacity && _order.Count > 0)
            {
                DropOldest();
            }
        }
    }

    /// <summary>Forgets an event that was taken but then answered "not handled": Lark's next push of it is new again.</summary>
    public void Forget(string? eventId, string? messageId)
    {
        lock (_gate)
        {
            if (!string.IsNullOrEmpty(eventId))
            {
                _seen.Remove("e:" + eventId);
            }

            if (!string.IsNullOrEmpty(messageId))
            {
                _seen.Remove("m:" + messageId);
            }
        }
    }

    private void Add(string prefix, string? id, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id))
        {
            return;
        }

        var key = prefix + id;
        if (!_seen.ContainsKey(key))
        {
            _seen[key] = now;
            _order.Enqueue((key, now));
        }
    }

    private void Expire()
    {
        var cutoff = _clock.UtcNow - _options.DuplicateMemory;
        while (_order.Count > 0 && _order.Peek().At < cutoff)
        {
            DropOldest();
        }
    }

    // A key forgotten and remembered again has a newer entry: only its own entry removes it.
    private void DropOldest()
    {
        var (key, at) = _order.Dequeue();
        if (_seen.TryGetValue(key, out var remembered) && remembered == at)
        {
            _seen.Remove(key);
        }
    }
}
