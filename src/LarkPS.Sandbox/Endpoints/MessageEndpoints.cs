using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>Send and reply: /open-apis/im/v1/messages[/{id}/reply]. Edit, card update and recall are in <see cref="MessageChangeEndpoints"/>.</summary>
internal static class MessageEndpoints
{
    private const int MaxUuidLength = 50;

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/open-apis/im/v1/messages", ApiGate.Authorized(state, c => SendAsync(c, state)));
        routes.MapPost("/open-apis/im/v1/messages/{message_id}/reply", ApiGate.Authorized(state, c => ReplyAsync(c, state)));
    }

    private static async Task SendAsync(HttpContext context, SandboxState state)
    {
        if (await FaultBeforeStoreAsync(context, state).ConfigureAwait(false) || await QuotaStormAsync(context, state).ConfigureAwait(false) || !await AdmitAppAsync(context, state).ConfigureAwait(false))
        {
            return;
        }

        var receiveIdType = context.Request.Query["receive_id_type"].ToString();
        if (!ReceiverResolver.ReceiveIdTypes.Contains(receiveIdType))
        {
            await RefuseAsync(context, SendProblem.InvalidParam(
                "receive_id_type", "must be one of open_id, union_id, user_id, email, chat_id", receiveIdType)).ConfigureAwait(false);
            return;
        }

        var (body, fields, problem) = await ReadMessageAsync(context, MessageContentValidator.MsgTypes).ConfigureAwait(false);
        var receiveId = body?.String("receive_id");
        if (problem is null && string.IsNullOrEmpty(receiveId))
        {
            problem = SendProblem.InvalidParam("receive_id", "receive_id is required");
        }

        string? chatId = null;
        if (problem is null)
        {
            (chatId, problem) = ReceiverResolver.Resolve(state.Directory, receiveIdType, receiveId!);
        }

        problem ??= MessageContentValidator.Validate(fields.MsgType, fields.Content, state.Uploads);
        if (problem is not null)
        {
            await RefuseAsync(context, problem).ConfigureAwait(false);
            return;
        }

        await DeliverAsync(context, state, fields, chatId!, () => new DeliveredMessage(
            NewMessageId(), receiveIdType, receiveId!, fields.MsgType, fields.Content, fields.Uuid, chatId!,
            state.Now, ParentId: null, Deleted: false, Edits: 0)).ConfigureAwait(false);
    }

    private static async Task ReplyAsync(HttpContext context, SandboxState state)
    {
        if (await FaultBeforeStoreAsync(context, state).ConfigureAwait(false) || await QuotaStormAsync(context, state).ConfigureAwait(false) || !await AdmitAppAsync(context, state).ConfigureAwait(false))
        {
            return;
        }

        var parentId = (string)context.Request.RouteValues["message_id"]!;
        var (body, fields, problem) = await ReadMessageAsync(context, MessageContentValidator.MsgTypes).ConfigureAwait(false);
        var parent = state.Messages.Find(parentId);
        // The gateway resolves the message id before the body is read.
        problem = parent is null ? UnknownMessage(parentId)
            : problem ?? (parent.Message.Deleted ? Recalled() : null)
            ?? MessageContentValidator.Validate(fields.MsgType, fields.Content, state.Uploads);
        if (problem is not null)
        {
            await RefuseAsync(context, problem).ConfigureAwait(false);
            return;
        }

        // A reply lives in its parent's chat and chain: root_id is the chain's first message; a reply in a
        // thread opens one (omt_…) unless the parent is already in one, which every later reply then joins.
        var first = parent!.Message;
        var threadId = first.ThreadId
            ?? (body!.Value.Bool("reply_in_thread") ? "omt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) : null);
        await DeliverAsync(context, state, fields, first.ChatId, () => new DeliveredMessage(
            NewMessageId(), first.ReceiveIdType, first.ReceiveId, fields.MsgType, fields.Content, fields.Uuid, first.ChatId,
            state.Now, ParentId: first.MessageId, Deleted: false, Edits: 0)
        {
            RootId = first.RootId ?? first.MessageId,
            ThreadId = threadId,
        }).ConfigureAwait(false);
    }

    /// <summary>What every send-like body carries, once read and checked for shape and size.</summary>
    internal readonly record struct MessageFields(string MsgType, string Content, string? Uuid);

    internal static async Task<(JsonElement? Body, MessageFields Fields, SendProblem? Problem)> ReadMessageAsync(
        HttpContext context, IReadOnlyCollection<string> allowedTypes)
    {
        await RequestBody.ReadBytesAsync(context).ConfigureAwait(false);
        var size = RequestBody.ReceivedBytes(context);
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var none = new MessageFields(string.Empty, string.Empty, null);
        if (RequestBody.IsOversized(context))
        {
            // Too large to keep (far above every msg_type's limit): refused as too long, by its size alone.
            return (null, none, new SendProblem(
                LarkCodes.ContentTooLong,
                string.Create(CultureInfo.InvariantCulture, $"The length of the message content reaches its limit: {size} bytes.")));
        }

        if (body is not { } json)
        {
            return (null, none, SendProblem.InvalidParam("body", "the request body must be a JSON object"));
        }

        var msgType = json.String("msg_type");
        if (string.IsNullOrEmpty(msgType) || !allowedTypes.Contains(msgType))
        {
            return (body, none, SendProblem.InvalidParam("msg_type", "must be one of " + string.Join(", ", allowedTypes), msgType));
        }

        // Lark wants content as a string of serialized JSON; an object here is the classic mistake.
        var contentElement = json.Property("content");
        if (contentElement is not { ValueKind: JsonValueKind.String } contentString)
        {
            var description = contentElement is null
                ? "content is required"
                : "content must be a string holding serialized JSON, not " + contentElement.Value.ValueKind.ToString().ToLowerInvariant();
            return (body, none, SendProblem.InvalidParam("content", description));
        }

        var uuidElement = json.Property("uuid");
        string? uuid = null;
        if (uuidElement is { ValueKind: not JsonValueKind.Null } present)
        {
            uuid = present.ValueKind == JsonValueKind.String ? present.GetString() : null;
            if (uuid is null || uuid.Length > MaxUuidLength)
            {
                return (body, none, SendProblem.InvalidParam("uuid", $"uuid must be a string of at most {MaxUuidLength} characters"));
            }
        }

        var fields = new MessageFields(msgType, contentString.GetString()!, string.IsNullOrEmpty(uuid) ? null : uuid);
        var limit = MessageContentValidator.MaxBodyBytes(msgType);
        if (size > limit)
        {
            return (body, fields, new SendProblem(
                LarkCodes.ContentTooLong,
                string.Create(CultureInfo.InvariantCulture, $"The length of the message content reaches its limit: {size} bytes, at most {limit} for {msgType}.")));
        }

        return (body, fields, null);
    }

    private static async Task DeliverAsync(
        HttpContext context,
        SandboxState state,
        MessageFields fields,
        string chatId,
        Func<DeliveredMessage> create)
    {
        if (string.Equals(state.Faults.BusyChat, chatId, StringComparison.Ordinal) || !state.Quota.TryAdmitReceiver(state.Now, chatId))
        {
            state.Stats.RefusedByReceiverQuota();
            await RefuseAsync(context, new SendProblem(LarkCodes.ReceiverRateLimited, "This operation triggers the frequency limit.")).ConfigureAwait(false);
            return;
        }

        var (stored, duplicate) = state.Messages.StoreOnce(fields.Uuid, create);
        if (duplicate)
        {
            state.Stats.DuplicateSuppressed();
        }
        else
        {
            state.Stats.MessageSent();
        }

        if (state.Faults.TryConsumeFailAfterStore())
        {
            await InternalErrorAsync(context).ConfigureAwait(false);
            return;
        }

        await LarkResponses.Ok(context, MessageJson.Data(stored, state)).ConfigureAwait(false);
    }

    /// <summary>Drop and fail-before faults: true when the request was answered (or abandoned).</summary>
    internal static async Task<bool> FaultBeforeStoreAsync(HttpContext context, SandboxState state)
    {
        if (state.Faults.TryConsumeDropConnection())
        {
            RequestRecorder.MarkDropped(context);
            return true;
        }

        if (state.Faults.TryConsumeFailBeforeStore())
        {
            await InternalErrorAsync(context).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>The quota storm fault (RefuseAppQuota): true when this call was refused as Lark refuses over the app's quota.</summary>
    internal static async Task<bool> QuotaStormAsync(HttpContext context, SandboxState state)
    {
        if (!state.Faults.TryConsumeRefuseAppQuota())
        {
            return false;
        }

        state.Stats.RefusedByAppQuota();
        context.Response.Headers["x-ogw-ratelimit-limit"] = state.Options.Quotas.AppPerSecond.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ogw-ratelimit-reset"] = "1";
        await LarkResponses.Error(context, StatusCodes.Status429TooManyRequests, LarkCodes.AppRateLimited, "request trigger frequency limit").ConfigureAwait(false);
        return true;
    }

    internal static async Task<bool> AdmitAppAsync(HttpContext context, SandboxState state)
    {
        if (state.Quota.TryAdmitApp(state.Now, out var limit, out var reset))
        {
            return true;
        }

        state.Stats.RefusedByAppQuota();
        context.Response.Headers["x-ogw-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ogw-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture);
        await LarkResponses.Error(context, StatusCodes.Status429TooManyRequests, LarkCodes.AppRateLimited, "request trigger frequency limit").ConfigureAwait(false);
        return false;
    }

    internal static Task InternalErrorAsync(HttpContext context) =>
        LarkResponses.Error(context, StatusCodes.Status500InternalServerError, LarkCodes.InternalError, "internal error");

    internal static Task RefuseAsync(HttpContext context, SendProblem problem) =>
        LarkResponses.Error(
            context,
            StatusCodes.Status400BadRequest,
            problem.Code,
            problem.Msg,
            problem.Violation is null ? null : [problem.Violation]);

    // Lark's gateway answers a message id it cannot map to a message (unknown, another tenant's, malformed) with
    // 99992354 before the operation runs; public clients meet it on reply, card update, reactions and recall.
    internal static SendProblem UnknownMessage(string messageId) =>
        new(LarkCodes.MessageIdNotExist, "The request you send is not a valid {open_message_id} or not exists, please check the param again. message_id: " + messageId);

    internal static SendProblem Recalled() => new(LarkCodes.MessageRecalled, "The message is recalled.");

    internal static string NewMessageId() => "om_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
