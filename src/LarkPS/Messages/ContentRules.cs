using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>
/// The keys each msg_type's content must carry (LARK-API.md, "content per msg_type"; Lark's "发送消息内容结构" page).
/// The verdicts are those of tests/cases/content-cases.json, which the sandbox's validator follows too: where Lark's
/// leniency is unconfirmed, the content is refused, so that Test-LarkMessage never says $true for what Lark refuses.
/// </summary>
internal static partial class ContentRules
{
    /// <summary>Post node problems reported one by one before the rest are only counted.</summary>
    internal const int MaxNodeProblems = 10;

    internal static readonly IReadOnlyList<string> PostTags = new[]
    {
        "text", "a", "at", "img", "media", "emotion", "hr", "code_block", "md",
    };

    // The locales of the official SDKs' post builders (Go: MessagePost zh_cn, en_us, ja_jp); Lark's page names
    // zh_cn and en_us. Other keys are unconfirmed, so refused.
    internal static readonly IReadOnlyList<string> PostLocales = new[] { "zh_cn", "en_us", "ja_jp" };

    // Lark: "图片、视频元素必须是独立的一个段落" and "md 标签会独占一个或多个段落，不能与其他标签在同一行".
    private static readonly string[] AloneInParagraph = { "img", "media", "md" };

    private const string ImageKeyPrefix = "img_";
    private const string FileKeyPrefix = "file_";

    private const string Root = "content";

    public static void Check(string msgType, JsonElement content, List<ValidationProblem> problems)
    {
        switch (msgType)
        {
            case ContentTypes.Text:
                CheckText(content, problems);
                break;
            case ContentTypes.Post:
                CheckPost(content, problems);
                break;
            case ContentTypes.Image:
                RequireKey(content, Root, "image_key", problems);
                break;
            case ContentTypes.Interactive:
                CheckInteractive(content, problems);
                break;
            case ContentTypes.ShareChat:
                RequireString(content, Root, "chat_id", problems, "oc_", "a chat_id starting with 'oc_'");
                break;
            case ContentTypes.ShareUser:
                RequireString(content, Root, "user_id", problems, "ou_", "an open_id starting with 'ou_'");
                break;
            case ContentTypes.Media:
                RequireKey(content, Root, "file_key", problems);
                OptionalKey(content, Root, "image_key", problems);
                break;
            default: // audio, file, sticker
                RequireKey(content, Root, "file_key", problems);
                break;
        }
    }

    private static void CheckText(JsonElement content, List<ValidationProblem> problems)
    {
        if (!content.TryGetProperty("text", out var text))
        {
            // A JSON object given as text content is read as the content; say how to send it as the text instead.
            problems.Add(new ValidationProblem(
                "content.text",
                "is missing",
                "{\"text\":\"…\"}; to send JSON as the text itself, put it in text: {\"text\":\"{…}\"}",
                "missing"));
            return;
        }

        if (text.ValueKind != JsonValueKind.String)
        {
            problems.Add(WrongKind("content.text", text, "a string"));
        }
        else if (string.IsNullOrWhiteSpace(text.GetString()))
        {
            problems.Add(new ValidationProblem("content.text", "is empty", "some text", "string"));
        }
    }

