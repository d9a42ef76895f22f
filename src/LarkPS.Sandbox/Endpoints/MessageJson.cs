using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>The message object Lark answers sends, replies and edits with.</summary>
internal static partial class MessageJson
{
    public static JsonObject Data(StoredMessage stored, SandboxState state)
    {
        var message = stored.Message;
        var data = new JsonObject { ["message_id"] = message.MessageId };
        if (message.RootId is not null)
        {
            data["root_id"] = message.RootId;
        }

        if (message.ParentId is not null)
        {
            data["parent_id"] = message.ParentId;
        }

        if (message.ThreadId is not null)
        {
            data["thread_id"] = message.ThreadId;
        }

        data["msg_type"] = message.MsgType;
        data["create_time"] = Millis(message.Time);
        data["update_time"] = Millis(stored.UpdateTime);
        data["deleted"] = message.Deleted;
        data["updated"] = message.Edits > 0 || message.CardUpdates > 0;
        data["chat_id"] = message.ChatId;
        data["sender"] = message.SenderType == "app"
            ? new JsonObject
            {
                ["id"] = state.Options.AppId,
                ["id_type"] = "app_id",
                ["sender_type"] = "app",
                ["tenant_key"] = SandboxSeed.TenantKey,
            }
            : new JsonObject
            {
                ["id"] = message.SenderId,
                ["id_type"] = "open_id",
                ["sender_type"] = "user",
                ["tenant_key"] = SandboxSeed.TenantKey,
            };
        data["body"] = new JsonObject { ["content"] = message.Content };
        data["mentions"] = Mentions(message, state.Directory);
        return data;
    }

    public static string Millis(DateTimeOffset time) =>
        time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    // Lark lists the people a text message mentions as @_user_1, @_user_2, … .
    private static JsonArray Mentions(DeliveredMessage message, SandboxDirectory directory)
    {
        var mentions = new JsonArray();
        if (message.MsgType != "text")
        {
            return mentions;
        }

        string text;
        try
        {
            using var document = JsonDocument.Parse(message.Content);
            text = document.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() ?? string.Empty
                : string.Empty;
        }
        catch (JsonException)
        {
            return mentions;
        }

        var index = 0;
        foreach (Match match in AtTag().Matches(text))
        {
            var id = match.Groups["id"].Value;
            if (id == "all")
            {
                continue;
            }

            var user = directory.Users.Find(u => u.OpenId == id || u.UserId == id || u.UnionId == id);
            index++;
            mentions.Add(new JsonObject
            {
                ["key"] = "@_user_" + index.ToString(CultureInfo.InvariantCulture),
                ["id"] = user?.OpenId ?? id,
                ["id_type"] = "open_id",
                ["name"] = user?.Name ?? match.Groups["name"].Value,
                ["tenant_key"] = SandboxSeed.TenantKey,
            });
        }

        return mentions;
    }

    [GeneratedRegex("<at user_id=\"(?<id>[^\"]*)\">(?<name>[^<]*)</at>", RegexOptions.CultureInvariant)]
    private static partial Regex AtTag();
}
