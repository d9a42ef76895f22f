using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;
using LarkPS.Messages;

namespace LarkPS.Commands.Support;

/// <summary>Turns one pipeline item (a hashtable, a PSCustomObject, a CSV or DataRow row, a seed JSON string) into message inputs.</summary>
internal static class PSInputReader
{
    /// <summary>Deepest content nesting unwrapped; deeper is almost surely a value that contains itself.</summary>
    public const int MaxDepth = MessageJson.MaxDepth;

    /// <summary>
    /// The inputs in <paramref name="pipelineItem"/>: none for null, several for a seed JSON array, else one.
    /// Never throws for bad input: what cannot be read becomes an input whose validation reports it.
    /// </summary>
    public static IReadOnlyList<MessageInput> Read(object? pipelineItem) => Read(pipelineItem, flatten: true);

    private static IReadOnlyList<MessageInput> Read(object? pipelineItem, bool flatten)
    {
        var psObject = pipelineItem as PSObject;
        var item = psObject is null ? pipelineItem : psObject.BaseObject;
        if (item is null || ReferenceEquals(pipelineItem, AutomationNull.Value) || item is DBNull)
        {
            return Array.Empty<MessageInput>();
        }

        switch (item)
        {
            case MessageInput input:
                return new[] { input };
            case IReplyTarget received:
                // A received message or card action (issue 21) is a reply to its message, and nothing else: its ChatId,
                // Text or Content must not make it a new message to the chat, nor the user's text the reply's.
                return new[] { new MessageInput { ReplyTo = received.ReplyTo, PropertyNames = new[] { "ReplyTo" } } };
            case string json:
                return ReadString(json);
            case IDictionary dictionary:
                return new[] { ReadDictionary(dictionary) };
            case IList list when flatten:
                // A whole array given as one item (-InputObject $rows, or ,$rows): each element is an item.
                var inputs = new List<MessageInput>(list.Count);
                foreach (var element in list)
                {
                    foreach (var input in Read(element, flatten: false))
                    {
                        inputs.Add(input);
                    }
                }

                return inputs;
            default:
                return new[] { ReadProperties(psObject ?? PSObject.AsPSObject(item)) };
        }
    }

    /// <summary>
    /// A content value with PowerShell taken out: PSObject to its base, hashtables and PSCustomObjects to
    /// Dictionary&lt;string, object?&gt; (in their order), lists to List&lt;object?&gt;, DBNull and AutomationNull to null.
    /// Throws <see cref="ArgumentException"/> when nested over <see cref="MaxDepth"/>.
    /// </summary>
    public static object? UnwrapContent(object? value) => Unwrap(value, 0);

    // A piped string is a seed message body when it parses as one; any other string is the text of one message
    // ('Disk full' | Send-LarkMessage …, Out-String's one string); JSON that is not a body is an error naming both readings.
    private static IReadOnlyList<MessageInput> ReadString(string text)
    {
        try
        {
            return SeedBodyParser.Parse(text);
        }
        catch (SeedBodyException e)
        {
            if (!LooksLikeJson(text))
            {
                return new[] { new MessageInput { Text = text } };
            }

            var input = new MessageInput();
            input.ReadProblems.Add(new ValidationProblem(
                MessageValidator.MessageField,
                "is a string that looks like JSON but is not a seed message body (" + e.Message + ")",
                "a JSON array of messages or one message object with receiveId and content; to send the string itself as text, pass it as -Text (Send-LarkMessage -Text $s …)",
                "string",
                FixFor(text, e)));
            return new[] { input };
        }
    }

    // A piped string "looks like JSON" as JsonSyntax decides for content: '{', or '[' opening an array of values.
    private static bool LooksLikeJson(string text) => JsonSyntax.LooksLikeJson(text);

    // Issue 26: the likely cause in one line. Text that opens like JSON (a file read with -Raw) is JSON with a mistake
    // at one place; anything else was not meant as a message body.
    private static string FixFor(string text, SeedBodyException error)
    {
        if (error.Position is { } where && LooksLikeJson(text))
        {
            var hint = error.InnerException is System.Text.Json.JsonException json ? JsonSyntax.Hint(json) : null;
            return "Correct the JSON at " + where + (hint is null ? string.Empty : ": " + hint) +
                "; nothing in it was sent.";
        }

        return "Give the message as an object with receiveId and content properties (or the seed's JSON body); to send the string as a text message, give it with -Text.";
    }

    private static MessageInput ReadDictionary(IDictionary dictionary)
    {
        var builder = new MessageInputBuilder();
        var names = new List<string>();
        builder.Input.PropertyNames = names;
        foreach (DictionaryEntry entry in dictionary)
        {
            var name = entry.Key as string ?? Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
            if (name is null)
            {
                continue;
            }

            names.Add(name);
            if (MessageInputFields.Find(name) is { } field)
            {
                SetField(builder, field, name, entry.Value);
            }
            else if (MessageInputFields.FindReceiver(name) is { } receiveType)
            {
                SetReceiver(builder, receiveType, name, entry.Value);
            }
        }

        return Finish(builder);
    }

