using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>The one check behind Send-LarkMessage and Test-LarkMessage: every problem of an input, or the message to send.</summary>
internal static class MessageValidator
{
    private const string ContentField = "content";

    /// <summary>Validates <paramref name="input"/>, reporting all its problems; never throws for bad input.</summary>
    public static MessageValidationResult Validate(MessageInput input)
    {
        if (input is null)
        {
            throw new ArgumentNullException(nameof(input));
        }

        var problems = new List<ValidationProblem>(input.ReadProblems);

        var target = ReceiveTarget.Create(input.ReceiveType, input.ReceiveId, problems);

        var msgType = ContentTypes.Normalize(input.ContentType);
        if (msgType is null)
        {
            problems.Add(new ValidationProblem(
                "contentType",
                ValidationProblem.Quote(input.ContentType!) + " is not a content type",
                ValidationProblem.OneOf(ContentTypes.All),
                "string"));
        }

        var content = ResolveContent(input, msgType, problems);
        if (content is not null && msgType is not null)
        {
            using var document = JsonDocument.Parse(content);
            ContentRules.Check(msgType, document.RootElement, problems);
        }

        var uuid = string.IsNullOrWhiteSpace(input.Uuid) ? null : input.Uuid;
        if (uuid is not null && uuid.Length > MessageLimits.UuidMaxLength)
        {
            problems.Add(new ValidationProblem(
                "uuid",
                "has " + Count(uuid.Length) + " characters",
                "at most " + Count(MessageLimits.UuidMaxLength),
                "string"));
        }

        if (content is not null && msgType is not null)
        {
            CheckSize(msgType, content, target?.ReceiveId ?? input.ReceiveId?.Trim(), uuid, problems);
        }

        OutgoingMessage? message = null;
        if (problems.Count == 0)
        {
            message = new OutgoingMessage(
                target!.ReceiveType, target.ReceiveIdType, target.ReceiveId, msgType!, content!, uuid, target.Phone);
        }

        return new MessageValidationResult(input, problems, message);
    }

    /// <summary>What content a msg_type takes, for "missing" and "not an object" problems.</summary>
    public static string ExpectedContent(string? msgType) => msgType switch
    {
        ContentTypes.Text => "a plain string or {\"text\":\"…\"}",
        ContentTypes.Post => "{\"zh_cn\":{\"title\":\"…\",\"content\":[[{\"tag\":\"text\",\"text\":\"…\"}]]}}",
        ContentTypes.Image => "{\"image_key\":\"img_…\"}",
        ContentTypes.Interactive => "a card {\"schema\":\"2.0\",\"body\":{…}} or {\"elements\":[…]}, " +
            "a template {\"type\":\"template\",\"data\":{\"template_id\":\"…\"}} or {\"type\":\"card\",\"data\":{\"card_id\":\"…\"}}",
        ContentTypes.ShareChat => "{\"chat_id\":\"oc_…\"}",
        ContentTypes.ShareUser => "{\"user_id\":\"ou_…\"}",
        ContentTypes.Media => "{\"file_key\":\"…\",\"image_key\":\"…\"}",
        ContentTypes.Audio or ContentTypes.File or ContentTypes.Sticker => "{\"file_key\":\"…\"}",
        _ => "a JSON object",
    };

