using System.Collections.Generic;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>
/// Interactive (card) content: a template or card-entity reference, or a card JSON of schema 1.0 or 2.0
/// (Lark's "卡片 JSON 1.0 结构" and "卡片 JSON 2.0 结构" pages; every top-level field is optional and "{}" is a card).
/// </summary>
internal static partial class ContentRules
{
    // Schema 2.0: "传入不支持的属性将报错" (an unsupported property is an error), so these are all it takes.
    internal static readonly IReadOnlyList<string> CardV2Keys = new[] { "schema", "config", "card_link", "header", "body" };

    // Schema 1.0 ignores unsupported properties, which would send a blank card; which keys it ignores and which it
    // refuses is unconfirmed, and an unknown key is nearly always a 2.0 body without its schema, a webhook's "card"
    // wrapper or a typo, so only the documented keys pass.
    internal static readonly IReadOnlyList<string> CardV1Keys = new[]
    {
        "schema", "config", "card_link", "header", "elements", "i18n_elements", "i18n_header", "fallback",
    };

    private static void CheckInteractive(JsonElement content, List<ValidationProblem> problems)
    {
        if (content.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String)
        {
            var type = typeElement.GetString();
            if (type == "template")
            {
                if (RequireObjectWith(content, "template_id", problems) is { } data)
                {
                    OptionalOfKind(data, "content.data", "template_version_name", JsonValueKind.String, "a string such as '1.0.0'", problems);
                    OptionalOfKind(data, "content.data", "template_variable", JsonValueKind.Object, "an object {\"name\":value,…}", problems);
                }

                return;
            }

            if (type == "card")
            {
                RequireObjectWith(content, "card_id", problems);
                return;
            }

            problems.Add(new ValidationProblem(
                "content.type",
                ValidationProblem.Quote(type!) + " is neither 'template' nor 'card'",
                MessageValidator.ExpectedContent(ContentTypes.Interactive),
                "string"));
            return;
        }

        var isV2 = false;
        if (content.TryGetProperty("schema", out var schema))
        {
            var version = schema.ValueKind == JsonValueKind.String ? schema.GetString() : null;
            isV2 = version == "2.0";
            if (version is not ("2.0" or "1.0"))
            {
                problems.Add(new ValidationProblem(
                    "content.schema",
                    version is null ? "is " + MessageJson.KindOf(schema.ValueKind) : ValidationProblem.Quote(version) + " is not a card schema",
                    "the string '2.0' (or '1.0')",
                    MessageJson.KindOf(schema.ValueKind)));
                return;
            }
        }

        if (!isV2 && Count(content) == 1 && content.TryGetProperty("card", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object)
        {
            problems.Add(new ValidationProblem(
                Root,
                "has a 'card' wrapper, which only custom-bot webhooks take",
                "the card itself: {\"header\":…,\"elements\":[…]} or {\"schema\":\"2.0\",\"body\":…}",
                "object"));
            return;
        }

        var allowed = isV2 ? CardV2Keys : CardV1Keys;
        foreach (var property in content.EnumerateObject())
        {
            if (!Contains(allowed, property.Name))
            {
                problems.Add(UnknownCardKey(property.Name, property.Value, isV2));
            }
        }

        OptionalOfKind(content, Root, "config", JsonValueKind.Object, "an object", problems);
        OptionalOfKind(content, Root, "card_link", JsonValueKind.Object, "an object {\"url\":\"https://…\"}", problems);
        if (OptionalOfKind(content, Root, "header", JsonValueKind.Object, "an object {\"title\":{\"tag\":\"plain_text\",\"content\":\"…\"}}", problems) is { } header
            && isV2)
        {
            // 2.0's header: "title … 必填" (required).
            RequireOfKind(header, "content.header", "title", JsonValueKind.Object, "{\"tag\":\"plain_text\",\"content\":\"…\"}", problems);
        }

        if (isV2)
        {
            if (OptionalOfKind(content, Root, "body", JsonValueKind.Object, "an object {\"elements\":[…]}", problems) is { } body)
            {
                if (OptionalOfKind(body, "content.body", "elements", JsonValueKind.Array, "an array of card components", problems) is { } elements)
                {
                    // Issue 22: tables, images, buttons and Lark's counts (ContentRules.CardBody.cs).
                    CheckCardBody(content, elements, problems);
                }
            }
        }
        else
        {
            OptionalOfKind(content, Root, "elements", JsonValueKind.Array, "an array of card elements", problems);
            OptionalOfKind(content, Root, "i18n_elements", JsonValueKind.Object, "an object {\"zh_cn\":[…],\"en_us\":[…]}", problems);
            OptionalOfKind(content, Root, "i18n_header", JsonValueKind.Object, "an object {\"zh_cn\":{…}}", problems);
            OptionalOfKind(content, Root, "fallback", JsonValueKind.Object, "an object", problems);
        }
    }

    private static ValidationProblem UnknownCardKey(string key, JsonElement value, bool isV2)
    {
        var field = "content." + key;
        var kind = MessageJson.KindOf(value.ValueKind);
        if (isV2)
        {
            return key switch
            {
                "elements" => new ValidationProblem(field, "is not a property of a schema 2.0 card", "the elements inside body: {\"body\":{\"elements\":[…]}}", kind),
                "i18n_elements" => new ValidationProblem(field, "is not a property of a schema 2.0 card", "per-component i18n_content, or a card without schema 2.0", kind),
                _ => new ValidationProblem(field, "is not a property of a schema 2.0 card", "only " + ValidationProblem.OneOf(CardV2Keys), kind),
            };
        }

        return key == "body"
            ? new ValidationProblem(field, "belongs to a schema 2.0 card, but the card has no \"schema\":\"2.0\"", "\"schema\":\"2.0\" beside body, or v1 elements", kind)
            : new ValidationProblem(field, "is not a property of a card", "only " + ValidationProblem.OneOf(CardV1Keys) + ", or \"schema\":\"2.0\" with body", kind);
    }

    private static JsonElement? RequireObjectWith(JsonElement content, string key, List<ValidationProblem> problems)
    {
        if (!content.TryGetProperty("data", out var data))
        {
            problems.Add(new ValidationProblem("content.data", "is missing", "{\"" + key + "\":\"…\"}", "missing"));
            return null;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            problems.Add(WrongKind("content.data", data, "an object {\"" + key + "\":\"…\"}"));
            return null;
        }

        RequireString(data, "content.data", key, problems);
        return data;
    }

    // The value when present and of the kind; a problem when present and not; null when absent or wrong.
    private static JsonElement? OptionalOfKind(
        JsonElement parent, string path, string key, JsonValueKind kind, string expected, List<ValidationProblem> problems)
    {
        if (!parent.TryGetProperty(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != kind)
        {
            problems.Add(WrongKind(path + "." + key, value, expected));
            return null;
        }

        return value;
    }

    private static void RequireOfKind(
        JsonElement parent, string path, string key, JsonValueKind kind, string expected, List<ValidationProblem> problems)
    {
        if (!parent.TryGetProperty(key, out _))
        {
            problems.Add(new ValidationProblem(path + "." + key, "is missing", expected, "missing"));
            return;
        }

        OptionalOfKind(parent, path, key, kind, expected, problems);
    }
}
