using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LarkPS.Sandbox.Events;

/// <summary>
/// Lark's event push as the sandbox plays it: tickets for the WebSocket URL (each used once), the open connections
/// (cluster mode: each push goes to ONE of them, picked at random), every push and its acknowledgement (code 200
/// within 3 s, or the push counts as failed and is repeated with the same event_id after the next retry delay).
/// </summary>
public sealed class EventHub : IDisposable
{
    private readonly object gate = new();
    private readonly SandboxOptions options;
    private readonly Dictionary<string, Ticket> tickets = new(StringComparer.Ordinal);
    private readonly List<EventSocket> open = [];
    private readonly List<EventConnectionRecord> connections = [];
    private readonly List<EventDelivery> deliveries = [];
    private readonly ConcurrentDictionary<string, (EventDelivery Delivery, PushAttempt Attempt)> byFrame = new(StringComparer.Ordinal);
    private int endpointFaultsUsed;

    // Cancelled by Clear(): redeliveries of an earlier test's events must not reach a later test's client.
    private CancellationTokenSource publishing = new();

    internal EventHub(SandboxOptions options)
    {
        this.options = options;
    }

    public SandboxEventOptions Options => options.Events;

    internal DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    /// <summary>Connections open now.</summary>
    public int OpenConnections
    {
        get
        {
            lock (gate)
            {
                return open.Count(s => s.IsOpen);
            }
        }
    }

    public IReadOnlyList<EventConnectionRecord> Connections
    {
        get
        {
            lock (gate)
            {
                return connections.ToArray();
            }
        }
    }

    public IReadOnlyList<EventDelivery> Deliveries
    {
        get
        {
            lock (gate)
            {
                return deliveries.ToArray();
            }
        }
    }

    internal JsonObject ClientConfig() => EventJson.Config(Options);

    /// <summary>The endpoint's fault: a code to answer instead of a URL, while times remain.</summary>
    internal int? EndpointFault()
    {
        lock (gate)
        {
            if (Options.EndpointCode == 0 || endpointFaultsUsed >= Options.EndpointCodeTimes)
            {
                return null;
            }

            endpointFaultsUsed++;
            return Options.EndpointCode;
        }
    }

    /// <summary>A new connection address's query parts (fpid, aid, device_id, access_key, service_id, ticket).</summary>
    internal (string DeviceId, string AccessKey, int ServiceId, string Ticket) IssueTicket()
    {
        var ticket = new Ticket(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            RandomNumberGenerator.GetInt32(100_000, 999_999),
            Guid.NewGuid().ToString(),
            Now + TimeSpan.FromMinutes(5));
        lock (gate)
        {
            tickets[ticket.Value] = ticket;
        }

        return (ticket.DeviceId, ticket.AccessKey, ticket.ServiceId, ticket.Value);
    }

    /// <summary>Takes a ticket for a WebSocket upgrade; why it is refused, or null (and the service id) when it may connect.</summary>
    internal (string? Refusal, string? AuthCode, int ServiceId) UseTicket(string? ticket, string? deviceId, string? accessKey)
    {
        lock (gate)
        {
            if (open.Count(s => s.IsOpen) >= Options.MaxConnections)
            {
                return ("exceed connection limit", "1000040350", 0);
            }

            if (ticket is null || !tickets.TryGetValue(ticket, out var known))
            {
                return ("ticket unknown", SandboxEventCodes.TicketInvalid, 0);
            }

            if (known.Used || known.Expires < Now || known.DeviceId != deviceId || known.AccessKey != accessKey)
            {
                return (known.Used ? "ticket already used" : "ticket invalid", SandboxEventCodes.TicketInvalid, 0);
            }

            known.Used = true;
            return (null, null, known.ServiceId);
        }
    }

    internal EventSocket Opened(System.Net.WebSockets.WebSocket socket, string deviceId, int serviceId)
    {
        var record = new EventConnectionRecord { DeviceId = deviceId, ServiceId = serviceId, OpenedAt = Now };
        var eventSocket = new EventSocket(socket, record, this);
        lock (gate)
        {
            connections.Add(record);
            open.Add(eventSocket);
        }

        return eventSocket;
    }

    internal void Closed(EventSocket socket)
    {
        lock (gate)
        {
            open.Remove(socket);
        }
    }

    /// <summary>Publishes an event: pushes it to one open connection now, and again as long as no push is acknowledged in time.</summary>
    public EventDelivery Publish(string eventId, string eventType, byte[] payload)
    {
        var delivery = new EventDelivery { EventId = eventId, EventType = eventType, Payload = payload, PublishedAt = Now };
        lock (gate)
        {
            deliveries.Add(delivery);
        }

        CancellationToken token;
        lock (gate)
        {
            token = publishing.Token;
        }

        _ = PushAsync(delivery, token);
        return delivery;
    }

    /// <summary>Drops (no close frame) or closes every open connection; returns how many.</summary>
    public async Task<int> DisconnectAllAsync(bool clean)
    {
        EventSocket[] sockets;
        lock (gate)
        {
            sockets = open.ToArray();
        }

        foreach (var socket in sockets)
        {
            if (clean)
            {
                await socket.CloseAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Drop();
            }
        }

        return sockets.Length;
    }

    /// <summary>Forgets deliveries and closed connections (open connections stay), and the faults.</summary>
    public void Clear()
    {
        lock (gate)
        {
            deliveries.Clear();
            byFrame.Clear();
            connections.RemoveAll(c => c.ClosedAt is not null);
            endpointFaultsUsed = 0;
            publishing.Cancel();
            publishing.Dispose();
            publishing = new CancellationTokenSource();
        }
    }

