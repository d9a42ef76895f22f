using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>Writes plain values (dictionaries, lists, strings, numbers…) as compact JSON, the way message content is sent.</summary>
internal static class MessageJson
{
    /// <summary>Deepest nesting written; deeper is almost surely a value that contains itself.</summary>
    public const int MaxDepth = 64;

    // The relaxed encoder still escapes '"', '\', control characters and U+2028/U+2029, so its output is valid JSON,
    // also as a string inside another JSON string. What it skips is HTML escaping (<, >, &, '), which does not apply
    // to a request body, and \uXXXX for non-ASCII text: Chinese costs 3 UTF-8 bytes instead of 6 (12 once the content
    // string is escaped again in the body), which matters against Lark's 30 KB limit for cards and posts.
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    // For the seed's message body (the list of messages around the content), where lenient reading is harmless:
    // what is sent is always re-written compact and strict. Content given as a JSON string is read strictly
    // (JsonSyntax.Strict), as Lark reads it.
    internal static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Compact JSON for <paramref name="value"/>; throws <see cref="ArgumentException"/> when nested over <see cref="MaxDepth"/>.</summary>
    public static string Serialize(object? value) => WriteToString(writer => Write(writer, value));

    /// <summary>Writes <paramref name="value"/> to <paramref name="writer"/> as JSON.</summary>
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        WriteValue(writer, value, 0);
    }

    /// <summary>Compact UTF-8 JSON for <paramref name="value"/>; throws <see cref="ArgumentException"/> when nested over <see cref="MaxDepth"/>.</summary>
    public static byte[] SerializeToUtf8(object? value) => WriteToUtf8(writer => Write(writer, value));

    /// <summary>The compact form of a parsed JSON value, written with the same encoder as everything else.</summary>
    internal static string Compact(JsonElement element) => WriteToString(element.WriteTo);

    /// <summary>The compact UTF-8 bytes of a parsed JSON value.</summary>
    internal static byte[] ToUtf8(JsonElement element) => WriteToUtf8(element.WriteTo);

    /// <summary>Writes through a compact UTF-8 writer and returns the bytes.</summary>
    internal static byte[] WriteToUtf8(Action<Utf8JsonWriter> write)
    {
        if (write is null)
        {
            throw new ArgumentNullException(nameof(write));
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            write(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Writes through a compact UTF-8 writer and returns the text.</summary>
    internal static string WriteToString(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>"object", "array", "string"…: the kind of a JSON value, for error messages.</summary>
    internal static string KindOf(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException(
                "The value is nested more than " + MaxDepth.ToString(CultureInfo.InvariantCulture) +
                " levels deep; does it contain itself?",
                nameof(value));
        }

        switch (value)
        {
            case null:
            case DBNull:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case JsonElement element:
                element.WriteTo(writer);
                return;
            case JsonDocument document:
                document.RootElement.WriteTo(writer);
                return;
            case DateTime dateTime:
                writer.WriteStringValue(dateTime);
                return;
            case DateTimeOffset dateTimeOffset:
                writer.WriteStringValue(dateTimeOffset);
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case IDictionary dictionary:
                WriteDictionary(writer, dictionary, depth);
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                writer.WriteStartObject();
                foreach (var pair in pairs)
                {
                    writer.WritePropertyName(pair.Key);
                    WriteValue(writer, pair.Value, depth + 1);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                return;
        }

        if (!TryWriteNumber(writer, value))
        {
            writer.WriteStringValue(ScalarText(value));
        }
    }

    private static void WriteDictionary(Utf8JsonWriter writer, IDictionary dictionary, int depth)
    {
        writer.WriteStartObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            writer.WritePropertyName(ScalarText(entry.Key));
            WriteValue(writer, entry.Value, depth + 1);
        }

        writer.WriteEndObject();
    }

    private static bool TryWriteNumber(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case int i: writer.WriteNumberValue(i); return true;
            case long l: writer.WriteNumberValue(l); return true;
            case short s: writer.WriteNumberValue(s); return true;
            case byte b: writer.WriteNumberValue(b); return true;
            case sbyte sb: writer.WriteNumberValue(sb); return true;
            case ushort us: writer.WriteNumberValue(us); return true;
            case uint ui: writer.WriteNumberValue(ui); return true;
            case ulong ul: writer.WriteNumberValue(ul); return true;
            case decimal m: writer.WriteNumberValue(m); return true;
            case double d when !double.IsNaN(d) && !double.IsInfinity(d): writer.WriteNumberValue(d); return true;
            case float f when !float.IsNaN(f) && !float.IsInfinity(f): writer.WriteNumberValue(f); return true;
            default: return false;
        }
    }

    /// <summary>The text of a scalar: invariant culture for numbers, ISO 8601 for dates, lower-case true/false.</summary>
    internal static string ScalarText(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime dateTime => dateTime.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset dateTimeOffset => dateTimeOffset.ToString("O", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
