using System.Collections;
using System.Collections.Specialized;
using System.Dynamic;
using System.Text.Json;
using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Messages;

public class MessageJsonTests
{
    private enum Level
    {
        Warning,
    }

    [Theory]
    [InlineData(null, "null")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    [InlineData(42, "42")]
    [InlineData(42L, "42")]
    [InlineData(2.5, "2.5")]
    [InlineData(2.5f, "2.5")]
    [InlineData('c', "\"c\"")]
    [InlineData((byte)7, "7")]
    [InlineData(ulong.MaxValue, "18446744073709551615")]
    public void Scalars(object? value, string expected)
    {
        Assert.Equal(expected, MessageJson.Serialize(value));
    }

    [Fact]
    public void Decimal_dbnull_nan_enum_guid()
    {
        Assert.Equal("1.50", MessageJson.Serialize(1.50m));
        Assert.Equal("null", MessageJson.Serialize(DBNull.Value));
        Assert.Equal("\"NaN\"", MessageJson.Serialize(double.NaN));
        Assert.Equal("\"Warning\"", MessageJson.Serialize(Level.Warning));
        Assert.Equal("\"00000000-0000-0000-0000-000000000001\"", MessageJson.Serialize(new Guid("00000000-0000-0000-0000-000000000001")));
    }

    [Fact]
    public void Dates_are_iso_8601()
    {
        Assert.Equal("\"2024-05-06T07:08:09Z\"", MessageJson.Serialize(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc)));
        Assert.Equal(
            "\"2024-05-06T07:08:09+08:00\"",
            MessageJson.Serialize(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(8))));
    }

    [Fact]
    public void Other_objects_use_their_invariant_text()
    {
        Assert.Equal("\"1.02:03:04\"", MessageJson.Serialize(new TimeSpan(1, 2, 3, 4)));
        Assert.Equal("\"https://example.com/\"", MessageJson.Serialize(new Uri("https://example.com")));
    }

    [Fact]
    public void Dictionaries_and_lists_nest_in_their_order()
    {
        var value = new OrderedDictionary
        {
            ["b"] = 1,
            ["a"] = new ArrayList { "x", null, new Hashtable { ["k"] = false } },
            [(object)3] = new Dictionary<string, object?> { ["z"] = new[] { 1, 2 } },
        };

        Assert.Equal("{\"b\":1,\"a\":[\"x\",null,{\"k\":false}],\"3\":{\"z\":[1,2]}}", MessageJson.Serialize(value));
    }

    [Fact]
    public void A_generic_key_value_sequence_is_an_object()
    {
        IDictionary<string, object?> expando = new ExpandoObject();
        expando["a"] = 1;

        Assert.Equal("{\"a\":1}", MessageJson.Serialize(expando));
    }

    [Fact]
    public void Json_elements_are_written_as_they_are()
    {
        using var document = JsonDocument.Parse("{\"n\": 1.000, \"s\": \"\\u4e2d\"}");

        Assert.Equal("{\"x\":{\"n\":1.000,\"s\":\"中\"}}", MessageJson.Serialize(new Dictionary<string, object?> { ["x"] = document.RootElement }));
    }

    [Fact]
    public void Non_ascii_stays_readable_and_the_output_is_valid_json()
    {
        const string text = "中文 😀 <&> ' \" \\ \n \u2028";

        var json = MessageJson.Serialize(new Dictionary<string, object?> { ["t"] = text });

        Assert.Contains("中文", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(text, document.RootElement.GetProperty("t").GetString());
    }

    [Fact]
    public void A_value_that_contains_itself_throws_argument_exception()
    {
        var list = new ArrayList();
        list.Add(list);

        var error = Assert.Throws<ArgumentException>(() => MessageJson.Serialize(list));
        Assert.Contains("nested more than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_fine()
    {
        object? value = "leaf";
        for (var i = 0; i < MessageJson.MaxDepth; i++)
        {
            value = new object?[] { value };
        }

        var json = MessageJson.Serialize(value);

        Assert.StartsWith(new string('[', MessageJson.MaxDepth) + "\"leaf\"", json, StringComparison.Ordinal);
    }
}
