using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>The keys each msg_type's content must carry (LARK-API.md, "content per msg_type").</summary>
internal static class ContentRules
{
    /// <summary>Post node problems reported one by one before the rest are only counted.</summary>
    internal const int MaxNodeProblems = 10;

    internal static readonly IReadOnlyList<string> PostTags = new[]
    {
        "text", "a", "at", "img", "media", "emotion", "hr", "code_block", "md",
    };

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
                RequireString(content, Root, "image_key", problems);
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
                RequireString(content, Root, "file_key", problems);
                OptionalString(content, Root, "image_key", problems);
                break;
            default: // audio, file, sticker
                RequireString(content, Root, "file_key", problems);
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

            CheckParagraphs(paragraphs, path + ".content", problems, ref nodeProblems);
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

    private static void CheckParagraphs(JsonElement paragraphs, string path, List<ValidationProblem> problems, ref int nodeProblems)
    {
        var p = 0;
        foreach (var paragraph in paragraphs.EnumerateArray())
        {
            var paragraphPath = path + "[" + p.ToString(CultureInfo.InvariantCulture) + "]";
            p++;
            if (paragraph.ValueKind != JsonValueKind.Array)
            {
                AddNodeProblem(problems, ref nodeProblems, WrongKind(paragraphPath, paragraph, "a paragraph: an array of nodes [{\"tag\":…}, …]"));
                continue;
            }

            var n = 0;
            foreach (var node in paragraph.EnumerateArray())
            {
                var nodePath = paragraphPath + "[" + n.ToString(CultureInfo.InvariantCulture) + "]";
                n++;
                var found = new List<ValidationProblem>();
                CheckNode(node, nodePath, found);
                foreach (var problem in found)
                {
                    AddNodeProblem(problems, ref nodeProblems, problem);
                }
            }
        }
    }

    private static void CheckNode(JsonElement node, string path, List<ValidationProblem> problems)
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

        foreach (var key in RequiredNodeKeys(tag))
        {
            RequireString(node, path, key, problems, allowEmpty: tag is "text" or "code_block" or "md");
        }
    }

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

    private static void CheckInteractive(JsonElement content, List<ValidationProblem> problems)
    {
        if (content.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String)
        {
            var type = typeElement.GetString();
            if (type == "template")
            {
                RequireObjectWith(content, "template_id", problems);
                return;
            }

            if (type == "card")
            {
                RequireObjectWith(content, "card_id", problems);
                return;
            }
        }

        if (content.TryGetProperty("card", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object && Count(content) == 1)
        {
            problems.Add(new ValidationProblem(
                Root,
                "has a 'card' wrapper, which only custom-bot webhooks take",
                "the card itself: {\"header\":…,\"elements\":[…]} or {\"schema\":\"2.0\",\"body\":…}",
                "object"));
            return;
        }

        var isCard = false;
        if (content.TryGetProperty("elements", out var elements))
        {
            isCard = true;
            if (elements.ValueKind != JsonValueKind.Array)
            {
                problems.Add(WrongKind("content.elements", elements, "an array of card elements"));
            }
        }

        if (content.TryGetProperty("body", out var body))
        {
            isCard = true;
            if (body.ValueKind != JsonValueKind.Object)
            {
                problems.Add(WrongKind("content.body", body, "an object {\"elements\":[…]}"));
            }
        }

        isCard |= content.TryGetProperty("schema", out _)
            || content.TryGetProperty("i18n_elements", out _)
            || (content.TryGetProperty("header", out _) && Count(content) > 1);

        if (!isCard)
        {
            problems.Add(new ValidationProblem(
                Root,
                typeElement.ValueKind == JsonValueKind.String
                    ? "has type " + ValidationProblem.Quote(typeElement.GetString()!) + ", which is neither 'template' nor 'card'"
                    : "is not a card: it has no elements, body, schema, or header with other parts",
                MessageValidator.ExpectedContent(ContentTypes.Interactive),
                "object"));
        }
    }

    private static void RequireObjectWith(JsonElement content, string key, List<ValidationProblem> problems)
    {
        if (!content.TryGetProperty("data", out var data))
        {
            problems.Add(new ValidationProblem("content.data", "is missing", "{\"" + key + "\":\"…\"}", "missing"));
            return;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            problems.Add(WrongKind("content.data", data, "an object {\"" + key + "\":\"…\"}"));
            return;
        }

        RequireString(data, "content.data", key, problems);
    }

    private static void RequireString(
        JsonElement parent,
        string path,
        string key,
        List<ValidationProblem> problems,
        string? prefix = null,
        string? expected = null,
        bool allowEmpty = false)
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
        if (text.Length == 0 && !allowEmpty)
        {
            problems.Add(new ValidationProblem(field, "is empty", expected, "string"));
        }
        else if (prefix is not null && !(text.Length > prefix.Length && text.StartsWith(prefix, StringComparison.Ordinal)))
        {
            problems.Add(new ValidationProblem(field, ValidationProblem.Quote(text) + " does not start with '" + prefix + "'", expected, "string"));
        }
    }

    private static void OptionalString(JsonElement parent, string path, string key, List<ValidationProblem> problems)
    {
        if (parent.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.String)
        {
            problems.Add(WrongKind(path + "." + key, value, "a string"));
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
