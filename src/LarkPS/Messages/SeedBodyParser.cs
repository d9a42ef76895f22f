using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>Reads the seed's message body: a JSON array of message objects, or one object.</summary>
internal static class SeedBodyParser
{
    /// <summary>
    /// One <see cref="MessageInput"/> per element; an element that is not an object becomes an input that fails validation.
    /// Throws <see cref="SeedBodyException"/> when the text is not JSON, or is JSON but neither an array nor an object.
    /// </summary>
    public static IReadOnlyList<MessageInput> Parse(string json)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        if (string.IsNullOrWhiteSpace(json))
        {
            throw new SeedBodyException("The message body is empty; expected a JSON array of messages or one message object.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, MessageJson.ReaderOptions);
        }
        catch (JsonException e)
        {
            throw new SeedBodyException(
                "The message body is not valid JSON at " + MessageValidator.DescribeJsonError(e),
                e.LineNumber + 1,
                e.BytePositionInLine + 1,
                e);
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    return new[] { ReadItem(root, null) };
                case JsonValueKind.Array:
                    var inputs = new List<MessageInput>(root.GetArrayLength());
                    foreach (var element in root.EnumerateArray())
                    {
                        inputs.Add(ReadItem(element, inputs.Count + 1));
                    }

                    return inputs;
                default:
                    throw new SeedBodyException(
                        "The message body is a JSON " + MessageJson.KindOf(root.ValueKind) +
                        "; expected a JSON array of messages or one message object.");
            }
        }
    }

    private static MessageInput ReadItem(JsonElement element, int? itemNumber)
    {
        var builder = new MessageInputBuilder();
        var input = builder.Input;
        if (element.ValueKind != JsonValueKind.Object)
        {
            var kind = MessageJson.KindOf(element.ValueKind);
            input.ReadProblems.Add(new ValidationProblem(
                "message",
                "is a JSON " + kind + ", not an object",
                "{\"receiveType\":…,\"receiveId\":…,\"contentType\":…,\"content\":…}",
                kind));
            input.SourceDescription = MessageInput.DescribeSource(itemNumber, null);
            return input;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (MessageInputFields.Find(property.Name) is not { } field)
            {
                continue;
            }

            var value = property.Value;
            if (field == MessageInputField.Content)
            {
                builder.Set(field, property.Name, ContentValue(value));
                continue;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    builder.Set(field, property.Name, value.GetString());
                    break;
                case JsonValueKind.Number:
                    // A phone number or numeric user_id written without quotes: keep its digits exactly.
                    builder.Set(field, property.Name, value.GetRawText());
                    break;
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.True when field == MessageInputField.ReplyInThread:
                case JsonValueKind.False when field == MessageInputField.ReplyInThread:
                    builder.Set(field, property.Name, value.ValueKind == JsonValueKind.True ? "true" : "false");
                    break;
                default:
                    builder.WrongKind(field, MessageJson.KindOf(value.ValueKind));
                    break;
            }
        }

        input.SourceDescription = MessageInput.DescribeSource(itemNumber, input.ReceiveId);
        return input;
    }

    // An object is kept as the parsed element (cloned out of the document), so validation checks and writes it
    // without parsing it again; anything else becomes a plain value so validation can say what it is (a list, a
    // number) rather than mistake its JSON text for a text message.
    private static object? ContentValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.Clone(),
        _ => ToPlain(value),
    };

    internal static object? ToPlain(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var whole))
                {
                    return whole;
                }

                return value.TryGetDecimal(out var exact) ? exact : value.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Object:
                var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    dictionary[property.Name] = ToPlain(property.Value);
                }

                return dictionary;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in value.EnumerateArray())
                {
                    list.Add(ToPlain(item));
                }

                return list;
            default:
                return null;
        }
    }
}

/// <summary>The seed message body could not be read: not JSON, or JSON of the wrong shape. Carries the position, 1-based.</summary>
public sealed class SeedBodyException : Exception
{
    public SeedBodyException()
    {
    }

    public SeedBodyException(string message)
        : base(message)
    {
    }

    public SeedBodyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SeedBodyException(string message, long? lineNumber, long? positionInLine, Exception? innerException = null)
        : base(message, innerException)
    {
        LineNumber = lineNumber;
        PositionInLine = positionInLine;
    }

    /// <summary>The line where reading stopped, 1-based; null when the problem is not at one place.</summary>
    public long? LineNumber { get; }

    /// <summary>The byte position in that line where reading stopped, 1-based.</summary>
    public long? PositionInLine { get; }

    /// <summary>The position as "line 3, position 14", or null.</summary>
    public string? Position => LineNumber is { } line && PositionInLine is { } position
        ? "line " + line.ToString(CultureInfo.InvariantCulture) + ", position " + position.ToString(CultureInfo.InvariantCulture)
        : null;
}