    private static MessageInput ReadProperties(PSObject psObject)
    {
        var builder = new MessageInputBuilder();
        var names = new List<string>();
        builder.Input.PropertyNames = names;
        foreach (var property in psObject.Properties)
        {
            names.Add(property.Name);
            var receiveType = MessageInputFields.FindReceiver(property.Name);
            if (MessageInputFields.Find(property.Name) is not { } field)
            {
                if (receiveType is not null)
                {
                    object? receiver;
                    try
                    {
                        receiver = property.Value;
                    }
                    catch (GetValueException e)
                    {
                        builder.Input.ReadProblems.Add(new ValidationProblem(
                            "receiveId", "could not be read from property '" + property.Name + "': " + e.Message, null, "error"));
                        continue;
                    }

                    SetReceiver(builder, receiveType, property.Name, receiver);
                }

                continue;
            }

            object? value;
            try
            {
                value = property.Value;
            }
            catch (GetValueException e)
            {
                builder.Input.ReadProblems.Add(new ValidationProblem(
                    MessageInputFields.SeedName(field), "could not be read from property '" + property.Name + "': " + e.Message, null, "error"));
                continue;
            }

            SetField(builder, field, property.Name, value);
        }

        return Finish(builder);
    }

    private static MessageInput Finish(MessageInputBuilder builder)
    {
        builder.Input.SourceDescription = MessageInput.DescribeSource(null, builder.Input.ReceiveId);
        return builder.Input;
    }

    private static void SetField(MessageInputBuilder builder, MessageInputField field, string name, object? value)
    {
        if (field == MessageInputField.Content)
        {
            try
            {
                builder.Set(field, name, Unwrap(value, 0));
            }
            catch (ArgumentException e)
            {
                builder.Input.ReadProblems.Add(new ValidationProblem("content", "cannot be read: " + e.Message, null, "object"));
            }

            return;
        }

        var scalar = BaseOf(value);
        switch (scalar)
        {
            case null:
                return;
            case string s:
                builder.Set(field, name, s);
                return;
            case IDictionary:
            case PSCustomObject:
                builder.WrongKind(field, "object");
                return;
            case IEnumerable:
                builder.WrongKind(field, "array");
                return;
            default:
                // A number from a database column (a phone number, a numeric user_id): its invariant digits.
                builder.Set(field, name, MessageJson.ScalarText(scalar));
                return;
        }
    }

    // A receiver column (Email, Phone…): a string or scalar, else the same "is an object" problem a receiveId gets.
    private static void SetReceiver(MessageInputBuilder builder, string receiveType, string name, object? value)
    {
        switch (BaseOf(value))
        {
            case null:
                return;
            case string s:
                builder.AddReceiver(receiveType, name, s);
                return;
            case IDictionary:
            case PSCustomObject:
                builder.WrongKind(MessageInputField.ReceiveId, "object");
                return;
            case IEnumerable:
                builder.WrongKind(MessageInputField.ReceiveId, "array");
                return;
            case var scalar:
                builder.AddReceiver(receiveType, name, MessageJson.ScalarText(scalar));
                return;
        }
    }

    private static object? BaseOf(object? value)
    {
        if (value is PSObject psObject)
        {
            if (ReferenceEquals(psObject, AutomationNull.Value))
            {
                return null;
            }

            value = psObject.BaseObject;
        }

        return value is DBNull ? null : value;
    }

    private static object? Unwrap(object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException(
                "it is nested more than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels deep; does it contain itself?",
                nameof(value));
        }

        // AutomationNull.Value is itself an empty PSCustomObject: test it first.
        if (value is PSObject psObject && psObject.BaseObject is PSCustomObject && !ReferenceEquals(value, AutomationNull.Value))
        {
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in psObject.Properties)
            {
                properties[property.Name] = Unwrap(property.Value, depth + 1);
            }

            return properties;
        }

        switch (BaseOf(value))
        {
            case null:
                return null;
            case string s:
                return s;
            case Authoring.LarkCard card:
                // Issue 22: -Content (New-LarkCard …) is the card's JSON, as piping the card gives it.
                return card.Content;
            case ScriptBlock:
                // Issue 14: it was sent as its source text. Content is data; a scriptblock is code to run first.
                throw new ArgumentException(
                    "it is a scriptblock ({ … }), which would be sent as its source text; run it and give its result instead: -Content (& { … })",
                    nameof(value));
            case IDictionary dictionary:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    result[MessageJson.ScalarText(entry.Key)] = Unwrap(entry.Value, depth + 1);
                }

                return result;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var pairResult = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var pair in pairs)
                {
                    pairResult[pair.Key] = Unwrap(pair.Value, depth + 1);
                }

                return pairResult;
            case IEnumerable list:
                var items = new List<object?>();
                foreach (var item in list)
                {
                    items.Add(Unwrap(item, depth + 1));
                }

                return items;
            case var other:
                return other;
        }
    }
}
