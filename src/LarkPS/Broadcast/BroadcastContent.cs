using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace LarkPS.Broadcast;

/// <summary>
/// A validated message's content in batch_send's shape (LARK-API.md "Batch messages (v4)"): text and image as they
/// are, post wrapped in {"post":…} without md nodes, share_chat as {"share_chat_id"}, a card in the card field, all as
/// objects. Only these five types: anything else is the broadcast's error, named.
/// </summary>
internal sealed class BroadcastContent
{
    private const int TextLimit = 150 * 1024;
    private const int RichLimit = 30 * 1024;

    private BroadcastContent(string msgType, string field, byte[] json)
    {
        MsgType = msgType;
        Field = field;
        Json = json;
    }

    public string MsgType { get; }

    /// <summary>content, or card for interactive.</summary>
    public string Field { get; }

    /// <summary>The object, compact UTF-8.</summary>
    public byte[] Json { get; }

    /// <summary>The batch content of an im/v1 content; throws ArgumentException naming what batch messages cannot carry.</summary>
    public static BroadcastContent From(string msgType, byte[] contentUtf8)
    {
        using var document = JsonDocument.Parse(contentUtf8);
        var root = document.RootElement;
        BroadcastContent result;
        switch (msgType)
        {
            case "text":
            case "image":
                result = new BroadcastContent(msgType, "content", contentUtf8);
                break;
            case "post":
                if (HasMarkdownNode(root))
                {
                    throw new ArgumentException("a batch post has no md node: write the markdown as post nodes (text, a, at, img), or send it as a card (-ContentType interactive)");
                }

                result = new BroadcastContent(msgType, "content", Write(w =>
                {
                    w.WritePropertyName("post");
                    root.WriteTo(w);
                }));
                break;
            case "share_chat":
                var chat = root.TryGetProperty("chat_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty;
                result = new BroadcastContent(msgType, "content", Write(w => w.WriteString("share_chat_id", chat)));
                break;
            case "interactive":
                result = new BroadcastContent(msgType, "card", contentUtf8);
                break;
            default:
                throw new ArgumentException($"Lark's batch messages take text, image, post, share_chat and interactive only, not {msgType}: send {msgType} messages with Send-LarkMessage");
        }

        var limit = msgType == "text" ? TextLimit : RichLimit;
        if (result.Json.Length > limit)
        {
            throw new ArgumentException($"the content is {result.Json.Length} bytes; a batch {msgType} may have at most {limit / 1024} KB");
        }

        return result;
    }

    /// <summary>A short fingerprint of what is sent: a journal keys receivers by it, so another message is another run.</summary>
    public string Fingerprint()
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        var bytes = Encoding.UTF8.GetBytes(MsgType + "\n" + Field + "\n");
        sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        sha.TransformFinalBlock(Json, 0, Json.Length);
        return Convert.ToBase64String(sha.Hash!);
    }

    private static bool HasMarkdownNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("tag", out var tag) && tag.ValueKind == JsonValueKind.String && tag.GetString() == "md")
                {
                    return true;
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (HasMarkdownNode(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (HasMarkdownNode(item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
