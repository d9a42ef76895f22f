using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Acting on a sent message: edit (PUT, text and post), card update (PATCH, shared cards) and recall
/// (DELETE) of /open-apis/im/v1/messages/{message_id}, with Lark's limits and codes. Each counts against
/// the app's quota like a send (Lark lists 1000/min and 50/s for all three).
/// </summary>
internal static class MessageChangeEndpoints
{
    private static readonly string[] EditableTypes = ["text", "post"];

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPut("/open-apis/im/v1/messages/{message_id}", ApiGate.Authorized(state, c => EditAsync(c, state)));
        routes.MapPatch("/open-apis/im/v1/messages/{message_id}", ApiGate.Authorized(state, c => UpdateCardAsync(c, state)));
        routes.MapDelete("/open-apis/im/v1/messages/{message_id}", ApiGate.Authorized(state, c => RecallAsync(c, state)));
    }

    private static async Task EditAsync(HttpContext context, SandboxState state)
    {
        if (!await AdmitAsync(context, state).ConfigureAwait(false))
        {
            return;
        }

        var messageId = MessageId(context);
        var (_, fields, problem) = await MessageEndpoints.ReadMessageAsync(context, EditableTypes).ConfigureAwait(false);
        problem ??= MessageContentValidator.Validate(fields.MsgType, fields.Content, state.Uploads);
        if (problem is not null)
        {
            await MessageEndpoints.RefuseAsync(context, problem).ConfigureAwait(false);
            return;
        }

        var limits = state.Options.MessageLimits;
        var now = state.Now;

        // Lark's order is unconfirmed; the sandbox answers what makes the edit impossible first
        // (gone, not yours, not editable) before what is merely used up (window, count).
        var (refusal, stored) = state.Messages.Change<SendProblem>(
            messageId,
            message => message switch
            {
                null => MessageEndpoints.UnknownMessage(messageId),
                { Deleted: true } => Deleted(),
                { SenderType: not "app" } => new SendProblem(LarkCodes.EditNotSender, "The operator is not the sender of the message; only the bot's own messages can be edited."),
                _ when !EditableTypes.Contains(message.MsgType) =>
                    SendProblem.InvalidParam("message_id", "only text and post messages can be edited; update a card with PATCH", message.MsgType),
                _ when message.MsgType != fields.MsgType =>
                    SendProblem.InvalidParam("msg_type", "an edit cannot change the message type", fields.MsgType),
                _ when now - message.Time > limits.EditWindow => new SendProblem(LarkCodes.EditWindowPassed, "The message can no longer be edited: the edit window set by the administrator has passed."),
                _ when message.Edits >= limits.MaxEdits => new SendProblem(LarkCodes.EditLimitReached, "The message has reached the number of times it can be edited."),
                _ => null,
            },
            (message, at) => message with
            {
                Content = fields.Content,
                Edits = message.Edits + 1,
                Revisions = [.. message.Revisions, new MessageRevision(message.Content, at, "edit")],
            });
        await AnswerAsync(context, state, refusal, () => MessageJson.Data(stored!, state)).ConfigureAwait(false);
    }

    private static async Task UpdateCardAsync(HttpContext context, SandboxState state)
    {
        if (!await AdmitAsync(context, state).ConfigureAwait(false))
        {
            return;
        }

        var messageId = MessageId(context);
        var (content, problem) = await ReadCardAsync(context, state).ConfigureAwait(false);
        if (problem is not null)
        {
            await MessageEndpoints.RefuseAsync(context, problem).ConfigureAwait(false);
            return;
        }

        // Lark: update_multi must be declared in the card's config both before and after the update.
        var newCardShared = IsSharedCard(content!);
        var limits = state.Options.MessageLimits;
        var now = state.Now;
        var (refusal, stored) = state.Messages.Change<SendProblem>(
            messageId,
            message => message switch
            {
                null => MessageEndpoints.UnknownMessage(messageId),
                { Deleted: true } => MessageEndpoints.Recalled(),
                { MsgType: not "interactive" } => SendProblem.InvalidParam("message_id", "only card (interactive) messages can be updated; edit text and post with PUT", message.MsgType),
                { SenderType: not "app" } => SendProblem.InvalidParam("message_id", "only the app that sent the card can update it"), // unconfirmed code
                _ when !IsSharedCard(message.Content) => NotShared("the card as sent"),
                _ when !newCardShared => NotShared("the new card"),
                _ when now - message.Time > limits.CardUpdateWindow => new SendProblem(LarkCodes.CardUpdateWindowPassed, "Message can only be modified within 14 days after sending."),
                _ when !state.CardUpdates.TryAdmit(now, messageId) => new SendProblem(LarkCodes.ReceiverRateLimited, "This operation triggers the frequency limit."),
                _ => null,
            },
            (message, at) => message with
            {
                Content = content!,
                CardUpdates = message.CardUpdates + 1,
                Revisions = [.. message.Revisions, new MessageRevision(message.Content, at, "update")],
            });

        // Lark answers a card update with an empty data object.
        await AnswerAsync(context, state, refusal, () => new JsonObject()).ConfigureAwait(false);
    }

    private static async Task RecallAsync(HttpContext context, SandboxState state)
    {
        if (!await AdmitAsync(context, state).ConfigureAwait(false))
        {
            return;
        }

        var messageId = MessageId(context);
        var window = state.Options.MessageLimits.RecallWindow;
        var now = state.Now;
        var (refusal, _) = state.Messages.Change<SendProblem>(
            messageId,
            message => message switch
            {
                null => MessageEndpoints.UnknownMessage(messageId),
                { Deleted: true } => Deleted(),
                { SenderType: not "app" } => new SendProblem(LarkCodes.RecallNotOwn, "No permission to recall this message."),
                _ when now - message.Time > window => new SendProblem(LarkCodes.RecallWindowPassed, "Message can only be recalled within one days."),
                _ => null,
            },
            (message, at) => message with { Deleted = true, RecallTime = at });
        await AnswerAsync(context, state, refusal, () => new JsonObject()).ConfigureAwait(false);
    }

    /// <summary>Faults and the app quota, as for sends: true when the request may go on.</summary>
    private static async Task<bool> AdmitAsync(HttpContext context, SandboxState state) =>
        !await MessageEndpoints.FaultBeforeStoreAsync(context, state).ConfigureAwait(false)
        && await MessageEndpoints.AdmitAppAsync(context, state).ConfigureAwait(false);

    private static async Task AnswerAsync(HttpContext context, SandboxState state, SendProblem? refusal, Func<JsonNode> data)
    {
        if (refusal is not null)
        {
            await MessageEndpoints.RefuseAsync(context, refusal).ConfigureAwait(false);
            return;
        }

        // The change is made; a fail-after-store fault now tests that a retry is safe.
        if (state.Faults.TryConsumeFailAfterStore())
        {
            await MessageEndpoints.InternalErrorAsync(context).ConfigureAwait(false);
            return;
        }

        await LarkResponses.Ok(context, data()).ConfigureAwait(false);
    }

    /// <summary>PATCH's body is <c>{"content":"…card JSON…"}</c>: no msg_type, the target is a card.</summary>
    private static async Task<(string? Content, SendProblem? Problem)> ReadCardAsync(HttpContext context, SandboxState state)
    {
        var size = (await RequestBody.ReadBytesAsync(context).ConfigureAwait(false)).Length;
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (body is not { } json)
        {
            return (null, SendProblem.InvalidParam("body", "the request body must be a JSON object"));
        }

        if (json.Property("content") is not { ValueKind: JsonValueKind.String } contentElement)
        {
            return (null, SendProblem.InvalidParam("content", "content is required, a string holding the card's serialized JSON"));
        }

        var limit = MessageContentValidator.MaxBodyBytes("interactive");
        if (size > limit)
        {
            return (null, new SendProblem(
                LarkCodes.ContentTooLong,
                string.Create(CultureInfo.InvariantCulture, $"The length of the message content reaches its limit: {size} bytes, at most {limit} for a card.")));
        }

        var content = contentElement.GetString()!;
        return (content, MessageContentValidator.Validate("interactive", content, state.Uploads));
    }

    /// <summary>
    /// True when the card is shared: a v1 card that declares <c>config.update_multi: true</c>, and every
    /// schema 2.0 card (its update_multi is true by default and cannot be false; LARK-API.md, "Structure").
    /// A template or card-kit card keeps its config where the sandbox cannot see it: it is taken as shared
    /// (unconfirmed what Lark answers for a template built without it).
    /// </summary>
    internal static bool IsSharedCard(string content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is "template" or "card")
            {
                return true;
            }

            if (root.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.String && schema.GetString() == "2.0")
            {
                return true;
            }

            return root.TryGetProperty("config", out var config)
                && config.ValueKind == JsonValueKind.Object
                && config.TryGetProperty("update_multi", out var multi)
                && multi.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Lark names no code of its own for a card without update_multi; 230001 is what it answers for an
    // invalid update (unconfirmed).
    private static SendProblem NotShared(string which) => SendProblem.InvalidParam(
        "content",
        $"{which} does not declare config.update_multi:true; only shared cards can be updated, and the flag must be set before and after");

    private static SendProblem Deleted() => new(LarkCodes.MessageDeleted, "The message has been recalled or deleted.");

    private static string MessageId(HttpContext context) => (string)context.Request.RouteValues["message_id"]!;
}
