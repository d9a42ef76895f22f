using System.Text.Json;
using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Messages;

/// <summary>Issue 26, finding 4: which strings are meant as JSON, and the place and fix of a broken one.</summary>
public class JsonSyntaxTests
{
    [Theory]
    [InlineData("{text:hi}", true)]
    [InlineData("  {\"text\":\"hi\"}", true)]
    [InlineData("{", true)]
    [InlineData("[{\"text\":\"hi\"},]", true)]
    [InlineData("[\"a\"", true)]
    [InlineData("[]", true)]
    [InlineData("[1,2,3]", true)]
    [InlineData("[true]", true)]
    [InlineData("[WARN] disk full", false)]
    [InlineData("[1] first item", false)]
    [InlineData("[db-01] down", false)]
    [InlineData("Disk full", false)]
    [InlineData("42", false)]
    [InlineData("", false)]
    public void A_string_opening_like_an_object_or_array_is_meant_as_json(string text, bool expected)
    {
        Assert.Equal(expected, JsonSyntax.LooksLikeJson(text));
    }

    [Theory]
    [InlineData("{text:hi}", "line 1, position 2: 't' is an invalid start of a property name. Expected a '\"'. (names take double quotes: {\"text\":\"hi\"}, not {text:hi})")]
    [InlineData("{\"text\":\"hi\",}", "line 1, position 14: The JSON object contains a trailing comma at the end. (remove the comma before the closing bracket: JSON has no trailing commas)")]
    [InlineData("{\"text\":\"a\"}}", "line 1, position 13: '}' is invalid after a single JSON value. Expected end of data. (something follows the end of the JSON: an extra } or ], or a second document)")]
    [InlineData("{\"text\":\"a\"", "line 1, position 12: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. (a closing } or ] is missing)")]
    [InlineData("{\"text\":\"a\tb\"}", "line 1, position 11: '0x09' is invalid within a JSON string. The string should be correctly escaped. (tabs and line breaks inside a string are written \\t and \\n)")]
    [InlineData("{\"text\":hi}", "line 1, position 9: 'h' is an invalid start of a value. (a text value takes double quotes: {\"text\":\"hi\"})")]
    [InlineData("Disk full", "line 1, position 1: 'D' is an invalid start of a value.")]
    public void A_parse_error_reads_as_place_words_and_fix(string text, string expected)
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text, JsonSyntax.Strict));

        Assert.Equal(expected, JsonSyntax.Describe(error));
    }
}
