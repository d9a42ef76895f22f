using System.Text.Json;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>Why a send was refused: Lark's code, its message, and the field it names.</summary>
internal sealed record SendProblem(int Code, string Msg, FieldViolation? Violation = null)
{
    public static SendProblem InvalidParam(string field, string description, string? value = null) =>
        new(LarkCodes.InvalidParam, $"invalid param: {field}: {description}", new FieldViolation(field, value, description));
}

/// <summary>
/// The content rules of LARK-API.md "content per msg_type": content is a string holding a JSON object
/// with the keys its msg_type needs. Cards are judged loosely (230099 only when no card shape fits).
/// </summary>
internal static class MessageContentValidator
{
    public static readonly IReadOnlySet<string> MsgTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "text", "post", "image", "interactive", "share_chat", "share_user", "audio", "media", "file", "sticker",
    };

    // Lark: text (and the rest) ≤ 150 KB, post and interactive ≤ 30 KB, measured on the whole request body.
    public static int MaxBodyBytes(string msgType) =>
        msgType is "post" or "interactive" ? 30 * 1024 : 150 * 1024;

    private static readonly Dictionary<string, string[]> PostNodeFields = new(StringComparer.Ordinal)
    {
        ["text"] = ["text"],
        ["a"] = ["text", "href"],
        ["at"] = ["user_id"],
        ["img"] = ["image_key"],
        ["media"] = ["file_key"],
        ["emotion"] = ["emoji_type"],
        ["hr"] = [],
        ["code_block"] = ["text"],
        ["md"] = ["text"],
    };

    /// <summary>Checks <paramref name="content"/> (the content string, already unwrapped) for <paramref name="msgType"/>.</summary>
    public static SendProblem? Validate(string msgType, string content, UploadStore uploads)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(content);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return SendProblem.InvalidParam("content", "content is not valid JSON");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return SendProblem.InvalidParam("content", "content must be a JSON object");
        }

        return msgType switch
        {
            "text" => RequireString(root, "text"),
            "post" => ValidatePost(root),
            "image" => ValidateKey(root, "image_key", msgType, uploads),
            "interactive" => ValidateCard(root),
            "share_chat" => RequireString(root, "chat_id"),
            "share_user" => RequireString(root, "user_id"),
            "audio" or "file" or "sticker" => ValidateKey(root, "file_key", msgType, uploads),
            "media" => ValidateKey(root, "file_key", msgType, uploads)
                ?? (root.Has("image_key") ? ValidateKey(root, "image_key", msgType, uploads) : null),
            _ => SendProblem.InvalidParam("msg_type", "unknown msg_type", msgType),
        };
    }

    private static SendProblem? RequireString(JsonElement obj, string field, string prefix = "content.") =>
        string.IsNullOrEmpty(obj.String(field))
            ? SendProblem.InvalidParam(prefix + field, $"{field} is required and must be a non-empty string")
            : null;

    private static SendProblem? ValidatePost(JsonElement root)
    {
        var locales = 0;
        foreach (var locale in root.EnumerateObject())
        {
            // Locale keys look like zh_cn / en_us / ja_jp; a bare {title,content} has no locale.
            if (locale.Name.Length != 5 || locale.Name[2] != '_' || locale.Value.ValueKind != JsonValueKind.Object)
            {
                return SendProblem.InvalidParam("content", $"'{locale.Name}' is not a locale object such as zh_cn or en_us");
            }

            var where = "content." + locale.Name;
            if (locale.Value.Property("content") is not { ValueKind: JsonValueKind.Array } paragraphs)
            {
                return SendProblem.InvalidParam(where + ".content", "content must be an array of paragraphs");
            }

            foreach (var paragraph in paragraphs.EnumerateArray())
            {
                if (paragraph.ValueKind != JsonValueKind.Array)
                {
                    return SendProblem.InvalidParam(where + ".content", "each paragraph must be an array of nodes");
                }

                foreach (var node in paragraph.EnumerateArray())
                {
                    var tag = node.String("tag");
                    if (tag is null || !PostNodeFields.TryGetValue(tag, out var required))
                    {
                        return SendProblem.InvalidParam(where + ".content", $"unknown node tag '{tag}'");
                    }

                    foreach (var field in required)
                    {
                        if (RequireString(node, field, $"{where}.content.{tag}.") is { } problem)
                        {
                            return problem;
                        }
                    }
                }
            }

            locales++;
        }

        return locales == 0 ? SendProblem.InvalidParam("content", "post needs at least one locale (zh_cn, en_us, …)") : null;
    }

    private static SendProblem? ValidateCard(JsonElement card)
    {
        var type = card.String("type");
        var data = card.Property("data");
        var fits = type switch
        {
            "template" => data?.String("template_id") is { Length: > 0 },
            "card" => data?.String("card_id") is { Length: > 0 },
            _ => card.String("schema") == "2.0"
                ? card.Property("body") is { ValueKind: JsonValueKind.Object }
                : card.Property("elements") is { ValueKind: JsonValueKind.Array }
                  || card.Property("i18n_elements") is { ValueKind: JsonValueKind.Object },
        };
        return fits
            ? null
            : new SendProblem(
                LarkCodes.CardInvalid,
                "Failed to create card content: expected a v2 card (schema 2.0 with body), a v1 card (elements), or a template/card reference.");
    }

    private static SendProblem? ValidateKey(JsonElement root, string field, string msgType, UploadStore uploads)
    {
        if (RequireString(root, field) is { } missing)
        {
            return missing;
        }

        var key = root.String(field)!;
        var isImageKey = key.StartsWith("img_", StringComparison.Ordinal);
        var isFileKey = key.StartsWith("file_", StringComparison.Ordinal);
        if (!isImageKey && !isFileKey)
        {
            return SendProblem.InvalidParam("content." + field, "not an image or file key", key);
        }

        var wantImage = field == "image_key";
        if (wantImage != isImageKey)
        {
            return Mismatch(msgType, key);
        }

        // Only keys this sandbox issued have a known upload type; others may come from a real upload.
        var uploaded = uploads.TypeOf(key);
        var fits = uploaded is null || (msgType, field) switch
        {
            ("audio", _) => uploaded == "opus",
            ("media", "file_key") => uploaded == "mp4",
            (_, "image_key") => uploaded == UploadStore.ImageType,
            _ => uploaded != UploadStore.ImageType,
        };
        return fits ? null : Mismatch(msgType, key);
    }

    private static SendProblem Mismatch(string msgType, string key) =>
        new(
            LarkCodes.UploadTypeMismatch,
            $"The type of file upload does not match the type of message being sent ({msgType}).",
            new FieldViolation("content", key, $"this key was not uploaded for a {msgType} message"));
}
