using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using LarkPS.Messages;
using Xunit;
using static LarkPS.UnitTests.Messages.MessageTestHelpers;

namespace LarkPS.UnitTests.Messages;

public class ContentValidationTests
{
    public static TheoryData<string, string> MinimalValidContent => new()
    {
        { "text", """{"text":"Hello!"}""" },
        { "post", """{"zh_cn":{"title":"T","content":[[{"tag":"text","text":"hi"}]]}}""" },
        { "image", """{"image_key":"img_7ea74629-9191-4176-998c-2e603c9c5e8g"}""" },
        { "interactive", """{"elements":[{"tag":"div","text":{"tag":"plain_text","content":"hi"}}]}""" },
        { "share_chat", """{"chat_id":"oc_0dd200d32fda15216d2c2ef1ddb32f76"}""" },
        { "share_user", """{"user_id":"ou_0dd200d32fda15216d2c2ef1ddb32f76"}""" },
        { "audio", """{"file_key":"file_v2_abc"}""" },
        { "media", """{"file_key":"file_v2_abc"}""" },
        { "file", """{"file_key":"file_v2_abc"}""" },
        { "sticker", """{"file_key":"file_v2_abc"}""" },
    };

    [Theory]
    [MemberData(nameof(MinimalValidContent))]
    public void Every_content_type_accepts_its_minimal_content(string contentType, string content)
    {
        var message = AssertValid(Validate(content, contentType));

        Assert.Equal(contentType, message.MsgType);
        Assert.Equal(content, message.Content);
    }

    [Fact]
    public void Every_content_type_is_covered()
    {
        var covered = MinimalValidContent.Select(row => (string)row[0]).ToList();

        Assert.Equal(ContentTypes.All.OrderBy(x => x), covered.OrderBy(x => x));
    }

    [Theory]
    [InlineData("TEXT", "text")]
    [InlineData(" Share_Chat ", "share_chat")]
    [InlineData("", "text")]
    [InlineData(null, "text")]
    public void The_content_type_is_normalized_and_defaults_to_text(string? given, string expected)
    {
        var content = expected == "text" ? """{"text":"x"}""" : """{"chat_id":"oc_abc"}""";

        Assert.Equal(expected, AssertValid(Validate(content, given)).MsgType);
    }

    [Theory]
    [InlineData("txt")]
    [InlineData("card")]
    [InlineData("rich_text")]
    public void An_unknown_content_type_lists_the_allowed_values(string contentType)
    {
        var problem = AssertSingleProblem(Validate("""{"a":1}""", contentType), "contentType");

        Assert.Equal("'" + contentType + "' is not a content type", problem.Problem);
        Assert.Equal(
            "'text', 'post', 'image', 'interactive', 'share_chat', 'share_user', 'audio', 'media', 'file' or 'sticker'",
            problem.Expected);
    }

    [Theory]
    [InlineData("text", "{}", "content.text", "is missing")]
    [InlineData("text", """{"text":5}""", "content.text", "is a number")]
    [InlineData("text", """{"text":""}""", "content.text", "is empty")]
    [InlineData("text", """{"text":"  "}""", "content.text", "is empty")]
    [InlineData("image", "{}", "content.image_key", "is missing")]
    [InlineData("image", """{"image_key":""}""", "content.image_key", "is empty")]
    [InlineData("image", """{"image_key":null}""", "content.image_key", "is null")]
    [InlineData("share_chat", "{}", "content.chat_id", "is missing")]
    [InlineData("share_chat", """{"chat_id":"ou_abc"}""", "content.chat_id", "'ou_abc' does not start with 'oc_'")]
    [InlineData("share_user", "{}", "content.user_id", "is missing")]
    [InlineData("share_user", """{"user_id":"oc_abc"}""", "content.user_id", "'oc_abc' does not start with 'ou_'")]
    [InlineData("audio", "{}", "content.file_key", "is missing")]
    [InlineData("file", """{"image_key":"img_1"}""", "content.file_key", "is missing")]
    [InlineData("sticker", """{"file_key":[]}""", "content.file_key", "is an array")]
    [InlineData("media", """{"image_key":"img_1"}""", "content.file_key", "is missing")]
    [InlineData("media", """{"file_key":"file_1","image_key":3}""", "content.image_key", "is a number")]
    public void A_missing_or_wrong_required_key_is_named(string contentType, string content, string field, string problem)
    {
        var found = AssertSingleProblem(Validate(content, contentType), field);

        Assert.Equal(problem, found.Problem);
    }

    [Fact]
    public void Media_takes_an_optional_image_key()
    {
        var message = AssertValid(Validate("""{"file_key":"file_1","image_key":"img_1"}""", "media"));

        Assert.Equal("img_1", ContentOf(message).GetProperty("image_key").GetString());
    }

    [Fact]
    public void Text_json_without_text_says_how_to_send_json_as_text()
    {
        var problem = AssertSingleProblem(Validate("""{"status":"ok"}"""), "content.text");

        Assert.Contains("to send JSON as the text itself", problem.Expected, StringComparison.Ordinal);
    }