    // The content as compact JSON text holding an object, or null with the problems added.
    private static string? ResolveContent(MessageInput input, string? msgType, List<ValidationProblem> problems)
    {
        var isText = msgType == ContentTypes.Text;
        var content = input.Content;
        var hasContent = content is not null && !(content is string s && string.IsNullOrWhiteSpace(s));

        if (!string.IsNullOrEmpty(input.Text))
        {
            if (hasContent)
            {
                problems.Add(new ValidationProblem("text", "is given together with content", "either text or content", "string"));
                return null;
            }

            if (msgType is not null && !isText)
            {
                problems.Add(new ValidationProblem(
                    "text",
                    "makes a text message, but contentType is '" + msgType + "'",
                    "contentType 'text', or the " + msgType + " content in content",
                    "string"));
                return null;
            }

            return WrapText(input.Text!);
        }

        if (!hasContent)
        {
            problems.Add(new ValidationProblem(ContentField, "is missing", ExpectedContent(msgType), "missing"));
            return null;
        }

        try
        {
            switch (content)
            {
                case string json:
                    return FromString(json, isText, msgType, problems);
                case JsonElement element:
                    return element.ValueKind == JsonValueKind.String
                        ? FromString(element.GetString()!, isText, msgType, problems)
                        : FromJson(MessageJson.Compact(element), "JSON " + MessageJson.KindOf(element.ValueKind), msgType, problems);
                case IDictionary:
                case IEnumerable<KeyValuePair<string, object?>>:
                    return MessageJson.Serialize(content);
                case IEnumerable:
                    problems.Add(new ValidationProblem(ContentField, "is a list, not an object", ExpectedContent(msgType), "array"));
                    return null;
                default:
                    if (isText)
                    {
                        return WrapText(MessageJson.ScalarText(content));
                    }

                    problems.Add(new ValidationProblem(
                        ContentField, "is a " + KindOfScalar(content!) + ", not an object", ExpectedContent(msgType), KindOfScalar(content!)));
                    return null;
            }
        }
        catch (ArgumentException e)
        {
            problems.Add(new ValidationProblem(ContentField, "cannot be written as JSON: " + e.Message, ExpectedContent(msgType), "object"));
            return null;
        }
    }

    private static string? FromString(string json, bool isText, string? msgType, List<ValidationProblem> problems)
    {
        if (isText)
        {
            // Only a string that parses to a JSON object is content; every other string is the text itself.
            if (json.TrimStart().StartsWith("{", StringComparison.Ordinal) && TryParseObject(json) is { } parsed)
            {
                return parsed;
            }

            return WrapText(json);
        }

        return FromJson(json, "string", msgType, problems);
    }

    private static string? FromJson(string json, string actualKind, string? msgType, List<ValidationProblem> problems)
    {
        try
        {
            using var document = JsonDocument.Parse(json, MessageJson.ReaderOptions);
            var kind = document.RootElement.ValueKind;
            if (kind != JsonValueKind.Object)
            {
                problems.Add(new ValidationProblem(
                    ContentField, "is JSON " + MessageJson.KindOf(kind) + ", not an object", ExpectedContent(msgType), actualKind));
                return null;
            }

            return MessageJson.Compact(document.RootElement);
        }
        catch (JsonException e)
        {
            problems.Add(new ValidationProblem(ContentField, "is not valid JSON: " + DescribeJsonError(e), ExpectedContent(msgType), actualKind));
            return null;
        }
    }

    private static string? TryParseObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, MessageJson.ReaderOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object ? MessageJson.Compact(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string WrapText(string text) =>
        MessageJson.WriteToString(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            writer.WriteEndObject();
        });

    private static void CheckSize(string msgType, string content, string? receiveId, string? uuid, List<ValidationProblem> problems)
    {
        var id = string.IsNullOrEmpty(receiveId) ? OutgoingMessage.PlaceholderOpenId : receiveId!;
        var bytes = Encoding.UTF8.GetByteCount(OutgoingMessage.BuildBody(id, msgType, content, uuid));
        var limit = MessageLimits.MaxBodyBytes(msgType);
        if (bytes > limit)
        {
            var kind = limit == MessageLimits.CardBodyBytes ? "post and interactive messages" : msgType + " messages";
            problems.Add(new ValidationProblem(
                ContentField,
                "makes a request body of " + Count(bytes) + " bytes, over the " + Count(limit / 1024) + " KB limit for " + kind,
                "a request body of at most " + Count(limit) + " bytes (" + Count(limit / 1024) + " KB)",
                "object"));
        }
    }

    /// <summary>The parser's own words and where it stopped, 1-based.</summary>
    internal static string DescribeJsonError(JsonException e)
    {
        var message = e.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message.Substring(0, at);
            }
        }

        return e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? "line " + Count(line + 1) + ", position " + Count(position + 1) + ": " + message.TrimEnd()
            : message.TrimEnd();
    }

    private static string KindOfScalar(object value) => value switch
    {
        bool => "boolean",
        DateTime or DateTimeOffset => "date",
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => "number",
        _ => value.GetType().Name,
    };

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
