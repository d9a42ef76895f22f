using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace LarkPS.Events;

/// <summary>
/// The one reading of a received message's parts (LARK-API.md, "Content of received messages"), shared by events
/// (im.message.receive_v1) and reading back (issue 25: history, one message): content parsed from its JSON string,
/// the plain text of text and post with mentions resolved, times from Lark's milliseconds, JSON as PowerShell values.
/// </summary>
internal static class ReceivedContent
{
    /// <summary>A JSON value as PowerShell shows it: objects as case-insensitive hashtables, arrays as object[].</summary>
    public static object? ToPowerShell(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToHashtable(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPowerShell).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    // content is a JSON string inside the event; a content that does not parse is kept out rather than failing the event.
    internal static JsonElement? ParseContent(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content!);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string? PlainText(string? type, JsonElement content, LarkMention[] mentions)
    {
        if (type == "text")
        {
            return ResolveMentions(Text(content, "text") ?? string.Empty, mentions);
        }

        if (type != "post")
        {
            return null;
        }

        // A received post has no locale wrapper: {"title","content":[[nodes]]}.
        var lines = new List<string>();
        if (Text(content, "title") is { Length: > 0 } title)
        {
            lines.Add(title);
        }

        foreach (var paragraph in Array(content, "content"))
        {
            var line = new StringBuilder();
            foreach (var node in paragraph.ValueKind == JsonValueKind.Array ? paragraph.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                switch (Text(node, "tag"))
                {
                    case "text" or "a" or "code_block":
                        line.Append(Text(node, "text"));
                        break;
                    case "at":
                        line.Append('@').Append(Text(node, "user_name") ?? Text(node, "user_id"));
                        break;
                }
            }

            lines.Add(ResolveMentions(line.ToString(), mentions));
        }

        return string.Join("\n", lines);
    }

    internal static string ResolveMentions(string text, LarkMention[] mentions)
    {
        // Longest key first: @_user_10 before @_user_1.
        foreach (var mention in mentions.Where(m => !string.IsNullOrEmpty(m.Key)).OrderByDescending(m => m.Key!.Length))
        {
            text = text.Replace(mention.Key!, "@" + (mention.Name ?? mention.OpenId));
        }

        return text;
    }

    internal static Hashtable ToHashtable(JsonElement element)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                table[property.Name] = ToPowerShell(property.Value);
            }
        }

        return table;
    }

    internal static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    internal static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : Enumerable.Empty<JsonElement>();

    internal static string? Text(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    // create_time is milliseconds for messages; the card doc shows microseconds (UNCONFIRMED): accept both.
    internal static DateTimeOffset? Time(JsonElement parent, string name)
    {
        if (!long.TryParse(Text(parent, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return null;
        }

        var millis = value > 100_000_000_000_000 ? value / 1000 : value;
        return millis > 253_402_300_799_999 ? null : DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }
}
