using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Issue 25's control API: POST /_sandbox/history fills a chat with many messages at spaced times
/// (<c>{"chat_id","count","sender_id"?,"text"?,"start_ms"?,"interval_ms"?}</c>: the bot's own without sender_id);
/// POST /_sandbox/messages/{id}/read marks a message read by a user (<c>{"reader_id":"ou_…"}</c>: what the inbox
/// page's "Mark read" does); GET /_sandbox/reads lists every read; POST /_sandbox/scopes takes scopes from the app or
/// gives them back (<c>{"revoke":["im:message"],"grant":[…]}</c>).
/// </summary>
internal static class HistoryControlEndpoints
{
    private const int MaxSeed = 200_000;

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/_sandbox/history", c => SeedAsync(c, state));
        routes.MapPost("/_sandbox/messages/{message_id}/read", c => ReadAsync(c, state));
        routes.MapGet("/_sandbox/reads", c => LarkResponses.Json(c, StatusCodes.Status200OK, Reads(state)));
        routes.MapGet("/_sandbox/scopes", c => LarkResponses.Json(c, StatusCodes.Status200OK, Scopes(state)));
        routes.MapPost("/_sandbox/scopes", c => ScopesAsync(c, state));
    }

    private static async Task SeedAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var chatId = body?.String("chat_id");
        var count = body?.Property("count") is { ValueKind: JsonValueKind.Number } c && c.TryGetInt32(out var n) ? n : 0;
        if (body is null || string.IsNullOrEmpty(chatId) || count is < 1 or > MaxSeed)
        {
            await BadRequestAsync(context, $"the body must be {{\"chat_id\":\"oc_…\",\"count\":1..{MaxSeed},\"sender_id\":\"ou_…\" (optional),\"text\":\"…\" (optional),\"start_ms\":…,\"interval_ms\":…}}").ConfigureAwait(false);
            return;
        }

        var senderId = body.Value.String("sender_id");
        if (senderId is not null && !state.Directory.Users.Exists(u => u.OpenId == senderId))
        {
            await BadRequestAsync(context, $"sender_id '{senderId}' is no user of the sandbox directory").ConfigureAwait(false);
            return;
        }

        if (!state.Directory.Chats.Exists(x => x.ChatId == chatId) && !state.Directory.Users.Exists(u => SandboxDirectory.P2pChatId(u.OpenId) == chatId))
        {
            await BadRequestAsync(context, $"chat_id '{chatId}' is no chat of the sandbox directory").ConfigureAwait(false);
            return;
        }

        var interval = body.Value.Property("interval_ms") is { ValueKind: JsonValueKind.Number } i ? i.GetInt64() : 1000;
        var startMs = body.Value.Property("start_ms") is { ValueKind: JsonValueKind.Number } s ? s.GetInt64() : state.Now.ToUnixTimeMilliseconds() - (interval * count);
        var text = body.Value.String("text") ?? "history";
        string? first = null, last = null;
        for (var k = 1; k <= count; k++)
        {
            var time = DateTimeOffset.FromUnixTimeMilliseconds(startMs + (interval * (k - 1)));
            var content = new JsonObject { ["text"] = text + " " + k.ToString(CultureInfo.InvariantCulture) }.ToJsonString(LarkResponses.Output);
            var (stored, _) = state.Messages.StoreOnce(null, () => new DeliveredMessage(
                MessageEndpoints.NewMessageId(), "chat_id", chatId, "text", content, Uuid: null, chatId, time, ParentId: null, Deleted: false, Edits: 0)
            {
                SenderType = senderId is null ? "app" : "user",
                SenderId = senderId,
            });
            first ??= stored.Message.MessageId;
            last = stored.Message.MessageId;
        }

        await LarkResponses.Json(context, StatusCodes.Status201Created, new JsonObject
        {
            ["count"] = count,
            ["first_message_id"] = first,
            ["last_message_id"] = last,
            ["start_ms"] = startMs,
            ["end_ms"] = startMs + (interval * (count - 1)),
        }).ConfigureAwait(false);
    }

    private static async Task ReadAsync(HttpContext context, SandboxState state)
    {
        var messageId = (string)context.Request.RouteValues["message_id"]!;
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var readerId = body?.String("reader_id");
        var reader = state.Directory.Users.Find(u => u.OpenId == readerId);
        if (reader is null)
        {
            await BadRequestAsync(context, "the body must be {\"reader_id\":\"ou_…\"}, a user of the sandbox directory").ConfigureAwait(false);
            return;
        }

        if (state.Messages.Find(messageId) is not { } stored)
        {
            await LarkResponses.Error(context, StatusCodes.Status404NotFound, RequestGuard.BadRequest, $"no message '{messageId}'").ConfigureAwait(false);
            return;
        }

        if (stored.Message.SenderType != "app")
        {
            await BadRequestAsync(context, "only the bot's own messages have read receipts").ConfigureAwait(false);
            return;
        }

        var mark = state.Reads.Mark(messageId, reader.OpenId, state.Now);
        await LarkResponses.Json(context, StatusCodes.Status200OK, new JsonObject
        {
            ["message_id"] = messageId,
            ["reader_id"] = mark.OpenId,
            ["name"] = reader.Name,
            ["read_time"] = mark.Time.ToString("O", CultureInfo.InvariantCulture),
        }).ConfigureAwait(false);
    }

    private static JsonObject Reads(SandboxState state)
    {
        var all = new JsonObject();
        foreach (var (messageId, marks) in state.Reads.All())
        {
            var list = new JsonArray();
            foreach (var mark in marks)
            {
                list.Add(new JsonObject
                {
                    ["reader_id"] = mark.OpenId,
                    ["name"] = state.Directory.Users.Find(u => u.OpenId == mark.OpenId)?.Name,
                    ["read_time"] = mark.Time.ToString("O", CultureInfo.InvariantCulture),
                });
            }

            all[messageId] = list;
        }

        return all;
    }

    private static JsonObject Scopes(SandboxState state) => new() { ["revoked"] = new JsonArray([.. state.Scopes.Revoked().Select(s => (JsonNode)s)]) };

    private static async Task ScopesAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (body is not { } json)
        {
            await BadRequestAsync(context, "the body must be {\"revoke\":[\"im:message\"],\"grant\":[…]}").ConfigureAwait(false);
            return;
        }

        static IEnumerable<string> List(JsonElement json, string name) =>
            json.Property(name) is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : [];

        state.Scopes.Set(List(json, "revoke"), List(json, "grant"));
        await LarkResponses.Json(context, StatusCodes.Status200OK, Scopes(state)).ConfigureAwait(false);
    }

    private static Task BadRequestAsync(HttpContext context, string error) =>
        LarkResponses.Error(context, StatusCodes.Status400BadRequest, RequestGuard.BadRequest, error);
}
