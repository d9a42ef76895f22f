using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>The one check behind Send-LarkMessage and Test-LarkMessage: every problem of an input, or the message to send.</summary>
internal static class MessageValidator
{
    private const string ContentField = "content";

    /// <summary>The field of a problem with the whole item: it could not be read as a message.</summary>
    internal const string MessageField = "message";

    /// <summary>Validates <paramref name="input"/>, reporting all its problems; never throws for bad input.</summary>
    /// <param name="input">The item as read.</param>
    /// <param name="uuidIfNone">The uuid to send where the item has none (Send-LarkMessage generates one), so the body is written once, as sent.</param>
    /// <remarks>
    /// The one parse of the item: its content is parsed once, checked on that parse, written once as compact UTF-8,
    /// and the request body made once from those bytes. Test-LarkMessage, the size check and the request all read it.
    /// </remarks>
    public static MessageValidationResult Validate(MessageInput input, string? uuidIfNone = null)
    {
        if (input is null)
        {
            throw new ArgumentNullException(nameof(input));
        }

        var problems = new List<ValidationProblem>(input.ReadProblems);

        // An item that could not be read as a message at all (not JSON, not an object) has that one problem: its
        // missing receiveId and content follow from it and would only bury the cause (issue 26).
        if (problems.Exists(p => p.Field == MessageField))
        {
            return new MessageValidationResult(input, problems, null);
        }

        // A reply (issue 12) goes to the chat of the message it answers: it has no receiver of its own.
        var replyTo = string.IsNullOrWhiteSpace(input.ReplyTo) ? null : input.ReplyTo!.Trim();
        var inThread = ReplyChecks.InThread(input, replyTo, problems);
        var target = replyTo is null ? ReceiveTarget.Create(input.ReceiveType, input.ReceiveId, problems) : null;
        ReplyChecks.Check(input, replyTo, problems);

        var msgType = ContentTypes.Normalize(input.ContentType);
        if (msgType is null)
        {
            problems.Add(new ValidationProblem(
                "contentType",
                ValidationProblem.Quote(input.ContentType!) + " is not a content type",
                ValidationProblem.OneOf(ContentTypes.All),
                "string"));
        }

        var content = ParseContent(input, msgType, problems);

        var uuid = string.IsNullOrWhiteSpace(input.Uuid) ? null : input.Uuid;
        if (uuid is not null && uuid.Length > MessageLimits.UuidMaxLength)
        {
            problems.Add(new ValidationProblem(
                "uuid",
                "has " + Count(uuid.Length) + " characters",
                "at most " + Count(MessageLimits.UuidMaxLength),
                "string"));
        }

        OutgoingMessage? message = null;
        if (content is not null && msgType is not null)
        {
            // With an unreadable receiver the body is still sized, with what was given (or a placeholder) as the id.
            var candidate = replyTo is not null
                ? OutgoingMessage.Reply(replyTo, inThread, msgType, content, uuid ?? uuidIfNone)
                : target is not null
                ? new OutgoingMessage(target.ReceiveType, target.ReceiveIdType, target.ReceiveId, msgType, content, uuid ?? uuidIfNone, target.Phone)
                : new OutgoingMessage(ReceiveTypes.User, ReceiveIdTypes.OpenId, SizingId(input.ReceiveId), msgType, content, uuid ?? uuidIfNone);
            CheckSize(msgType, candidate.SentBodyByteCount, problems);
            message = (target is not null || replyTo is not null) && problems.Count == 0 ? candidate : null;
        }

        return new MessageValidationResult(input, WithoutRepeatedMissing(problems), message);
    }

    // A field that reading the item already found missing (with the item's own words: "the item's Message is empty")
    // or refused (an array where one receiveId goes) is not reported missing a second time by the checks of the message.
    private static List<ValidationProblem> WithoutRepeatedMissing(List<ValidationProblem> problems) =>
        problems.Count < 2 ? problems : problems.Where((p, i) => p.ActualKind != "missing" || !problems.Take(i).Any(q => q.Field == p.Field || (p.Field == "content" && q.Field == "text"))).ToList();

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

    private static string SizingId(string? given) =>
        string.IsNullOrWhiteSpace(given) ? OutgoingMessage.PlaceholderOpenId : given!.Trim();

    // The content parsed once: checked against its msg_type's rules on that parse and written once as compact
    // UTF-8; null with the problems added.
    private static byte[]? ParseContent(MessageInput input, string? msgType, List<ValidationProblem> problems)
    {
        var isText = msgType == ContentTypes.Text;
        var content = input.Content;
        var hasContent = content is not null && !(content is string s && string.IsNullOrWhiteSpace(s));

        try
        {
            return ParseContentCore(input, msgType, isText, hasContent, problems);
        }
        catch (ArgumentException e)
        {
            problems.Add(new ValidationProblem(ContentField, "cannot be written as JSON: " + e.Message, ExpectedContent(msgType), "object"));
            return null;
        }
        catch (InvalidOperationException e)
        {
            // Text that cannot be encoded (a lone surrogate) or a writer that refuses a value: this item only.
            problems.Add(new ValidationProblem(ContentField, "cannot be written as JSON: " + e.Message, ExpectedContent(msgType), "object"));
            return null;
        }
    }

