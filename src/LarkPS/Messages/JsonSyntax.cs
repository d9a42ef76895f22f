using System;
using System.Globalization;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>
/// Strict JSON for content (issue 26): whether a string is meant as JSON, where a parse stopped (1-based line and
/// position) and the likely fix in words, for the mistakes people make typing JSON in a shell (unquoted names,
/// single quotes, trailing commas, comments, a missing comma or bracket).
/// </summary>
internal static class JsonSyntax
{
    /// <summary>
    /// Lark parses content strictly (RFC 8259): no comments, no trailing commas. Content given as a JSON string is read
    /// so too, so that what Test-LarkMessage passes is what Lark would take as it was written.
    /// </summary>
    public static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MessageJson.MaxDepth,
    };

    /// <summary>
    /// True when <paramref name="text"/> starts as a JSON object or array would: '{', or '[' followed by '{', '[',
    /// '"' or ']' (or by a number or literal with a ']' at the end). A text message such as "[WARN] disk full" or
    /// "[1] first" is not; "{text:hi}" and "[{"text":"hi"},]" are.
    /// </summary>
    public static bool LooksLikeJson(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        if (trimmed[0] == '{')
        {
            return true;
        }

        if (trimmed[0] != '[')
        {
            return false;
        }

        var rest = trimmed.Substring(1).TrimStart();
        if (rest.Length == 0)
        {
            return true;
        }

        var next = rest[0];
        if (next is '{' or '[' or '"' or ']')
        {
            return true;
        }

        var scalar = next is '-' or (>= '0' and <= '9')
            || rest.StartsWith("true", StringComparison.Ordinal)
            || rest.StartsWith("false", StringComparison.Ordinal)
            || rest.StartsWith("null", StringComparison.Ordinal);
        return scalar && trimmed[trimmed.Length - 1] == ']';
    }

    /// <summary>"line 1, position 2: 't' is an invalid start of a property name (names take double quotes: …)".</summary>
    public static string Describe(JsonException error)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        var words = ParserWords(error);
        var hint = Hint(error);
        var where = Where(error);
        return (where is null ? string.Empty : where + ": ") + words + (hint is null ? string.Empty : " (" + hint + ")");
    }

    /// <summary>"line 1, position 2", 1-based; null when the parser gave no position.</summary>
    public static string? Where(JsonException error) =>
        error?.LineNumber is { } line && error.BytePositionInLine is { } position
            ? "line " + (line + 1).ToString(CultureInfo.InvariantCulture) + ", position " + (position + 1).ToString(CultureInfo.InvariantCulture)
            : null;

    /// <summary>The likely fix in a few words, for the mistakes people make; null where the parser's words are all there is.</summary>
    public static string? Hint(JsonException error)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        var message = error.Message;
        bool Has(string part) => message.IndexOf(part, StringComparison.Ordinal) >= 0;

        if (Has("trailing comma"))
        {
            return "remove the comma before the closing bracket: JSON has no trailing commas";
        }

        if (message.StartsWith("'/'", StringComparison.Ordinal))
        {
            return "JSON has no comments: remove the // or /* */ part";
        }

        if (message.StartsWith("'''", StringComparison.Ordinal))
        {
            return "JSON strings and names take double quotes, not single quotes: {\"text\":\"hi\"}";
        }

        if (Has("invalid start of a property name"))
        {
            return "names take double quotes: {\"text\":\"hi\"}, not {text:hi}";
        }

        // At the very start the text is not JSON at all ("Disk full"): no advice about quotes then.
        if (Has("invalid start of a value") && !(error.LineNumber == 0 && error.BytePositionInLine == 0))
        {
            return "a text value takes double quotes: {\"text\":\"hi\"}";
        }

        if (Has("is invalid after a value"))
        {
            return "a comma is missing between two values";
        }

        if (Has("invalid after a single JSON value"))
        {
            return "something follows the end of the JSON: an extra } or ], or a second document";
        }

        if (Has("Expected end of string"))
        {
            return "a string is not closed: a \" is missing";
        }

        if (Has("Expected depth to be zero") || Has("should be closed"))
        {
            return "a closing } or ] is missing";
        }

        if (Has("invalid within a JSON string"))
        {
            return "tabs and line breaks inside a string are written \\t and \\n";
        }

        return null;
    }

    // The parser's own words without its " LineNumber: …" and " Path: …" tails, and without its advice to change
    // reader options (which means nothing to the user).
    private static string ParserWords(JsonException error)
    {
        var message = error.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: ", " Change the reader options." })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message.Substring(0, at);
            }
        }

        return message.Replace(" which is not supported in this mode", string.Empty).TrimEnd();
    }
}
