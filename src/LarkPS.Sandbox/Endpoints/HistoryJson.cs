using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Issue 25: a message as the reading endpoints answer it (LARK-API.md, Reading back): content in its received
/// shape (a text's mentions as @_user_N, a post without its locale wrapper, md nodes as text), mentions with a plain
/// open_id string, a recalled message's content as the plain text Lark puts there.
/// </summary>
internal static partial class HistoryJson
{
    public const string RecalledText = "This message was recalled";

    private static readonly string[] Locales = ["zh_cn", "en_us", "ja_jp"];

    public static JsonObject Item(StoredMessage stored, SandboxState state)
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

        if ((message.ThreadId ?? state.Messages.ThreadRootedAt(message.MessageId)) is { } thread)
        {
            data["thread_id"] = thread;
        }

        data["msg_type"] = message.MsgType;
        data["create_time"] = MessageJson.Millis(message.Time);
        data["update_time"] = MessageJson.Millis(stored.UpdateTime);
        data["deleted"] = message.Deleted;
        data["updated"] = message.Edits > 0 || message.CardUpdates > 0;
        data["chat_id"] = message.ChatId;
        data["sender"] = message.SenderType == "app"
            ? new JsonObject { ["id"] = state.Options.AppId, ["id_type"] = "app_id", ["sender_type"] = "app", ["tenant_key"] = SandboxSeed.TenantKey }
            : new JsonObject { ["id"] = message.SenderId, ["id_type"] = "open_id", ["sender_type"] = "user", ["tenant_key"] = SandboxSeed.TenantKey };
        var mentions = new JsonArray();
        var content = message.Deleted ? RecalledText : Received(message.MsgType, message.Content, state.Directory, mentions, state.Uploads);
        data["body"] = new JsonObject { ["content"] = content };
        data["mentions"] = mentions;
        return data;
    }

    /// <summary>
    /// The content as a receiver reads it back; what does not parse is answered as stored. A file or media message
    /// carries its file_name (LARK-API.md, content of received messages) where the sandbox issued its key.
    /// </summary>
    public static string Received(string msgType, string content, SandboxDirectory directory, JsonArray mentions, UploadStore? uploads = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(content);
        }
        catch (JsonException)
        {
            return content;
        }

        if (node is not JsonObject root)
        {
            return content;
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string Key(string id, string? name)
        {
            if (!keys.TryGetValue(id, out var key))
            {
                var user = directory.Users.Find(u => u.OpenId == id || u.UserId == id || u.UnionId == id);
                key = "@_user_" + (keys.Count + 1).ToString(CultureInfo.InvariantCulture);
                keys[id] = key;
                mentions.Add(new JsonObject
                {
                    ["key"] = key,
                    ["id"] = user?.OpenId ?? id,
                    ["id_type"] = "open_id",
                    ["name"] = user?.Name ?? name ?? string.Empty,
                    ["tenant_key"] = SandboxSeed.TenantKey,
                });
            }

            return key;
        }

        if (msgType == "text" && root["text"] is JsonValue textValue && textValue.TryGetValue<string>(out var text))
        {
            var replaced = AtTag().Replace(text, m => m.Groups["id"].Value == "all" ? "@_all" : Key(m.Groups["id"].Value, m.Groups["name"].Value));
            return new JsonObject { ["text"] = replaced }.ToJsonString(LarkResponses.Output);
        }

        if (msgType == "post")
        {
            var post = root["content"] is JsonArray ? root : Locales.Select(l => root[l]).OfType<JsonObject>().FirstOrDefault()
                ?? root.Select(p => p.Value).OfType<JsonObject>().FirstOrDefault();
            if (post is null)
            {
                return content;
            }

            var paragraphs = new JsonArray();
            foreach (var paragraph in (post["content"] as JsonArray ?? []).OfType<JsonArray>())
            {
                var nodes = new JsonArray();
                foreach (var item in paragraph.OfType<JsonObject>())
                {
                    var tag = item["tag"]?.GetValue<string>();
                    nodes.Add(tag switch
                    {
                        "at" when item["user_id"]?.GetValue<string>() is { } id => id == "all"
                            ? new JsonObject { ["tag"] = "at", ["user_id"] = "@_all", ["user_name"] = "all" }
                            : new JsonObject { ["tag"] = "at", ["user_id"] = Key(id, item["user_name"]?.GetValue<string>()), ["user_name"] = NameOf(id, directory) },
                        "md" => new JsonObject { ["tag"] = "text", ["text"] = item["text"]?.GetValue<string>() ?? string.Empty },
                        _ => item.DeepClone(),
                    });
                }

                paragraphs.Add(nodes);
            }

            return new JsonObject { ["title"] = post["title"]?.DeepClone() ?? string.Empty, ["content"] = paragraphs }.ToJsonString(LarkResponses.Output);
        }

        if (msgType is "file" or "media" && root["file_name"] is null && root["file_key"] is JsonValue keyValue && keyValue.TryGetValue<string>(out var fileKey)
            && uploads?.Find(fileKey)?.FileName is { Length: > 0 } fileName)
        {
            root["file_name"] = fileName;
            return root.ToJsonString(LarkResponses.Output);
        }

        return content;
    }

    private static string NameOf(string id, SandboxDirectory directory) =>
        directory.Users.Find(u => u.OpenId == id || u.UserId == id || u.UnionId == id)?.Name ?? id;

    [GeneratedRegex("<at user_id=\"(?<id>[^\"]*)\">(?<name>[^<]*)</at>", RegexOptions.CultureInvariant)]
    private static partial Regex AtTag();
}
