using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Issue 25, reading back (LARK-API.md, Reading back): GET /open-apis/im/v1/messages (a chat's or a thread's history,
/// by create time, paged by page_token), GET /open-apis/im/v1/messages/{message_id} (one message, as a list), and GET
/// /open-apis/im/v1/messages/{message_id}/read_users (who read a message the bot sent, within 7 days). Each counts
/// against its own app quota on arrival (50/s, 1000/min) and answers Lark's codes.
/// </summary>
internal static class HistoryEndpoints
{
    public const string ListQuota = "im/v1/messages:list";
    public const string GetQuota = "im/v1/messages:get";
    public const string ReadUsersQuota = "im/v1/messages:read_users";

    public const int BotNotSender = 230012;
    public const int MissingPermission = 230027;
    public const int ReadWindowPassed = 230033;

    /// <summary>Lark answers read receipts for 7 days after the send.</summary>
    public static readonly TimeSpan ReadWindow = TimeSpan.FromDays(7);

    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 50;
    private const int MaxReadersPageSize = 100;
    private const string TokenPrefix = "sandbox-history:";
    private const string ReadersTokenPrefix = "sandbox-readers:";
    private static readonly string[] UserIdTypes = ["open_id", "union_id", "user_id"];

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/open-apis/im/v1/messages", ApiGate.Authorized(state, c => ListAsync(c, state)));
        routes.MapGet("/open-apis/im/v1/messages/{message_id}", ApiGate.Authorized(state, c => GetAsync(c, state)));
        routes.MapGet("/open-apis/im/v1/messages/{message_id}/read_users", ApiGate.Authorized(state, c => ReadUsersAsync(c, state)));
    }

    private static async Task ListAsync(HttpContext context, SandboxState state)
    {
        if (!await AdmitAsync(context, state, ListQuota).ConfigureAwait(false))
        {
            return;
        }

        var query = context.Request.Query;
        var type = query["container_id_type"].ToString();
        var id = query["container_id"].ToString();
        var sort = query["sort_type"].ToString();
        sort = sort.Length == 0 ? "ByCreateTimeAsc" : sort;
        var startText = query["start_time"].ToString();
        var endText = query["end_time"].ToString();
        var problem = type is not ("chat" or "thread") ? Invalid("container_id_type", type, "container_id_type must be chat or thread")
            : id.Length == 0 ? Invalid("container_id", id, "container_id is required")
            : sort is not ("ByCreateTimeAsc" or "ByCreateTimeDesc") ? Invalid("sort_type", sort, "sort_type must be ByCreateTimeAsc or ByCreateTimeDesc")
            : type == "thread" && (startText.Length > 0 || endText.Length > 0) ? Invalid("start_time", startText + endText, "start_time and end_time are not supported for a thread")
            : null;
        long start = 0, end = long.MaxValue / 2000;
        problem ??= startText.Length > 0 && !long.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out start) ? Invalid("start_time", startText, "start_time is seconds since the epoch")
            : endText.Length > 0 && !long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out end) ? Invalid("end_time", endText, "end_time is seconds since the epoch")
            : null;
        var (size, sizeProblem) = PageSize(query["page_size"].ToString(), DefaultPageSize, MaxPageSize);
        problem ??= sizeProblem;
        var descending = sort == "ByCreateTimeDesc";
        var key = type == "chat" ? HistoryIndex.ChatKey(id) : HistoryIndex.ThreadKey(id);
        HistoryPosition? after = null;
        var tokenText = query["page_token"].ToString();
        if (problem is null && tokenText.Length > 0)
        {
            after = ReadToken(tokenText, sort + ":" + key);
            problem = after is null ? Invalid("page_token", tokenText, "page_token is not one this server issued for this container and sort_type") : null;
        }

        problem ??= ContainerProblem(state, type, id);
        if (problem is not null)
        {
            await MessageEndpoints.RefuseAsync(context, problem).ConfigureAwait(false);
            return;
        }

        // Without im:message.group_msg, Lark lists only p2p messages: a group's history comes back empty.
        var groupHidden = type == "chat" && IsGroup(state, id) && !state.Scopes.Has(SandboxScopes.GroupMessages);
        var slice = groupHidden
            ? new HistorySlice([], null, false)
            : state.Messages.HistoryPage(key, start * 1000, (end * 1000) + 999, descending, after, size);
        var items = new JsonArray();
        foreach (var stored in slice.Items)
        {
            items.Add(HistoryJson.Item(stored, state));
        }

        var data = new JsonObject { ["has_more"] = slice.HasMore };
        if (slice.HasMore && slice.Last is { } last)
        {
            data["page_token"] = WriteToken(sort + ":" + key, last);
        }

        data["items"] = items;
        await LarkResponses.Ok(context, data).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, SandboxState state)
    {
        if (!await AdmitAsync(context, state, GetQuota).ConfigureAwait(false))
        {
            return;
        }

        var messageId = (string)context.Request.RouteValues["message_id"]!;
        var idType = context.Request.Query["user_id_type"].ToString();
        var stored = state.Messages.Find(messageId);
        var problem = idType.Length > 0 && !UserIdTypes.Contains(idType) ? Invalid("user_id_type", idType, "user_id_type must be open_id, union_id or user_id")
            : stored is null ? MessageEndpoints.UnknownMessage(messageId)
            : BotOutside(state, stored.Message.ChatId);
        if (problem is not null)
        {
            await MessageEndpoints.RefuseAsync(context, problem).ConfigureAwait(false);
            return;
        }

        var item = HistoryJson.Item(stored!, state);
        if (stored!.Message.Deleted)
        {
            // Recalled: listed as deleted, without content.
            item.Remove("body");
        }

        if (idType is "union_id" or "user_id" && stored.Message.SenderType == "user"
            && state.Directory.Users.Find(u => u.OpenId == stored.Message.SenderId) is { } sender)
        {
            item["sender"]!["id"] = idType == "union_id" ? sender.UnionId : sender.UserId;
            item["sender"]!["id_type"] = idType;
        }

        await LarkResponses.Ok(context, new JsonObject { ["items"] = new JsonArray(item) }).ConfigureAwait(false);
    }

    private static async Task ReadUsersAsync(HttpContext context, SandboxState state)
    {
        if (!await AdmitAsync(context, state, ReadUsersQuota).ConfigureAwait(false))
        {
            return;
        }

        var messageId = (string)context.Request.RouteValues["message_id"]!;
        var query = context.Request.Query;
        var idType = query["user_id_type"].ToString();
        var (size, sizeProblem) = PageSize(query["page_size"].ToString(), MaxReadersPageSize, MaxReadersPageSize);
        var tokenText = query["page_token"].ToString();
        var offset = 0;
        var stored = state.Messages.Find(messageId);
        var problem = !UserIdTypes.Contains(idType) ? Invalid("user_id_type", idType, "user_id_type is required: open_id, union_id or user_id")
            : sizeProblem
            ?? (tokenText.Length > 0 && !TryReadOffset(tokenText, messageId, out offset) ? Invalid("page_token", tokenText, "page_token is not one this server issued for this message") : null)
            ?? (stored is null ? MessageEndpoints.UnknownMessage(messageId) : null)
            ?? BotOutside(state, stored!.Message.ChatId)
            ?? (stored.Message.Deleted ? new SendProblem(LarkCodes.MessageDeleted, "The message was deleted.") : null)
            ?? (stored.Message.SenderType != "app" ? new SendProblem(BotNotSender, "The bot is not the sender of this message.") : null)
            ?? (state.Now - stored.Message.Time > ReadWindow ? new SendProblem(ReadWindowPassed, "Read receipts are kept for 7 days: the message is older.") : null);
        if (problem is not null)
        {
            await MessageEndpoints.RefuseAsync(context, problem).ConfigureAwait(false);
            return;
        }

        var marks = state.Reads.Of(messageId);
        var items = new JsonArray();
        foreach (var mark in marks.Skip(offset).Take(size))
        {
            var user = state.Directory.Users.Find(u => u.OpenId == mark.OpenId);
            items.Add(new JsonObject
            {
                ["user_id_type"] = idType,
                ["user_id"] = idType switch { "union_id" => user?.UnionId, "user_id" => user?.UserId, _ => mark.OpenId } ?? mark.OpenId,
                ["timestamp"] = MessageJson.Millis(mark.Time),
                ["tenant_key"] = SandboxSeed.TenantKey,
            });
        }

        var next = offset + size;
        var hasMore = next < marks.Count;
        var data = new JsonObject { ["items"] = items, ["has_more"] = hasMore };
        if (hasMore)
        {
            data["page_token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(ReadersTokenPrefix + messageId + ":" + next.ToString(CultureInfo.InvariantCulture)));
        }

        await LarkResponses.Ok(context, data).ConfigureAwait(false);
    }

    /// <summary>The quota (counted on arrival) and the scope every reading call needs; false once answered.</summary>
    internal static async Task<bool> AdmitAsync(HttpContext context, SandboxState state, string quota)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, quota, state.Now).ConfigureAwait(false))
        {
            return false;
        }

        if (!state.Scopes.Has(SandboxScopes.Message))
        {
            await MessageEndpoints.RefuseAsync(context, new SendProblem(
                MissingPermission, "The app has no permission to read messages: it needs im:message or im:message:readonly.")).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>230002 where the message's chat is a group the bot is not in.</summary>
    internal static SendProblem? BotOutside(SandboxState state, string chatId) =>
        state.Directory.Chats.Find(c => c.ChatId == chatId) is { BotIsMember: false }
            ? new SendProblem(LarkCodes.BotNotInChat, "Bot is not in the chat.")
            : null;

    private static bool IsGroup(SandboxState state, string chatId) => state.Directory.Chats.Exists(c => c.ChatId == chatId);

    private static SendProblem? ContainerProblem(SandboxState state, string type, string id)
    {
        if (type == "thread")
        {
            return state.Messages.HistoryPage(HistoryIndex.ThreadKey(id), 0, long.MaxValue, false, null, 1).Items.Count == 0
                ? Invalid("container_id", id, "no thread with this id")
                : null;
        }

        if (BotOutside(state, id) is { } outside)
        {
            return outside;
        }

        var known = IsGroup(state, id) || state.Directory.Users.Exists(u => SandboxDirectory.P2pChatId(u.OpenId) == id);
        return known ? null : Invalid("container_id", id, "no chat with this id");
    }

    private static (int Size, SendProblem? Problem) PageSize(string text, int fallback, int max)
    {
        if (text.Length == 0)
        {
            return (fallback, null);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 && size <= max
            ? (size, null)
            : (0, Invalid("page_size", text, $"page_size must be between 1 and {max}"));
    }

    private static SendProblem Invalid(string field, string value, string description) => SendProblem.InvalidParam(field, description, value);

    // Opaque to clients, as Lark's are: the walk's sort and container, and the last message's place in it.
    private static string WriteToken(string walk, HistoryPosition last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{TokenPrefix}{walk}:{last.TimeMs}:{last.Sequence}")));

    private static HistoryPosition? ReadToken(string token, string walk)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var prefix = TokenPrefix + walk + ":";
            if (!text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return null;
            }

            var parts = text[prefix.Length..].Split(':');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                ? new HistoryPosition(time, sequence)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool TryReadOffset(string token, string messageId, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var prefix = ReadersTokenPrefix + messageId + ":";
            return text.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
