using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Batch messages (issue 23, LARK-API.md "Batch messages (v4)"): POST /open-apis/message/v4/batch_send/ with Lark's
/// limits (≤ 200 ids in each of the four lists, not the root department, text ≤ 150 KB, post and card ≤ 30 KB, the
/// daily cap) and codes, all with HTTP 200; invalid ids are listed and the rest still receive it. Accepted batches
/// fan out asynchronously (<see cref="BatchMessage"/>). GET …/get_progress, GET …/read_user and DELETE under
/// /open-apis/im/v1/batch_messages/{id} (HTTP 400 codes). Quotas counted on arrival: 50/s and 1000/min each.
/// </summary>
internal static class BatchMessageEndpoints
{
    public const int CreateFailed = 10002;
    public const int InvalidParameter = 10003;
    public const int ImageKeyNotExist = 11227;
    public const int ShareChatNotExist = 11231;
    public const int DailyCapReached = 11247;
    public const int BatchIdInvalid = 230030;
    private const int MaxIds = 200;
    private const int MaxTextBytes = 150 * 1024;
    private const int MaxRichBytes = 30 * 1024;
    private static readonly string[] MsgTypes = ["text", "image", "post", "share_chat", "interactive"];

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/open-apis/message/v4/batch_send/", ApiGate.Authorized(state, c => SendAsync(c, state)));
        routes.MapGet("/open-apis/im/v1/batch_messages/{batch_message_id}/get_progress", ApiGate.Authorized(state, c => ProgressAsync(c, state)));
        routes.MapGet("/open-apis/im/v1/batch_messages/{batch_message_id}/read_user", ApiGate.Authorized(state, c => ReadUserAsync(c, state)));
        routes.MapDelete("/open-apis/im/v1/batch_messages/{batch_message_id}", ApiGate.Authorized(state, c => RecallAsync(c, state)));

