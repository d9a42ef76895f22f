using System.Globalization;
using System.Text.Json.Nodes;

namespace LarkPS.Sandbox.Events;

/// <summary>GET /_sandbox/events: connections and every push with its acknowledgement, snake_case like the inbox.</summary>
internal static class EventRecordsJson
{
    public static JsonObject Write(EventHub hub)
    {
        var connections = new JsonArray();
        foreach (var c in hub.Connections)
        {
            connections.Add(new JsonObject
            {
                ["device_id"] = c.DeviceId,
                ["service_id"] = c.ServiceId,
                ["opened_at"] = Time(c.OpenedAt),
                ["closed_at"] = c.ClosedAt is { } closed ? Time(closed) : null,
                ["how_closed"] = c.HowClosed,
                ["pings"] = c.Pings,
                ["acks"] = c.Acks,
                ["protocol_errors"] = new JsonArray(c.ProtocolErrors.Select(e => (JsonNode?)e).ToArray()),
            });
        }

        var deliveries = new JsonArray();
        foreach (var d in hub.Deliveries)
        {
            var attempts = new JsonArray();
            foreach (var a in d.Attempts.ToArray())
            {
                attempts.Add(new JsonObject
                {
                    ["number"] = a.Number,
                    ["device_id"] = a.DeviceId,
                    ["fragments"] = a.Fragments,
                    ["sent_at"] = Time(a.SentAt),
                    ["sent_at_ms"] = a.SentAt.ToUnixTimeMilliseconds(),
                    ["acked_at"] = a.AckedAt is { } acked ? Time(acked) : null,
                    ["ack_ms"] = a.AckedAt is { } at ? Math.Round((at - a.SentAt).TotalMilliseconds, 1) : null,
                    ["ack_code"] = a.AckCode,
                    ["answer"] = a.AnswerJson,
                    ["biz_rt"] = a.BizRt,
                    ["outcome"] = a.Outcome,
                });
            }

            deliveries.Add(new JsonObject
            {
                ["event_id"] = d.EventId,
                ["event_type"] = d.EventType,
                ["status"] = d.Status,
                ["published_at"] = Time(d.PublishedAt),
                ["attempts"] = attempts,
            });
        }

        return new JsonObject { ["open_connections"] = hub.OpenConnections, ["connections"] = connections, ["deliveries"] = deliveries, ["options"] = Options(hub.Options) };
    }

    public static JsonObject Options(SandboxEventOptions o) => new()
    {
        ["pingInterval"] = o.PingInterval,
        ["reconnectCount"] = o.ReconnectCount,
        ["reconnectInterval"] = o.ReconnectInterval,
        ["reconnectNonce"] = o.ReconnectNonce,
        ["pongCarriesConfig"] = o.PongCarriesConfig,
        ["ackDeadlineMs"] = (long)o.AckDeadline.TotalMilliseconds,
        ["retryDelaysMs"] = new JsonArray(o.RetryDelays.Select(d => (JsonNode?)(long)d.TotalMilliseconds).ToArray()),
        ["fragmentBytes"] = o.FragmentBytes,
        ["maxConnections"] = o.MaxConnections,
        ["endpointCode"] = o.EndpointCode,
        ["endpointCodeTimes"] = o.EndpointCodeTimes,
        ["dropAfterFrames"] = o.DropAfterFrames,
        ["cardFramesTyped"] = o.CardFramesTyped,
    };

    private static string Time(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);
}
