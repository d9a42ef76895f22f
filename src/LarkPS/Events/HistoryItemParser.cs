using System.Linq;
using System.Text.Json;
using static LarkPS.Events.ReceivedContent;

namespace LarkPS.Events;

/// <summary>
/// Reads one item of a history page or of a get-message answer (LARK-API.md, "History: item") into a
/// <see cref="LarkMessage"/>, through the same <see cref="ReceivedContent"/> reading as events.
/// </summary>
internal static class HistoryItemParser
{
    public static LarkMessage Parse(JsonElement item)
    {
        var sender = Object(item, "sender");
        var mentions = Array(item, "mentions").Select(Mention).ToArray();
        var type = Text(item, "msg_type");
        var raw = Text(Object(item, "body"), "content");
        var deleted = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True;

        // A recalled message's content is plain text, not JSON: no content, no text.
        var content = deleted ? null : ParseContent(raw);
        return new LarkMessage
        {
            MessageId = Text(item, "message_id"),
            ChatId = Text(item, "chat_id"),
            ThreadId = Text(item, "thread_id"),
            RootId = Text(item, "root_id"),
            ParentId = Text(item, "parent_id"),
            UpperMessageId = Text(item, "upper_message_id"),
            SenderId = Text(sender, "id"),
            SenderIdType = Text(sender, "id_type"),
            SenderType = Text(sender, "sender_type"),
            TenantKey = Text(sender, "tenant_key"),
            MessageType = type,
            RawContent = raw,
            Content = content is { } c ? ToHashtable(c) : null,
            Text = content is { } parsed ? PlainText(type, parsed, mentions) : null,
            Mentions = mentions,
            CreateTime = Time(item, "create_time"),
            UpdateTime = Time(item, "update_time"),
            Deleted = deleted,
            Updated = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("updated", out var u) && u.ValueKind == JsonValueKind.True,
        };
    }

    // History's mentions carry the id as a string with its id_type; an event's carry an id object: accept both.
    private static LarkMention Mention(JsonElement m)
    {
        var mention = new LarkMention { Key = Text(m, "key"), Name = Text(m, "name") };
        var ids = Object(m, "id");
        if (ids.ValueKind == JsonValueKind.Object)
        {
            mention.OpenId = Text(ids, "open_id");
            mention.UnionId = Text(ids, "union_id");
            mention.UserId = Text(ids, "user_id");
            return mention;
        }

        var id = Text(m, "id");
        switch (Text(m, "id_type"))
        {
            case "union_id":
                mention.UnionId = id;
                break;
            case "user_id":
                mention.UserId = id;
                break;
            default:
                mention.OpenId = id;
                break;
        }

        return mention;
    }
}