        // The control side: what tests and the inbox page see, and a read marked as a receiver would.
        routes.MapGet("/_sandbox/batch_messages", c => ListAsync(c, state));
        routes.MapPost("/_sandbox/batch_messages/{batch_message_id}/read", c => MarkReadAsync(c, state));
    }

    private static async Task SendAsync(HttpContext context, SandboxState state)
    {
        if (state.Faults.TryConsumeBatchDropBeforeAccept())
        {
            RequestRecorder.MarkDropped(context);
            return;
        }

        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.BatchSend, state.Now).ConfigureAwait(false))
        {
            return;
        }

        await RequestBody.ReadBytesAsync(context).ConfigureAwait(false);
        var size = RequestBody.ReceivedBytes(context);
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (body is not { } json)
        {
            await RefuseAsync(context, InvalidParameter, "invalid parameter: the request body must be a JSON object").ConfigureAwait(false);
            return;
        }

        var msgType = json.String("msg_type");
        if (msgType is null || !MsgTypes.Contains(msgType))
        {
            await RefuseAsync(context, InvalidParameter, "invalid parameter: msg_type must be one of " + string.Join(", ", MsgTypes)).ConfigureAwait(false);
            return;
        }

        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var field in new[] { "department_ids", "open_ids", "user_ids", "union_ids" })
        {
            var (ids, problem) = IdList(json, field);
            if (problem is not null)
            {
                await RefuseAsync(context, InvalidParameter, problem).ConfigureAwait(false);
                return;
            }

            lists[field] = ids;
        }

        if (lists.Values.All(l => l.Count == 0))
        {
            await RefuseAsync(context, InvalidParameter, "invalid parameter: give at least one of department_ids, open_ids, user_ids, union_ids").ConfigureAwait(false);
            return;
        }

        if (lists["department_ids"].Contains(DepartmentTree.Root))
        {
            await RefuseAsync(context, InvalidParameter, "invalid parameter: department_ids may not hold the root department 0").ConfigureAwait(false);
            return;
        }

        var (content, contentProblem) = ReadContent(json, msgType, size, state);
        if (contentProblem is { } refusal)
        {
            await RefuseAsync(context, refusal.Code, refusal.Msg).ConfigureAwait(false);
            return;
        }

        var batch = Resolve(state, msgType, content!, lists);
        if (!state.Batches.TryCount(batch.ValidOpenIds.Count, state.Now))
        {
            await RefuseAsync(context, DailyCapReached, "the app's batch messages reached the daily limit of 500000").ConfigureAwait(false);
            return;
        }

        state.Batches.Add(batch);
        if (state.Faults.TryConsumeBatchDropAfterAccept())
        {
            RequestRecorder.MarkDropped(context);
            return;
        }

        var data = new JsonObject { ["message_id"] = batch.MessageId };
        foreach (var (field, ids) in batch.Invalid)
        {
            data[field] = new JsonArray(ids.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray());
        }

        await LarkResponses.Ok(context, data).ConfigureAwait(false);
    }

    private static (List<string> Ids, string? Problem) IdList(JsonElement json, string field)
    {
        var ids = new List<string>();
        if (json.Property(field) is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return (ids, null);
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            return (ids, $"invalid parameter: {field} must be an array of strings");
        }

        ids.AddRange(value.EnumerateArray().Select(v => v.GetString()!));
        return ids.Count > MaxIds
            ? (ids, string.Create(CultureInfo.InvariantCulture, $"invalid parameter: {field} holds {ids.Count} ids; at most {MaxIds} go in one request"))
            : (ids, null);
    }

    private static (string? Content, (int Code, string Msg)? Problem) ReadContent(JsonElement json, string msgType, long size, SandboxState state)
    {
        if (msgType == "interactive")
        {
            if (json.Property("card") is not { ValueKind: JsonValueKind.Object } card)
            {
                return (null, (InvalidParameter, "invalid parameter: an interactive batch message needs the card object in card"));
            }

            return size > MaxRichBytes
                ? (null, (InvalidParameter, string.Create(CultureInfo.InvariantCulture, $"invalid parameter: the card is {size} bytes, at most {MaxRichBytes}")))
                : (card.GetRawText(), null);
        }

        if (json.Property("content") is not { ValueKind: JsonValueKind.Object } content)
        {
            return (null, (InvalidParameter, "invalid parameter: content must be an object (not a string) for a batch message"));
        }

        var limit = msgType == "text" ? MaxTextBytes : MaxRichBytes;
        if (size > limit)
        {
            return (null, (InvalidParameter, string.Create(CultureInfo.InvariantCulture, $"invalid parameter: the message is {size} bytes, at most {limit} for {msgType}")));
        }

        switch (msgType)
        {
            case "text":
                return content.String("text") is { Length: > 0 }
                    ? (content.GetRawText(), null)
                    : (null, (InvalidParameter, "invalid parameter: content.text is required"));
            case "image":
                var key = content.String("image_key");
                return key is null ? (null, (InvalidParameter, "invalid parameter: content.image_key is required"))
                    : state.Uploads.TypeOf(key) != UploadStore.ImageType ? (null, (ImageKeyNotExist, "image key does not exist"))
                    : (content.GetRawText(), null);
            case "share_chat":
                var chat = content.String("share_chat_id");
                return chat is null ? (null, (InvalidParameter, "invalid parameter: content.share_chat_id is required"))
                    : !state.Directory.Chats.Exists(c => c.ChatId == chat) ? (null, (ShareChatNotExist, "the shared chat does not exist"))
                    : (content.GetRawText(), null);
            default:
                return ReadPost(content);
        }
    }

    // A post is wrapped in "post"; each locale holds title and content (paragraphs of nodes); the md node is im/v1's only.
    private static (string? Content, (int Code, string Msg)? Problem) ReadPost(JsonElement content)
    {
        if (content.Property("post") is not { ValueKind: JsonValueKind.Object } post || !post.EnumerateObject().Any())
        {
            return (null, (InvalidParameter, "invalid parameter: a batch post is {\"post\":{\"zh_cn\":{\"title\":…,\"content\":[[…]]}}}"));
        }

        foreach (var locale in post.EnumerateObject())
        {
            if (locale.Value.Property("content") is not { ValueKind: JsonValueKind.Array } paragraphs
                || paragraphs.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.Array))
            {
                return (null, (InvalidParameter, $"invalid parameter: post.{locale.Name}.content must be an array of paragraphs"));
            }

            if (paragraphs.EnumerateArray().SelectMany(p => p.EnumerateArray()).Any(n => n.String("tag") == "md"))
            {
                return (null, (InvalidParameter, "invalid parameter: a batch post has no md node"));
            }
        }

        return (content.GetRawText(), null);
    }

    private static BatchMessage Resolve(SandboxState state, string msgType, string content, Dictionary<string, List<string>> lists)
    {
        var directory = state.Directory;
        var valid = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invalid = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        void Reach(SandboxUser user)
        {
            if (seen.Add(user.OpenId))
            {
                valid.Add(user.OpenId);
            }
        }

        var badDepartments = new List<string>();
        foreach (var id in lists["department_ids"])
        {
            var department = DepartmentTree.Find(directory, id, "open_department_id") ?? DepartmentTree.Find(directory, id, "department_id");
            if (department is null)
            {
                badDepartments.Add(id);
                continue;
            }

            DepartmentTree.SubtreeMembers(directory, department.OpenDepartmentId).ForEach(Reach);
        }

        invalid["invalid_department_ids"] = badDepartments;
        foreach (var (field, idType) in new[] { ("open_ids", "open_id"), ("user_ids", "user_id"), ("union_ids", "union_id") })
        {
            var bad = new List<string>();
            foreach (var id in lists[field])
            {
                if (ReceiverResolver.FindUser(directory, idType, id) is { } user)
                {
                    Reach(user);
                }
                else
                {
                    bad.Add(id);
                }
            }

            invalid["invalid_" + field] = bad;
        }

        var byOpenId = directory.Users.Where(u => seen.Contains(u.OpenId)).ToDictionary(u => u.OpenId, StringComparer.Ordinal);
        var deliverable = valid.Where(id => byOpenId[id] is { Visible: true, Resigned: false }).ToList();
        return new BatchMessage(
            "bm-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), msgType, content, state.Now,
            lists["department_ids"], lists["open_ids"], lists["user_ids"], lists["union_ids"], valid, deliverable, invalid);
    }

    private static async Task<BatchMessage?> FindAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.BatchMessages, state.Now).ConfigureAwait(false))
        {
            return null;
        }

        var id = (string)context.Request.RouteValues["batch_message_id"]!;
        var batch = state.Batches.Find(id);
        if (batch is null || batch.AcceptedAt < state.Now - TimeSpan.FromDays(30))
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, BatchIdInvalid, "batch_message_id is invalid or not found: " + id).ConfigureAwait(false);
            return null;
        }

        return batch;
    }

    private static async Task ProgressAsync(HttpContext context, SandboxState state)
    {
        if (await FindAsync(context, state).ConfigureAwait(false) is not { } batch)
        {
            return;
        }

        var now = state.Now;
        var scheduled = batch.Scheduled(now);
        await LarkResponses.Ok(context, new JsonObject
        {
            ["batch_message_send_progress"] = new JsonObject
            {
                // 0 until the batch is scheduled (Lark: "0 == 0 is not done").
                ["valid_user_ids_count"] = scheduled ? batch.ValidOpenIds.Count : 0,
                ["success_user_ids_count"] = batch.Pushed(now),
                ["read_user_ids_count"] = batch.ReadCount,
            },
            ["batch_message_recall_progress"] = new JsonObject
            {
                ["recall"] = batch.RecalledAt is not null,
                ["recall_count"] = batch.RecallCount(now),
            },
        }).ConfigureAwait(false);
    }

    private static async Task ReadUserAsync(HttpContext context, SandboxState state)
    {
        if (await FindAsync(context, state).ConfigureAwait(false) is not { } batch)
        {
            return;
        }

        // Strings, as Lark answers them.
        await LarkResponses.Ok(context, new JsonObject
        {
            ["read_user"] = new JsonObject
            {
                ["read_count"] = batch.ReadCount.ToString(CultureInfo.InvariantCulture),
                ["total_count"] = batch.Pushed(state.Now).ToString(CultureInfo.InvariantCulture),
            },
        }).ConfigureAwait(false);
    }

    private static async Task RecallAsync(HttpContext context, SandboxState state)
    {
        if (await FindAsync(context, state).ConfigureAwait(false) is not { } batch)
        {
            return;
        }

        if (batch.AcceptedAt < state.Now - state.Options.Batch.RecallWindow)
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, LarkCodes.RecallWindowPassed, "Message can only be recalled within one days.").ConfigureAwait(false);
            return;
        }

        // A second recall: Lark's answer is unconfirmed; the sandbox answers success again and changes nothing.
        batch.Recall(state.Now);
        await LarkResponses.Ok(context, new JsonObject()).ConfigureAwait(false);
    }

    private static Task RefuseAsync(HttpContext context, int code, string msg) =>
        LarkResponses.Error(context, StatusCodes.Status200OK, code, msg);

    private static Task ListAsync(HttpContext context, SandboxState state)
    {
        var now = state.Now;
        var list = new JsonArray();
        foreach (var b in state.Batches.Snapshot())
        {
            var invalid = new JsonObject();
            foreach (var (field, ids) in b.Invalid)
            {
                invalid[field] = Strings(ids);
            }

            list.Add(new JsonObject
            {
                ["message_id"] = b.MessageId,
                ["msg_type"] = b.MsgType,
                ["content"] = b.Content,
                ["department_ids"] = Strings(b.AskedDepartmentIds),
                ["open_ids"] = Strings(b.AskedOpenIds),
                ["user_ids"] = Strings(b.AskedUserIds),
                ["union_ids"] = Strings(b.AskedUnionIds),
                ["receivers"] = Strings(b.ValidOpenIds),
                ["pushed_to"] = Strings(b.Deliverable.Take(b.Pushed(now)).ToList()),
                ["invalid"] = invalid,
                ["accepted_at"] = b.AcceptedAt.ToString("O", CultureInfo.InvariantCulture),
                ["readers"] = Strings(b.Readers),
                ["recalled_at"] = b.RecalledAt?.ToString("O", CultureInfo.InvariantCulture),
                ["recall_count"] = b.RecallCount(now),
            });
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(list.ToJsonString(LarkResponses.Output), context.RequestAborted);
    }

    /// <summary><c>{"open_id":"ou_…"}</c>: that receiver read the batch message (as the inbox page's button does).</summary>
    private static async Task MarkReadAsync(HttpContext context, SandboxState state)
    {
        var id = (string)context.Request.RouteValues["batch_message_id"]!;
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var openId = body?.String("open_id");
        if (state.Batches.Find(id) is not { } batch || string.IsNullOrEmpty(openId))
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, RequestGuard.BadRequest,
                "POST /_sandbox/batch_messages/{bm-…}/read with {\"open_id\":\"ou_…\"} of a batch the sandbox accepted").ConfigureAwait(false);
            return;
        }

        var marked = batch.MarkRead(openId, state.Now);
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject { ["read"] = marked, ["read_count"] = batch.ReadCount }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