    private static void CheckPost(JsonElement content, List<ValidationProblem> problems)
    {
        if (content.TryGetProperty("post", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object && Count(content) == 1)
        {
            problems.Add(new ValidationProblem(
                Root,
                "has a 'post' wrapper, which only custom-bot webhooks take",
                "the object inside it: {\"zh_cn\":{…}}",
                "object"));
            return;
        }

        if (content.TryGetProperty("content", out _) || content.TryGetProperty("title", out _))
        {
            problems.Add(new ValidationProblem(
                Root,
                "is a post body without a locale; Lark requires one",
                "it wrapped in a locale: {\"zh_cn\":{\"title\":…,\"content\":…}} (or en_us, ja_jp)",
                "object"));
            return;
        }

        if (Count(content) == 0)
        {
            problems.Add(new ValidationProblem(Root, "has no locale", MessageValidator.ExpectedContent(ContentTypes.Post), "object"));
            return;
        }

        var nodeProblems = 0;
        foreach (var locale in content.EnumerateObject())
        {
            var path = Root + "." + locale.Name;
            if (!Contains(PostLocales, locale.Name))
            {
                problems.Add(new ValidationProblem(
                    path,
                    ValidationProblem.Quote(locale.Name) + " is not a post locale",
                    "a locale key: " + ValidationProblem.OneOf(PostLocales),
                    MessageJson.KindOf(locale.Value.ValueKind)));
                continue;
            }

            if (locale.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add(WrongKind(path, locale.Value, "an object {\"title\":…,\"content\":[[…]]}"));
                continue;
            }

            if (locale.Value.TryGetProperty("title", out var title) && title.ValueKind != JsonValueKind.String)
            {
                problems.Add(WrongKind(path + ".title", title, "a string"));
            }

            if (!locale.Value.TryGetProperty("content", out var paragraphs))
            {
                problems.Add(new ValidationProblem(path + ".content", "is missing", "an array of paragraphs: [[node, …], …]", "missing"));
                continue;
            }

            if (paragraphs.ValueKind != JsonValueKind.Array)
            {
                problems.Add(WrongKind(path + ".content", paragraphs, "an array of paragraphs: [[node, …], …]"));
                continue;
            }

            if (!CheckParagraphs(paragraphs, path + ".content", problems, ref nodeProblems))
            {
                problems.Add(new ValidationProblem(path + ".content", "has no node", "at least one node: [[{\"tag\":\"text\",\"text\":\"…\"}]]", "array"));
            }
        }

        if (nodeProblems > MaxNodeProblems)
        {
            problems.Add(new ValidationProblem(
                Root,
                "has " + (nodeProblems - MaxNodeProblems).ToString(CultureInfo.InvariantCulture) + " more paragraph or node problems",
                null,
                "object"));
        }
    }

    // True when the paragraphs hold at least one node (or something reported in its place).
    private static bool CheckParagraphs(JsonElement paragraphs, string path, List<ValidationProblem> problems, ref int nodeProblems)
    {
        var anyNode = false;
        var p = 0;
        foreach (var paragraph in paragraphs.EnumerateArray())
        {
            var paragraphPath = path + "[" + p.ToString(CultureInfo.InvariantCulture) + "]";
            p++;
            if (paragraph.ValueKind != JsonValueKind.Array)
            {
                anyNode = true; // reported as it is, not also as "no node"
                AddNodeProblem(problems, ref nodeProblems, WrongKind(paragraphPath, paragraph, "a paragraph: an array of nodes [{\"tag\":…}, …]"));
                continue;
            }

            var count = paragraph.GetArrayLength();
            anyNode |= count > 0;
            var n = 0;
            foreach (var node in paragraph.EnumerateArray())
            {
                var nodePath = paragraphPath + "[" + n.ToString(CultureInfo.InvariantCulture) + "]";
                n++;
                var found = new List<ValidationProblem>();
                CheckNode(node, nodePath, count, found);
                foreach (var problem in found)
                {
                    AddNodeProblem(problems, ref nodeProblems, problem);
                }
            }
        }

        return anyNode;
    }

    private static void CheckNode(JsonElement node, string path, int nodesInParagraph, List<ValidationProblem> problems)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            problems.Add(WrongKind(path, node, "a node object {\"tag\":\"text\",\"text\":\"…\"}"));
            return;
        }

        if (!node.TryGetProperty("tag", out var tagElement))
        {
            problems.Add(new ValidationProblem(path + ".tag", "is missing", ValidationProblem.OneOf(PostTags), "missing"));
            return;
        }

        var tag = tagElement.ValueKind == JsonValueKind.String ? tagElement.GetString() : null;
        if (tag is null || !Contains(PostTags, tag))
        {
            problems.Add(new ValidationProblem(
                path + ".tag",
                tag is null ? "is a " + MessageJson.KindOf(tagElement.ValueKind) : ValidationProblem.Quote(tag) + " is not a post node tag",
                ValidationProblem.OneOf(PostTags),
                MessageJson.KindOf(tagElement.ValueKind)));
            return;
        }

        if (nodesInParagraph > 1 && Contains(AloneInParagraph, tag))
        {
            problems.Add(new ValidationProblem(
                path + ".tag",
                ValidationProblem.Quote(tag) + " shares its paragraph with other nodes",
                "a paragraph of its own: [{\"tag\":\"" + tag + "\",…}]",
                "string"));
        }

        foreach (var key in RequiredNodeKeys(tag))
        {
            if (key is "image_key" or "file_key")
            {
                RequireKey(node, path, key, problems);
            }
            else
            {
                RequireString(node, path, key, problems);
            }
        }

