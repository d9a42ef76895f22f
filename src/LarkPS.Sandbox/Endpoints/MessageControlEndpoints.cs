using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// /_sandbox/messages: what tests need to reach Lark's refusals for messages the bot did not send and
/// for messages past their windows. POST /_sandbox/messages seeds a message a user sent
/// (<c>{"sender_id":"ou_…","chat_id":"oc_…"?,"msg_type":"text","content":"{…}"}</c>; without chat_id it
/// lands in that user's p2p chat with the bot). POST /_sandbox/messages/{id}/age moves a message's send
/// time back (<c>{"days":15}</c>, also hours, minutes, seconds).
/// </summary>
internal static class MessageControlEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/_sandbox/messages", c => SeedAsync(c, state));
        routes.MapPost("/_sandbox/messages/{message_id}/age", c => AgeAsync(c, state));
    }

    private static async Task SeedAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var senderId = body?.String("sender_id");
        var msgType = body?.String("msg_type") ?? "text";
        var content = body?.String("content");
        if (body is null || string.IsNullOrEmpty(senderId) || string.IsNullOrEmpty(content))
        {
            await BadRequestAsync(context, "the body must be {\"sender_id\":\"ou_…\",\"chat_id\":\"oc_…\" (optional),\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"…\\\"}\"}").ConfigureAwait(false);
            return;
        }

        if (!state.Directory.Users.Exists(u => u.OpenId == senderId))
        {
            await BadRequestAsync(context, $"sender_id '{senderId}' is no user of the sandbox directory (GET /_sandbox/directory)").ConfigureAwait(false);
            return;
        }

        var chatId = body.Value.String("chat_id");
        if (!string.IsNullOrEmpty(chatId) && !state.Directory.Chats.Exists(c => c.ChatId == chatId))
        {
            await BadRequestAsync(context, $"chat_id '{chatId}' is no chat of the sandbox directory").ConfigureAwait(false);
            return;
        }

        var inChat = !string.IsNullOrEmpty(chatId);
        var (stored, _) = state.Messages.StoreOnce(null, () => new DeliveredMessage(
            MessageEndpoints.NewMessageId(),
            inChat ? "chat_id" : "open_id",
            inChat ? chatId! : senderId,
            msgType,
            content,
            Uuid: null,
            inChat ? chatId! : SandboxDirectory.P2pChatId(senderId),
            state.Now,
            ParentId: null,
            Deleted: false,
            Edits: 0)
        {
            SenderType = "user",
            SenderId = senderId,
        });
        await WriteAsync(context, StatusCodes.Status201Created, MessageJson.Data(stored, state)).ConfigureAwait(false);
    }

    private static async Task AgeAsync(HttpContext context, SandboxState state)
    {
        var messageId = (string)context.Request.RouteValues["message_id"]!;
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var age = TimeSpan.Zero;
        try
        {
            foreach (var property in body?.EnumerateObject() ?? Enumerable.Empty<JsonProperty>())
            {
                var amount = property.Value.GetDouble();
                age += property.Name.ToUpperInvariant() switch
                {
                    "DAYS" => TimeSpan.FromDays(amount),
                    "HOURS" => TimeSpan.FromHours(amount),
                    "MINUTES" => TimeSpan.FromMinutes(amount),
                    "SECONDS" => TimeSpan.FromSeconds(amount),
                    _ => throw new FormatException($"unknown unit '{property.Name}'"),
                };
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
        {
            await BadRequestAsync(context, "the body must be like {\"days\":15} or {\"hours\":25} (days, hours, minutes, seconds): " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (age <= TimeSpan.Zero)
        {
            await BadRequestAsync(context, "give a positive age, like {\"days\":15}").ConfigureAwait(false);
            return;
        }

        var aged = state.Messages.Age(messageId, age);
        if (aged is null)
        {
            await LarkResponses.Error(context, StatusCodes.Status404NotFound, RequestGuard.BadRequest, $"no message '{messageId}'").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["message_id"] = aged.MessageId,
            ["create_time"] = MessageJson.Millis(aged.Time),
            ["time"] = aged.Time.ToString("O", CultureInfo.InvariantCulture),
        }).ConfigureAwait(false);
    }

    // Lark's shape with a log id, like every error the sandbox raises.
    private static Task BadRequestAsync(HttpContext context, string error) =>
        LarkResponses.Error(context, StatusCodes.Status400BadRequest, RequestGuard.BadRequest, error);

    private static Task WriteAsync(HttpContext context, int status, JsonObject node) =>
        LarkResponses.Json(context, status, node);
}