    // ---- text wrapping ----

    [Theory]
    [InlineData("Disk full")]
    [InlineData("  leading and trailing  ")]
    [InlineData("line 1\nline 2")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("\"quoted\"")]
    [InlineData("[WARN] disk full")]
    [InlineData("[1] first item")]
    [InlineData("中文告警：磁盘已满")]
    [InlineData("<at user_id=\"all\"></at> look")]
    public void A_text_string_that_is_not_a_json_object_is_the_text(string text)
    {
        var message = AssertValid(Validate(text, "text"));

        var content = ContentOf(message);
        Assert.Equal(text, content.GetProperty("text").GetString());
        Assert.Single(content.EnumerateObject());
    }

    [Theory]
    [InlineData("""{"text":"hi"}""", "hi")]
    [InlineData("""  {"text":"hi"}  """, "hi")]
    [InlineData("""{"text":"\u4e2d"}""", "中")]
    public void A_text_string_that_is_a_json_object_is_the_content(string json, string expected)
    {
        var message = AssertValid(Validate(json, "text"));

        Assert.Equal(expected, ContentOf(message).GetProperty("text").GetString());
    }

    // Issue 26: a string that starts like JSON is JSON, read strictly; broken, it is an error, never the text
    // (before, "{text:hi}" reached the person as the text "{text:hi}", and trailing commas and comments were dropped).
    [Theory]
    [InlineData("{text:hi}", "line 1, position 2", "names take double quotes")]
    [InlineData("{not json", "line 1, position 2", "names take double quotes")]
    [InlineData("{\"text\":\"unterminated", "line 1, position 22", "a string is not closed")]
    [InlineData("{\"text\":\"hi\",}", "line 1, position 14", "remove the comma")]
    [InlineData("{'text':'hi'}", "line 1, position 2", "double quotes, not single quotes")]
    [InlineData("{\"text\":\"hi\"} // note", "line 1, position 15", "JSON has no comments")]
    [InlineData("[{\"text\":\"hi\"},]", "line 1, position 16", "remove the comma")]
    [InlineData("{\"text\":\"a\"\n \"x\":1}", "line 2, position 2", "a comma is missing")]
    public void A_text_string_that_starts_like_json_but_is_not_strict_json_is_an_error_with_its_position(string content, string where, string hint)
    {
        var problem = AssertSingleProblem(Validate(content, "text"), "content");

        Assert.StartsWith("is not valid JSON: " + where + ": ", problem.Problem, StringComparison.Ordinal);
        Assert.Contains(hint, problem.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", problem.Problem, StringComparison.Ordinal);
        Assert.StartsWith("Correct the content's JSON at " + where + ": ", problem.Fix, StringComparison.Ordinal);
        Assert.Contains("-Text", problem.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image", "{\"image_key\":\"img_1\",}", "remove the comma")]
    [InlineData("post", "{\"zh_cn\":{\"content\":[[{\"tag\":\"text\",\"text\":\"a\"}]]}} /* c */", "JSON has no comments")]
    [InlineData("interactive", "{schema:\"2.0\"}", "names take double quotes")]
    [InlineData("share_chat", "{'chat_id':'oc_1'}", "not single quotes")]
    public void Content_json_of_every_type_is_read_strictly(string contentType, string content, string hint)
    {
        var problem = AssertSingleProblem(Validate(content, contentType), "content");

        Assert.StartsWith("is not valid JSON: line 1, position ", problem.Problem, StringComparison.Ordinal);
        Assert.Contains(hint, problem.Problem, StringComparison.Ordinal);
        Assert.Equal(MessageValidator.ExpectedContent(contentType), problem.Expected);
        Assert.DoesNotContain("-Text", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_json_is_sent_compact_and_non_ascii_stays_readable()
    {
        var message = AssertValid(Validate("{ \"text\" : \"\\u4e2d\\u6587 <b> & 'x'\" }"));

        Assert.Equal("{\"text\":\"中文 <b> & 'x'\"}", message.Content);
    }

    [Fact]
    public void The_text_shortcut_makes_a_text_message()
    {
        var message = AssertValid(Validate(null, text: "{\"looks\":\"like json\"}"));

        Assert.Equal("text", message.MsgType);
        Assert.Equal("{\"looks\":\"like json\"}", ContentOf(message).GetProperty("text").GetString());
    }

    [Fact]
    public void Text_and_content_together_is_a_problem()
    {
        var problem = AssertSingleProblem(Validate("""{"text":"a"}""", text: "b"), "text");

        Assert.Equal("is given together with content", problem.Problem);
        Assert.Equal("either text or content", problem.Expected);
    }

    [Fact]
    public void Text_with_another_content_type_is_a_problem()
    {
        var problem = AssertSingleProblem(Validate(null, "image", text: "b"), "text");

        Assert.Equal("makes a text message, but contentType is 'image'", problem.Problem);
    }

    [Fact]
    public void An_empty_text_column_next_to_content_is_ignored()
    {
        AssertValid(Validate("""{"text":"a"}""", text: ""));
    }

    [Theory]
    [InlineData(42, "42")]
    [InlineData(2.5, "2.5")]
    [InlineData(true, "true")]
    public void A_scalar_text_content_is_its_invariant_text(object value, string expected)
    {
        var message = AssertValid(Validate(value, "text"));

        Assert.Equal(expected, ContentOf(message).GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("text", "a plain string or {\"text\":\"…\"}")]
    [InlineData("image", "{\"image_key\":\"img_…\"}")]
    [InlineData("post", "{\"zh_cn\":{\"title\":\"…\",\"content\":[[{\"tag\":\"text\",\"text\":\"…\"}]]}}")]
    public void Missing_content_shows_the_shape_to_give(string contentType, string expected)
    {
        foreach (var missing in new object?[] { null, "", "  " })
        {
            var problem = AssertSingleProblem(Validate(missing, contentType), "content");

            Assert.Equal("is missing", problem.Problem);
            Assert.Equal(expected, problem.Expected);
            Assert.Equal("missing", problem.ActualKind);
        }
    }

    // ---- non-text strings ----

    [Fact]
    public void Invalid_json_for_a_non_text_type_says_where_it_failed()
    {
        var problem = AssertSingleProblem(Validate("{\"image_key\": img_1}", "image"), "content");

        Assert.StartsWith("is not valid JSON: line 1, position 15: ", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("'i'", problem.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem.Problem, StringComparison.Ordinal);
        Assert.Equal("{\"image_key\":\"img_…\"}", problem.Expected);
    }

    [Fact]
    public void Invalid_json_on_a_later_line_names_that_line()
    {
        var problem = AssertSingleProblem(Validate("{\n  \"file_key\": \"f\",\n  oops\n}", "file"), "content");

        Assert.StartsWith("is not valid JSON: line 3, position 3: ", problem.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("img_1", "is not valid JSON")]
    [InlineData("[{\"image_key\":\"img_1\"}]", "is JSON array, not an object")]
    [InlineData("\"img_1\"", "is JSON string, not an object")]
    [InlineData("7", "is JSON number, not an object")]
    public void A_non_object_string_for_a_non_text_type_is_a_problem(string content, string problem)
    {
        var found = AssertSingleProblem(Validate(content, "image"), "content");

        Assert.StartsWith(problem, found.Problem, StringComparison.Ordinal);
    }

    // ---- object content ----

    [Fact]
    public void A_hashtable_is_sent_as_its_json()
    {
        var content = new Hashtable { ["image_key"] = "img_1" };

        var message = AssertValid(Validate(content, "image"));

        Assert.Equal("{\"image_key\":\"img_1\"}", message.Content);
    }

    [Fact]
    public void A_nested_dictionary_post_is_sent_in_order()
    {
        var node = new OrderedDictionary { ["tag"] = "text", ["text"] = "第一行" };
        var locale = new OrderedDictionary
        {
            ["title"] = "标题",
            ["content"] = new object[] { new object[] { node, new Dictionary<string, object?> { ["tag"] = "hr" } } },
        };
        var content = new Dictionary<string, object?> { ["zh_cn"] = locale };

        var message = AssertValid(Validate(content, "post"));

        Assert.Equal(
            "{\"zh_cn\":{\"title\":\"标题\",\"content\":[[{\"tag\":\"text\",\"text\":\"第一行\"},{\"tag\":\"hr\"}]]}}",
            message.Content);
    }

    [Fact]
    public void A_dictionary_with_the_text_key_is_a_text_message()
    {
        var message = AssertValid(Validate(new Dictionary<string, object?> { ["text"] = "hi" }));

        Assert.Equal("{\"text\":\"hi\"}", message.Content);
    }

    [Fact]
    public void A_list_is_not_content()
    {
        var problem = AssertSingleProblem(Validate(new List<object?> { "a" }, "text"), "content");

        Assert.Equal("is a list, not an object", problem.Problem);
        Assert.Equal("array", problem.ActualKind);
    }

    [Fact]
    public void A_scalar_for_a_non_text_type_is_a_problem()
    {
        var problem = AssertSingleProblem(Validate(42, "file"), "content");

        Assert.Equal("is a number, not an object", problem.Problem);
    }

    [Fact]
    public void A_dictionary_that_contains_itself_is_a_problem_not_a_crash()
    {
        var content = new Hashtable();
        content["self"] = content;

        var problem = AssertSingleProblem(Validate(content, "interactive"), "content");

        Assert.StartsWith("cannot be written as JSON", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_element_is_accepted_as_content()
    {
        using var document = JsonDocument.Parse("""{"chat_id":"oc_1"}""");

        var message = AssertValid(Validate(document.RootElement.Clone(), "share_chat"));

        Assert.Equal("{\"chat_id\":\"oc_1\"}", message.Content);
    }
}