    internal void Acknowledged(EventSocket socket, WireFrame ack)
    {
        var frameId = ack.Header("message_id");
        if (frameId is null || !byFrame.TryGetValue(frameId, out var pushed))
        {
            socket.Record.ProtocolErrors.Add($"an acknowledgement for unknown message_id '{frameId}'");
            return;
        }

        var (delivery, attempt) = pushed;
        var now = Now;
        int? code = null;
        string? answer = null;
        try
        {
            var body = JsonNode.Parse(ack.Payload ?? [])?.AsObject();
            code = (int?)body?["code"];
            if (body?["data"]?.GetValue<string>() is { Length: > 0 } data)
            {
                answer = Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            socket.Record.ProtocolErrors.Add("an acknowledgement whose payload is not {\"code\":…}: " + ex.Message);
        }

        lock (gate)
        {
            if (attempt.AckedAt is not null)
            {
                socket.Record.ProtocolErrors.Add($"a second acknowledgement for message_id '{frameId}'");
                return;
            }

            attempt.AckedAt = now;
            attempt.AckCode = code;
            attempt.AnswerJson = answer;
            attempt.BizRt = ack.Header("biz_rt");
            var inTime = now - attempt.SentAt <= Options.AckDeadline;
            attempt.Outcome = code != 200 ? "refused" : inTime ? "acked" : "late";
            if (attempt.Outcome == "acked" && delivery.Status == "pending")
            {
                delivery.Status = "acked";
                delivery.Done.TrySetResult(attempt);
            }
        }
    }

    public void Dispose() => publishing.Dispose();

    private async Task PushAsync(EventDelivery delivery, CancellationToken token)
    {
        for (var number = 1; !token.IsCancellationRequested; number++)
        {
            var attempt = await PushOnceAsync(delivery, number).ConfigureAwait(false);
            if (attempt.Outcome == "acked" || delivery.Status == "acked")
            {
                return;
            }

            // A failed push (no ack in time, a non-200 ack, no connection): Lark repeats it after 15 s, 5 min, 1 h, 6 h.
            if (number > Options.RetryDelays.Count)
            {
                lock (gate)
                {
                    delivery.Status = "failed";
                }

                delivery.Done.TrySetResult(null);
                return;
            }

            try
            {
                await Task.Delay(Options.RetryDelays[number - 1], token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<PushAttempt> PushOnceAsync(EventDelivery delivery, int number)
    {
        EventSocket? socket;
        lock (gate)
        {
            var candidates = open.Where(s => s.IsOpen).ToArray();
            socket = candidates.Length == 0 ? null : candidates[Random.Shared.Next(candidates.Length)];
        }

        var fragments = Options.FragmentBytes > 0 ? (delivery.Payload.Length + Options.FragmentBytes - 1) / Options.FragmentBytes : 1;
        var attempt = new PushAttempt
        {
            Number = number,
            DeviceId = socket?.Record.DeviceId,
            FrameMessageId = Guid.NewGuid().ToString("N"),
            SentAt = Now,
            Fragments = Math.Max(1, fragments),
        };
        lock (gate)
        {
            delivery.Attempts.Add(attempt);
        }

        if (socket is null)
        {
            attempt.Outcome = "no-connection";
            return attempt;
        }

        byFrame[attempt.FrameMessageId] = (delivery, attempt);
        var type = delivery.EventType == "card.action.trigger" && Options.CardFramesTyped ? "card" : "event";
        if (!await socket.SendEventAsync(attempt.FrameMessageId, type, delivery.Payload, Options.FragmentBytes).ConfigureAwait(false))
        {
            attempt.Outcome = "no-connection";
            return attempt;
        }

        // Sent means written to the socket: a burst of pushes waits for the connection's send lock first.
        lock (gate)
        {
            if (attempt.AckedAt is null)
            {
                attempt.SentAt = Now;
            }
        }

        if (DropDue())
        {
            socket.Drop();
        }

        // Lark's rule: acknowledged with code 200 within the deadline, or the push failed.
        var acked = await Task.WhenAny(delivery.Done.Task, Task.Delay(Options.AckDeadline)).ConfigureAwait(false);
        lock (gate)
        {
            if (attempt.AckedAt is null)
            {
                attempt.Outcome = "no-ack";
            }
        }

        return attempt;
    }

    private bool DropDue()
    {
        lock (gate)
        {
            if (Options.DropAfterFrames <= 0)
            {
                return false;
            }

            Options.DropAfterFrames--;
            return Options.DropAfterFrames == 0;
        }
    }

    private sealed class Ticket(string deviceId, string accessKey, int serviceId, string value, DateTimeOffset expires)
    {
        public string DeviceId { get; } = deviceId;
        public string AccessKey { get; } = accessKey;
        public int ServiceId { get; } = serviceId;
        public string Value { get; } = value;
        public DateTimeOffset Expires { get; } = expires;
        public bool Used { get; set; }
    }
}

/// <summary>Codes of the sandbox's long connection that Lark does not publish.</summary>
internal static class SandboxEventCodes
{
    /// <summary>The sandbox's own Handshake-Autherrcode for an unknown or reused ticket (Lark's is UNCONFIRMED; not 1000040350, so clients retry).</summary>
    public const string TicketInvalid = "1000040345";
}
