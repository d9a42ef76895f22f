using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Events;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// /_sandbox/events/*: what the inbox page (composer, live cards) and tests use to make Lark push events and to see
/// what the clients acknowledged. GET /_sandbox/events lists connections and pushes; POST …/message posts a message
/// as a user (stored in the chat and pushed as im.message.receive_v1); POST …/card-action clicks a card the app sent
/// (card.action.trigger; the answer's toast and card come back, the card is replaced); POST …/event pushes any
/// event; POST …/options sets timing and faults; POST …/disconnect drops or closes every connection.
/// </summary>
internal static class EventControlEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/_sandbox/events", c => Write(c, StatusCodes.Status200OK, EventRecordsJson.Write(state.Events)));
        routes.MapPost("/_sandbox/events/options", c => OptionsAsync(c, state));
        routes.MapPost("/_sandbox/events/message", c => MessageAsync(c, state));
        routes.MapPost("/_sandbox/events/card-action", c => CardActionAsync(c, state));
        routes.MapPost("/_sandbox/events/event", c => EventAsync(c, state));
        routes.MapPost("/_sandbox/events/disconnect", async c =>
        {
            var body = await RequestBody.ReadObjectAsync(c).ConfigureAwait(false);
            var count = await state.Events.DisconnectAllAsync(clean: body?.Bool("clean") == true).ConfigureAwait(false);
            await Write(c, StatusCodes.Status200OK, new JsonObject { ["disconnected"] = count }).ConfigureAwait(false);
        });
    }

    private static async Task MessageAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var senderId = body?.String("sender_id");
        var sender = state.Directory.Users.FirstOrDefault(u => u.OpenId == senderId);
        var chatId = body?.String("chat_id");
        var text = body?.String("text");
        if (body is not { } json || sender is null || (text is null && json.String("content") is null))
        {
            await BadRequest(context, "the body must be {\"sender_id\":\"ou_… (a directory user)\",\"chat_id\":\"oc_…\" (optional: p2p with the bot),\"text\":\"…\"} (or msg_type and content); \"count\":N posts N messages").ConfigureAwait(false);
            return;
        }

        if (chatId is not null && !state.Directory.Chats.Exists(c => c.ChatId == chatId && c.BotIsMember))
        {
            await BadRequest(context, $"chat_id '{chatId}' is no chat of the directory with the bot in it").ConfigureAwait(false);
            return;
        }

        var count = json.Property("count") is { ValueKind: JsonValueKind.Number } n ? Math.Clamp(n.GetInt32(), 1, 100_000) : 1;
        var repeat = json.Property("repeat") is { ValueKind: JsonValueKind.Number } r ? Math.Clamp(r.GetInt32(), 1, 10) : 1;
        if (Delay(json) is { } delay)
        {
            // delay_ms: answer now, post later (a test's command is connected by then).
            var later = json.Clone();
            _ = Task.Run(async () =>
            {
                await Task.Delay(delay).ConfigureAwait(false);
                Post(state, later, sender, chatId, text, count, repeat);
            });
            await Write(context, StatusCodes.Status202Accepted, new JsonObject { ["delay_ms"] = (long)delay.TotalMilliseconds }).ConfigureAwait(false);
            return;
        }

        await Write(context, StatusCodes.Status201Created, new JsonObject { ["items"] = Post(state, json, sender, chatId, text, count, repeat) }).ConfigureAwait(false);
    }

    private static TimeSpan? Delay(JsonElement json) =>
        json.Property("delay_ms") is { ValueKind: JsonValueKind.Number } d && d.GetInt32() > 0 ? TimeSpan.FromMilliseconds(d.GetInt32()) : null;

    private static JsonArray Post(SandboxState state, JsonElement json, SandboxUser sender, string? chatId, string? text, int count, int repeat)
    {
        var items = new JsonArray();
        for (var i = 1; i <= count; i++)
        {
            var (content, mentions, eventContent) = Content(json, text, count > 1 ? i : null, state.Directory);
            var (stored, _) = state.Messages.StoreOnce(null, () => new DeliveredMessage(
                MessageEndpoints.NewMessageId(), chatId is null ? "open_id" : "chat_id", chatId ?? sender.OpenId, json.String("msg_type") ?? "text",
                content, Uuid: null, chatId ?? SandboxDirectory.P2pChatId(sender.OpenId), state.Now, ParentId: json.String("parent_id"), Deleted: false, Edits: 0)
            {
                SenderType = "user",
                SenderId = sender.OpenId,
            });
            var eventId = EventPayloads.NewEventId();
            var payload = EventPayloads.MessageReceived(eventId, state.Options, stored.Message, sender, chatId is null ? "p2p" : "group", mentions, eventContent);
            for (var copy = 0; copy < repeat; copy++)
            {
                // repeat > 1: Lark pushing one event more than once (same event_id), as it does.
                state.Events.Publish(eventId, "im.message.receive_v1", payload);
            }

            items.Add(new JsonObject { ["message_id"] = stored.Message.MessageId, ["event_id"] = eventId, ["sent_at_ms"] = state.Now.ToUnixTimeMilliseconds() });
        }

        return items;
    }

    // What is stored (mentions as <at> tags, as Lark keeps them: history reads them back keyed), the event's mentions,
    // and the event's content (mentions as @_user_N keys); null when the event carries the stored content.
    private static (string Content, JsonArray Mentions, string? EventContent) Content(JsonElement json, string? text, int? number, SandboxDirectory directory)
    {
        if (text is null)
        {
            return (json.String("content")!, [], null);
        }

        var (resolved, mentions, tagged) = EventPayloads.Mentions(number is { } i ? text + " " + i.ToString(CultureInfo.InvariantCulture) : text, directory);
        return (new JsonObject { ["text"] = tagged }.ToJsonString(LarkResponses.Output), mentions, new JsonObject { ["text"] = resolved }.ToJsonString(LarkResponses.Output));
    }

    private static async Task CardActionAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var messageId = body?.String("message_id");
        var card = messageId is null ? null : state.Messages.Find(messageId)?.Message;
        var user = state.Directory.Users.FirstOrDefault(u => u.OpenId == body?.String("operator_id"));
        if (body is not { } json || card is null || user is null)
        {
            await BadRequest(context, "the body must be {\"message_id\":\"om_… (a card the app sent)\",\"operator_id\":\"ou_…\",\"value\":{…},\"tag\":\"button\"} (form_value, input_value, name optional)").ConfigureAwait(false);
            return;
        }

        if (card.MsgType != "interactive" || card.SenderType != "app" || card.Deleted)
        {
            // Lark: callbacks work only on cards an app sent (a webhook card cannot call back).
            await BadRequest(context, $"message '{messageId}' is not a card the app sent: nothing calls back").ConfigureAwait(false);
            return;
        }

        var action = new JsonObject { ["tag"] = json.String("tag") ?? "button" };
        foreach (var name in new[] { "value", "form_value", "input_value", "name", "option" })
        {
            if (json.Property(name) is { } value)
            {
                action[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        if (Delay(json) is { } delay)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(delay).ConfigureAwait(false);
                await ClickAsync(state, card, user, action).ConfigureAwait(false);
            });
            await Write(context, StatusCodes.Status202Accepted, new JsonObject { ["delay_ms"] = (long)delay.TotalMilliseconds }).ConfigureAwait(false);
            return;
        }

        await Write(context, StatusCodes.Status200OK, await ClickAsync(state, card, user, action).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Pushes the click, waits (as Lark does, 3 s) for the answer, applies its card; returns what the user sees.</summary>
    private static async Task<JsonObject> ClickAsync(SandboxState state, DeliveredMessage card, SandboxUser user, JsonObject action)
    {
        var eventId = EventPayloads.NewEventId();
        var token = "c-" + Guid.NewGuid().ToString("N");
        var delivery = state.Events.Publish(eventId, "card.action.trigger", EventPayloads.CardAction(eventId, state.Options, card, user, action, token));

        // Lark waits 3 s for the answer; the user sees 200341 without one.
        var first = await Task.WhenAny(delivery.Done.Task, Task.Delay(state.Events.Options.AckDeadline + TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        var acked = first == delivery.Done.Task ? await delivery.Done.Task.ConfigureAwait(false) : null;
        var answer = acked?.AnswerJson is { } answerJson ? TryParse(answerJson) as JsonObject : null;
        var result = new JsonObject { ["event_id"] = eventId, ["acked"] = acked is not null };
        if (acked is null)
        {
            result["user_sees"] = "200341 (no answer within 3 s)";
        }
        else if (acked.AnswerJson is not null && answer is null)
        {
            result["user_sees"] = "200672 (the answer is not in the callback's format)";
        }
        else if (answer is not null)
        {
            result["toast"] = answer["toast"]?.DeepClone();
            var (content, refusal) = answer["card"] is JsonObject newCard ? NewCardContent(card, newCard, state) : (null, null);
            if (refusal is not null)
            {
                result["user_sees"] = refusal;
            }
            else if (content is not null)
            {
                state.Messages.Change<object>(card.MessageId, _ => null, (m, at) => m with
                {
                    Content = content,
                    CardUpdates = m.CardUpdates + 1,
                    Revisions = [.. m.Revisions, new MessageRevision(m.Content, at, "update")],
                });
                result["card_replaced"] = true;
            }
        }

        return result;
    }

    // The card an answer puts in place of the clicked one, or what the user sees instead (Lark's card callback codes):
    // "raw" takes a card Lark would accept for a send, and a 2.0 card only a 2.0 one (200830); "template" its data.
    private static (string? Content, string? Refusal) NewCardContent(DeliveredMessage clicked, JsonObject answer, SandboxState state)
    {
        var type = answer["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        if (answer["data"] is not JsonObject data || type is not ("raw" or "template"))
        {
            return (null, "200672 (the answer's card is not {\"type\":\"raw\"|\"template\",\"data\":{…}})");
        }

        if (type == "template")
        {
            return (new JsonObject { ["type"] = "template", ["data"] = data.DeepClone() }.ToJsonString(LarkResponses.Output), null);
        }

        var content = data.ToJsonString(LarkResponses.Output);
        if (IsV2(clicked.Content) && data["schema"]?.ToString() != "2.0")
        {
            return (null, "200830 (a 2.0 card can only be replaced by a 2.0 card)");
        }

        return MessageContentValidator.Validate("interactive", content, state.Uploads) is { } problem
            ? (null, "200673 (the answer's card is invalid: " + problem.Msg + ")")
            : (content, null);
    }

    private static bool IsV2(string content) =>
        TryParse(content) is JsonObject card && card["schema"]?.ToString() == "2.0";

    private static async Task EventAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var type = body?.String("event_type");
        if (body is not { } json || type is null)
        {
            await BadRequest(context, "the body must be {\"event_type\":\"…\",\"event\":{…}}").ConfigureAwait(false);
            return;
        }

        var eventId = json.String("event_id") ?? EventPayloads.NewEventId();
        var payload = new JsonObject
        {
            ["schema"] = "2.0",
            ["header"] = new JsonObject
            {
                ["event_id"] = eventId, ["event_type"] = type, ["create_time"] = state.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["token"] = EventPayloads.VerificationToken, ["app_id"] = state.Options.AppId, ["tenant_key"] = SandboxSeed.TenantKey,
            },
            ["event"] = json.Property("event") is { } e ? JsonNode.Parse(e.GetRawText()) : new JsonObject(),
        };
        state.Events.Publish(eventId, type, Encoding.UTF8.GetBytes(payload.ToJsonString(LarkResponses.Output)));
        await Write(context, StatusCodes.Status201Created, new JsonObject { ["event_id"] = eventId }).ConfigureAwait(false);
    }

    /// <summary>Sets only the fields present: pingInterval, reconnectCount, reconnectInterval, reconnectNonce (s), pongCarriesConfig, ackDeadlineMs, retryDelaysMs [..], fragmentBytes, maxConnections, endpointCode + endpointCodeTimes, dropAfterFrames, cardFramesTyped.</summary>
    private static async Task OptionsAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var o = state.Events.Options;
        try
        {
            foreach (var p in body?.EnumerateObject() ?? Enumerable.Empty<JsonProperty>())
            {
                var v = p.Value;
                switch (p.Name.ToUpperInvariant())
                {
                    case "PINGINTERVAL": o.PingInterval = v.GetInt32(); break;
                    case "RECONNECTCOUNT": o.ReconnectCount = v.GetInt32(); break;
                    case "RECONNECTINTERVAL": o.ReconnectInterval = v.GetInt32(); break;
                    case "RECONNECTNONCE": o.ReconnectNonce = v.GetInt32(); break;
                    case "PONGCARRIESCONFIG": o.PongCarriesConfig = v.GetBoolean(); break;
                    case "ACKDEADLINEMS": o.AckDeadline = TimeSpan.FromMilliseconds(v.GetInt32()); break;
                    case "RETRYDELAYSMS": o.RetryDelays = v.EnumerateArray().Select(d => TimeSpan.FromMilliseconds(d.GetInt32())).ToList(); break;
                    case "FRAGMENTBYTES": o.FragmentBytes = v.GetInt32(); break;
                    case "MAXCONNECTIONS": o.MaxConnections = v.GetInt32(); break;
                    case "ENDPOINTCODE": o.EndpointCode = v.GetInt32(); break;
                    case "ENDPOINTCODETIMES": o.EndpointCodeTimes = v.GetInt32(); break;
                    case "DROPAFTERFRAMES": o.DropAfterFrames = v.GetInt32(); break;
                    case "CARDFRAMESTYPED": o.CardFramesTyped = v.GetBoolean(); break;
                    default:
                        await BadRequest(context, $"unknown option '{p.Name}'").ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            await BadRequest(context, "option values must be whole numbers, booleans, or (retryDelaysMs) an array of them").ConfigureAwait(false);
            return;
        }

        await Write(context, StatusCodes.Status200OK, EventRecordsJson.Options(o)).ConfigureAwait(false);
    }

    private static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task BadRequest(HttpContext context, string error) =>
        LarkResponses.Error(context, StatusCodes.Status400BadRequest, RequestGuard.BadRequest, error);

    private static Task Write(HttpContext context, int status, JsonObject node) => LarkResponses.Json(context, status, node);
}