    private static byte[]? ParseContentCore(MessageInput input, string? msgType, bool isText, bool hasContent, List<ValidationProblem> problems)
    {
        var content = input.Content;
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

        {
            switch (content)
            {
                case string json:
                    return FromString(json, isText, msgType, input.UpdateMulti, problems);
                case JsonElement element when element.ValueKind == JsonValueKind.String:
                    return FromString(element.GetString()!, isText, msgType, input.UpdateMulti, problems);
                case JsonElement element when element.ValueKind == JsonValueKind.Object:
                    // Parsed already, by the seed body's one parse: checked and written as it is.
                    return CheckAndWrite(element, msgType, input.UpdateMulti, problems);
                case JsonElement element:
                    problems.Add(new ValidationProblem(
                        ContentField, "is JSON " + MessageJson.KindOf(element.ValueKind) + ", not an object", ExpectedContent(msgType), "JSON " + MessageJson.KindOf(element.ValueKind)));
                    return null;
                case IDictionary:
                case IEnumerable<KeyValuePair<string, object?>>:
                    // Written once from the dictionary; the rules read that one parse of it.
                    return FromUtf8(MessageJson.SerializeToUtf8(content), "object", msgType, input.UpdateMulti, problems);
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
    }

    private static byte[]? FromString(string json, bool isText, string? msgType, bool updateMulti, List<ValidationProblem> problems)
    {
        // Issue 26: a string that starts like JSON is read as JSON, strictly, for every msg_type; broken JSON is an
        // error with its position, never sent (as text it would reach the person as "{text:hi}").
        if (isText && !JsonSyntax.LooksLikeJson(json))
        {
            return WrapText(json);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonSyntax.Strict);
        }
        catch (JsonException e)
        {
            var where = JsonSyntax.Where(e);
            var fix = "Correct the content's JSON" + (where is null ? string.Empty : " at " + where) +
                (JsonSyntax.Hint(e) is { } hint ? ": " + hint : string.Empty) +
                (isText ? "; to send the string itself as the text, give it as -Text (or a Text, Message or Body property)." : ".");
            problems.Add(new ValidationProblem(
                ContentField,
                "is not valid JSON: " + DescribeJsonError(e),
                isText ? ExpectedContent(msgType) + " written as strict JSON" : ExpectedContent(msgType),
                "string",
                fix));
            return null;
        }

        using (document)
        {
            // For text, only a JSON object is content; a JSON array, number or string is the text itself ("[1,2,3]").
            return isText && document.RootElement.ValueKind != JsonValueKind.Object
                ? WrapText(json)
                : ObjectOnly(document.RootElement, "string", msgType, updateMulti, problems);
        }
    }

    private static byte[]? FromUtf8(byte[] json, string actualKind, string? msgType, bool updateMulti, List<ValidationProblem> problems)
    {
        using var document = JsonDocument.Parse(json, MessageJson.ReaderOptions);
        return ObjectOnly(document.RootElement, actualKind, msgType, updateMulti, problems);
    }

    private static byte[]? ObjectOnly(JsonElement root, string actualKind, string? msgType, bool updateMulti, List<ValidationProblem> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new ValidationProblem(
                ContentField, "is JSON " + MessageJson.KindOf(root.ValueKind) + ", not an object", ExpectedContent(msgType), actualKind));
            return null;
        }

        return CheckAndWrite(root, msgType, updateMulti, problems);
    }

    // The rules run on the parse at hand; the compact bytes are written from it once (a card sent to be updated
    // later gets its config.update_multi:true in that same write).
    private static byte[] CheckAndWrite(JsonElement content, string? msgType, bool updateMulti, List<ValidationProblem> problems)
    {
        if (msgType is not null)
        {
            ContentRules.Check(msgType, content, problems);
        }

        return updateMulti && msgType == ContentTypes.Interactive
            ? MessageJson.WriteToUtf8(writer => CardFlags.WriteShared(writer, content))
            : MessageJson.ToUtf8(content);
    }

    private static byte[] WrapText(string text)
    {
        var bytes = MessageJson.WriteToUtf8(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            writer.WriteEndObject();
        });

        // Text content has one rule (text is a string); it holds by construction, so no parse is needed here.
        return bytes;
    }

    private static void CheckSize(string msgType, int bytes, List<ValidationProblem> problems)
    {
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

    /// <summary>Where the parser stopped (1-based), its own words, and the likely fix.</summary>
    internal static string DescribeJsonError(JsonException e) => JsonSyntax.Describe(e);

    private static string KindOfScalar(object value) => value switch
    {
        bool => "boolean",
        DateTime or DateTimeOffset => "date",
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => "number",
        _ => value.GetType().Name,
    };

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