        if (tag == "media")
        {
            OptionalKey(node, path, "image_key", problems);
        }

        if (tag == "a" && node.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String
            && href.GetString() is { Length: > 0 } link && !IsWebLink(link))
        {
            problems.Add(new ValidationProblem(path + ".href", ValidationProblem.Quote(link) + " is not an http or https link", "an absolute link such as 'https://example.com/'", "string"));
        }
    }

    // Lark: "请确保链接地址的合法性，否则消息会发送失败"; which schemes pass is unconfirmed, so only web links do.
    private static bool IsWebLink(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static string[] RequiredNodeKeys(string tag) => tag switch
    {
        "text" or "code_block" or "md" => new[] { "text" },
        "a" => new[] { "text", "href" },
        "at" => new[] { "user_id" },
        "img" => new[] { "image_key" },
        "media" => new[] { "file_key" },
        "emotion" => new[] { "emoji_type" },
        _ => Array.Empty<string>(),
    };

    private static void AddNodeProblem(List<ValidationProblem> problems, ref int nodeProblems, ValidationProblem problem)
    {
        nodeProblems++;
        if (nodeProblems <= MaxNodeProblems)
        {
            problems.Add(problem);
        }
    }

    private static void RequireString(
        JsonElement parent,
        string path,
        string key,
        List<ValidationProblem> problems,
        string? prefix = null,
        string? expected = null)
    {
        var field = path + "." + key;
        expected ??= "a non-empty string";
        if (!parent.TryGetProperty(key, out var value))
        {
            problems.Add(new ValidationProblem(field, "is missing", expected, "missing"));
            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(WrongKind(field, value, expected));
            return;
        }

        var text = value.GetString()!;
        if (text.Length == 0)
        {
            problems.Add(new ValidationProblem(field, "is empty", expected, "string"));
        }
        else if (prefix is not null && !(text.Length > prefix.Length && text.StartsWith(prefix, StringComparison.Ordinal)))
        {
            problems.Add(new ValidationProblem(field, ValidationProblem.Quote(text) + " does not start with '" + prefix + "'", expected, "string"));
        }
    }

    // An image_key or file_key: the keys Lark's uploads issue start with img_ / file_ (unconfirmed that no other shape
    // is accepted, so none is); a key of the other kind is Lark's 230055 ("the type of file upload does not match").
    private static void RequireKey(JsonElement parent, string path, string key, List<ValidationProblem> problems)
    {
        var wantImage = key == "image_key";
        var prefix = wantImage ? ImageKeyPrefix : FileKeyPrefix;
        var expected = wantImage
            ? "an image key from an image upload, starting with 'img_'"
            : "a file key from a file upload, starting with 'file_'";
        var before = problems.Count;
        RequireString(parent, path, key, problems, expected: expected);
        if (problems.Count > before)
        {
            return;
        }

        var text = parent.GetProperty(key).GetString()!;
        var other = wantImage ? FileKeyPrefix : ImageKeyPrefix;
        if (text.StartsWith(other, StringComparison.Ordinal))
        {
            problems.Add(new ValidationProblem(
                path + "." + key,
                ValidationProblem.Quote(text) + (wantImage ? " is a file key, not an image key" : " is an image key, not a file key"),
                expected,
                "string"));
        }
        else if (!(text.Length > prefix.Length && text.StartsWith(prefix, StringComparison.Ordinal)))
        {
            problems.Add(new ValidationProblem(path + "." + key, ValidationProblem.Quote(text) + " does not start with '" + prefix + "'", expected, "string"));
        }
    }

    private static void OptionalKey(JsonElement parent, string path, string key, List<ValidationProblem> problems)
    {
        if (parent.TryGetProperty(key, out _))
        {
            RequireKey(parent, path, key, problems);
        }
    }

    private static ValidationProblem WrongKind(string field, JsonElement value, string expected)
    {
        var kind = MessageJson.KindOf(value.ValueKind);
        var article = kind switch { "object" or "array" => "an ", "null" => string.Empty, _ => "a " };
        return new ValidationProblem(field, "is " + article + kind, expected, kind);
    }

    private static int Count(JsonElement obj)
    {
        var count = 0;
        foreach (var unused in obj.EnumerateObject())
        {
            count++;
        }

        return count;
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (var candidate in values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
