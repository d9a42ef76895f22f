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
/// The content rules of LARK-API.md "content per msg_type" and Lark's "发送消息内容结构" / card JSON 1.0 and 2.0 pages:
/// content is a string holding a JSON object with the keys its msg_type needs. The verdicts are those of
/// tests/cases/content-cases.json, which the module's validator follows too; where Lark's leniency is unconfirmed
/// (marked so below) the sandbox refuses, as the module does.
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

    // Unconfirmed beyond zh_cn / en_us (Lark's page) and ja_jp (the official Go SDK's MessagePost): others are refused.
    private static readonly HashSet<string> PostLocales = new(StringComparer.Ordinal) { "zh_cn", "en_us", "ja_jp" };

    // "图片、视频元素必须是独立的一个段落", "md 标签会独占一个或多个段落": whether Lark refuses or re-flows is unconfirmed.
    private static readonly HashSet<string> AloneInParagraph = new(StringComparer.Ordinal) { "img", "media", "md" };

    // 2.0 refuses unsupported properties (documented); 1.0 ignores them, which is unconfirmed per key, so refused too.
    private static readonly HashSet<string> CardV2Keys = new(StringComparer.Ordinal) { "schema", "config", "card_link", "header", "body" };

    private static readonly HashSet<string> CardV1Keys = new(StringComparer.Ordinal)
    {
        "schema", "config", "card_link", "header", "elements", "i18n_elements", "i18n_header", "fallback",
    };

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
            "text" => RequireText(root),
            "post" => ValidatePost(root, uploads),
            "image" => ValidateKey(root, "image_key", msgType, uploads),
            "interactive" => ValidateCard(root),
            "share_chat" => RequirePrefixed(root, "chat_id", "oc_"),
            "share_user" => RequirePrefixed(root, "user_id", "ou_"),
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

    // Unconfirmed whether Lark takes a text of only white space; refused, as the module does.
    private static SendProblem? RequireText(JsonElement root) =>
        string.IsNullOrWhiteSpace(root.String("text"))
            ? SendProblem.InvalidParam("content.text", "text is required and must be a non-blank string")
            : null;

    private static SendProblem? RequirePrefixed(JsonElement root, string field, string prefix) =>
        RequireString(root, field)
        ?? (root.String(field) is { } value && value.Length > prefix.Length && value.StartsWith(prefix, StringComparison.Ordinal)
            ? null
            : SendProblem.InvalidParam("content." + field, $"{field} must start with '{prefix}'", root.String(field)));

    // Lark: "content format of the post type is incorrect" (230001) for a post it cannot read.
    private static SendProblem? ValidatePost(JsonElement root, UploadStore uploads)
    {
        var locales = 0;
        foreach (var locale in root.EnumerateObject())
        {
            // A bare {title,content} or a webhook's {"post":{…}} has no locale: Lark answers 230001.
            if (!PostLocales.Contains(locale.Name) || locale.Value.ValueKind != JsonValueKind.Object)
            {
                return SendProblem.InvalidParam("content", $"'{locale.Name}' is not a post locale object (zh_cn, en_us or ja_jp)");
            }

            var where = "content." + locale.Name;
            if (locale.Value.Property("title") is { } title && title.ValueKind != JsonValueKind.String)
            {
                return SendProblem.InvalidParam(where + ".title", "title must be a string");
            }

            if (locale.Value.Property("content") is not { ValueKind: JsonValueKind.Array } paragraphs)
            {
                return SendProblem.InvalidParam(where + ".content", "content must be an array of paragraphs");
            }

            var nodes = 0;
            foreach (var paragraph in paragraphs.EnumerateArray())
            {
                if (paragraph.ValueKind != JsonValueKind.Array)
                {
                    return SendProblem.InvalidParam(where + ".content", "each paragraph must be an array of nodes");
                }

                var count = paragraph.GetArrayLength();
                foreach (var node in paragraph.EnumerateArray())
                {
                    nodes++;
                    if (ValidateNode(node, where + ".content", count, uploads) is { } problem)
                    {
                        return problem;
                    }
                }
            }

            // Unconfirmed what Lark does with a locale without any node; refused (content is required).
            if (nodes == 0)
            {
                return SendProblem.InvalidParam(where + ".content", "content has no node");
            }

            locales++;
        }

        return locales == 0 ? SendProblem.InvalidParam("content", "post needs at least one locale (zh_cn, en_us, ja_jp)") : null;
    }

    private static SendProblem? ValidateNode(JsonElement node, string where, int nodesInParagraph, UploadStore uploads)
    {
        var tag = node.String("tag");
        if (tag is null || !PostNodeFields.TryGetValue(tag, out var required))
        {
            return SendProblem.InvalidParam(where, $"unknown node tag '{tag}'");
        }

        if (nodesInParagraph > 1 && AloneInParagraph.Contains(tag))
        {
            return SendProblem.InvalidParam(where, $"a '{tag}' node must be alone in its paragraph");
        }

        foreach (var field in required)
        {
            // Unconfirmed whether Lark takes an empty text node; refused, as the module does.
            var problem = field is "image_key" or "file_key"
                ? ValidateKey(node, field, tag == "img" ? "image" : "media", uploads, $"{where}.{tag}.")
                : RequireString(node, field, $"{where}.{tag}.");
            if (problem is not null)
            {
                return problem;
            }
        }

        if (tag == "media" && node.Has("image_key") && ValidateKey(node, "image_key", "image", uploads, $"{where}.{tag}.") is { } cover)
        {
            return cover;
        }

        // Lark: "请确保链接地址的合法性，否则消息会发送失败"; which schemes pass is unconfirmed, so only web links do.
        return tag == "a" && !IsWebLink(node.String("href")!)
            ? SendProblem.InvalidParam($"{where}.a.href", "invalid href", node.String("href"))
            : null;
    }

    private static bool IsWebLink(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static SendProblem? ValidateCard(JsonElement card)
    {
        var type = card.Property("type");
        if (type is { ValueKind: JsonValueKind.String })
        {
            var data = card.Property("data");
            var fits = card.String("type") switch
            {
                "template" => data?.String("template_id") is { Length: > 0 }
                    && data.Value.Property("template_version_name") is null or { ValueKind: JsonValueKind.String }
                    && data.Value.Property("template_variable") is null or { ValueKind: JsonValueKind.Object },
                "card" => data?.String("card_id") is { Length: > 0 },
                _ => false,
            };
            return fits ? null : CardInvalid("a template needs data.template_id, a card entity data.card_id");
        }

        var schema = card.Property("schema");
        if (schema is not null && card.String("schema") is not ("1.0" or "2.0"))
        {
            return CardInvalid("schema must be \"2.0\" (or \"1.0\")");
        }

        var isV2 = card.String("schema") == "2.0";
        var allowed = isV2 ? CardV2Keys : CardV1Keys;
        foreach (var property in card.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                return CardInvalid($"'{property.Name}' is not a property of a schema {(isV2 ? "2.0" : "1.0")} card");
            }
        }

        var kindsFit = Kind(card, "config", JsonValueKind.Object)
            && Kind(card, "card_link", JsonValueKind.Object)
            && Kind(card, "header", JsonValueKind.Object)
            && (isV2
                // 2.0's header title is required ("卡片主标题。必填").
                ? (card.Property("header") is null || card.Property("header")!.Value.Property("title") is { ValueKind: JsonValueKind.Object })
                  && Kind(card, "body", JsonValueKind.Object)
                  && (card.Property("body") is not { } body || Kind(body, "elements", JsonValueKind.Array))
                : Kind(card, "elements", JsonValueKind.Array)
                  && Kind(card, "i18n_elements", JsonValueKind.Object)
                  && Kind(card, "i18n_header", JsonValueKind.Object)
                  && Kind(card, "fallback", JsonValueKind.Object));
        if (!kindsFit)
        {
            return CardInvalid("a card field has the wrong JSON type");
        }

        // Issue 22: tables, images, buttons and the counts Lark keeps in a 2.0 body.
        return isV2 ? CardBodyValidator.Validate(card) : null;
    }

    // True when the field is absent or of the kind.
    private static bool Kind(JsonElement obj, string field, JsonValueKind kind) =>
        obj.Property(field) is not { } value || value.ValueKind == kind;

    private static SendProblem CardInvalid(string detail) =>
        new(LarkCodes.CardInvalid, "Failed to create card content, ext=" + detail);

    // Unconfirmed: the keys Lark's uploads issue today start with img_ / file_; a key of another shape is refused.
    private static SendProblem? ValidateKey(JsonElement root, string field, string msgType, UploadStore uploads, string prefix = "content.")
    {
        if (RequireString(root, field, prefix) is { } missing)
        {
            return missing;
        }

        var key = root.String(field)!;
        var isImageKey = key.Length > 4 && key.StartsWith("img_", StringComparison.Ordinal);
        var isFileKey = key.Length > 5 && key.StartsWith("file_", StringComparison.Ordinal);
        if (!isImageKey && !isFileKey)
        {
            return SendProblem.InvalidParam(prefix + field, "not an image or file key", key);
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
