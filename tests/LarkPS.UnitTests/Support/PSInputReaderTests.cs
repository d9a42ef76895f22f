using System.Collections;
using System.Collections.Specialized;
using System.Data;
using System.Management.Automation;
using System.Management.Automation.Internal;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Support;

public class PSInputReaderTests
{
    private static PSObject CustomObject(params (string Name, object? Value)[] properties)
    {
        var result = new PSObject();
        foreach (var (name, value) in properties)
        {
            result.Properties.Add(new PSNoteProperty(name, value));
        }

        return result;
    }

    [Fact]
    public void A_hashtable_is_read_by_key_in_any_case()
    {
        var item = new Hashtable(StringComparer.OrdinalIgnoreCase)
        {
            ["ReceiveType"] = "chat",
            ["RECEIVEID"] = "oc_1",
            ["contenttype"] = "text",
            ["Content"] = "hello",
            ["Uuid"] = "u-1",
            ["other"] = "ignored",
        };

        var input = Assert.Single(PSInputReader.Read(item));

        Assert.Equal("chat", input.ReceiveType);
        Assert.Equal("oc_1", input.ReceiveId);
        Assert.Equal("text", input.ContentType);
        Assert.Equal("hello", input.Content);
        Assert.Equal("u-1", input.Uuid);
        Assert.Equal("receiveId 'oc_1'", input.SourceDescription);
        Assert.Empty(input.ReadProblems);
        Assert.True(MessageValidator.Validate(input).IsValid);
    }

    [Theory]
    [InlineData("receive_id_type", "receive_id", "msg_type")]
    [InlineData("receive_type", "receiverId", "content_type")]
    [InlineData("ReceiveIdType", "receiver_id", "MessageType")]
    [InlineData("receiveIdType", "ReceiveId", "msgType")]
    public void Aliases_are_read(string typeName, string idName, string contentTypeName)
    {
        var item = new Hashtable { [typeName] = "chat", [idName] = "oc_1", [contentTypeName] = "image" };

        var input = Assert.Single(PSInputReader.Read(item));

        Assert.Equal("chat", input.ReceiveType);
        Assert.Equal("oc_1", input.ReceiveId);
        Assert.Equal("image", input.ContentType);
    }

    [Fact]
    public void A_hashtable_wrapped_in_a_psobject_is_read()
    {
        var item = PSObject.AsPSObject(new Hashtable { ["receiveId"] = "ou_1", ["text"] = "hi" });

        var input = Assert.Single(PSInputReader.Read(item));

        Assert.Equal("ou_1", input.ReceiveId);
        Assert.Equal("hi", input.Text);
    }

    [Fact]
    public void A_pscustomobject_is_read_by_property()
    {
        var item = CustomObject(("receiveType", "email"), ("receiveId", "a@example.com"), ("content", "{\"text\":\"x\"}"));

        var input = Assert.Single(PSInputReader.Read(item));

        Assert.Equal("email", input.ReceiveType);
        Assert.Equal("a@example.com", input.ReceiveId);
        Assert.Equal("{\"text\":\"x\"}", input.Content);
        Assert.Equal("email", MessageValidator.Validate(input).Message!.ReceiveIdType);
    }

    [Fact]
    public void An_import_csv_row_with_empty_cells_is_valid()
    {
        // What Import-Csv makes: every value a string, empty cells "".
        var row = CustomObject(
            ("receiveType", ""), ("receiveId", "ou_1"), ("contentType", ""), ("content", "Disk full"), ("uuid", ""), ("text", ""), ("host", "db1"));

        var input = Assert.Single(PSInputReader.Read(row));
        var result = MessageValidator.Validate(input);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("{\"text\":\"Disk full\"}", result.Message!.Content);
        Assert.Null(result.Message.Uuid);
    }

    [Fact]
    public void A_datarow_is_read_by_column_and_dbnull_is_absent()
    {
        var table = new DataTable();
        table.Columns.Add("receive_id_type", typeof(string));
        table.Columns.Add("receive_id", typeof(long));
        table.Columns.Add("content", typeof(string));
        table.Columns.Add("uuid", typeof(string));
        table.Rows.Add("phone", 13800000001L, "backup done", DBNull.Value);

        var input = Assert.Single(PSInputReader.Read(PSObject.AsPSObject(table.Rows[0])));
        var result = MessageValidator.Validate(input);

        Assert.Equal("13800000001", input.ReceiveId);
        Assert.Null(input.Uuid);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("13800000001", result.Message!.PhoneToResolve!.LookupValue);
    }

    [Fact]
    public void A_plain_dotnet_object_is_read_by_its_properties()
    {
        var input = Assert.Single(PSInputReader.Read(new PlainMessage { ReceiveId = "ou_9", Content = "hi" }));

        Assert.Equal("ou_9", input.ReceiveId);
        Assert.Equal("hi", input.Content);
    }

    [Fact]
    public void A_string_is_the_seed_body_and_may_hold_several_inputs()
    {
        var inputs = PSInputReader.Read("""[{"receiveId":"ou_1","content":"a"},{"receiveId":"oc_2","receiveType":"chat","content":"b"}]""");

        Assert.Equal(2, inputs.Count);
        Assert.Equal("oc_2", inputs[1].ReceiveId);
        Assert.Equal("item 2 (receiveId 'oc_2')", inputs[1].SourceDescription);
    }

    [Fact]
    public void A_string_in_a_psobject_is_the_seed_body_too()
    {
        var input = Assert.Single(PSInputReader.Read(PSObject.AsPSObject("""{"receiveId":"ou_1","content":"a"}""")));

        Assert.Equal("ou_1", input.ReceiveId);
    }

    // Issue 26 changed this contract: a string that is not a seed body used to fail; it is now the message's text.
    [Fact]
    public void A_string_that_is_not_a_seed_body_is_the_text_of_one_message()
    {
        var input = Assert.Single(PSInputReader.Read("Disk full"));

        Assert.Equal("Disk full", input.Text);
        Assert.Empty(input.ReadProblems);
    }

    [Fact]
    public void A_string_that_looks_like_json_but_is_not_a_seed_body_fails_naming_both_readings()
    {
        var input = Assert.Single(PSInputReader.Read("{text: hi}"));

        var problem = Assert.Single(MessageValidator.Validate(input).Problems, p => p.Field == "message");
        Assert.Contains("looks like JSON", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("line 1", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("-Text", problem.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_automation_null_are_no_inputs()
    {
        Assert.Empty(PSInputReader.Read(null));
        Assert.Empty(PSInputReader.Read(AutomationNull.Value));
        Assert.Empty(PSInputReader.Read(DBNull.Value));
    }

    [Fact]
    public void An_array_item_is_read_element_by_element()
    {
        var inputs = PSInputReader.Read(new object[]
        {
            new Hashtable { ["receiveId"] = "ou_1", ["content"] = "a" },
            CustomObject(("receiveId", "ou_2"), ("content", "b")),
        });

        Assert.Equal(new[] { "ou_1", "ou_2" }, inputs.Select(i => i.ReceiveId));
    }

    [Fact]
    public void A_message_input_passes_through()
    {
        var input = new MessageInput { ReceiveId = "ou_1" };

        Assert.Same(input, Assert.Single(PSInputReader.Read(input)));
    }

    [Fact]
    public void Hashtable_content_becomes_a_dictionary_and_is_sent_as_json()
    {
        var item = new Hashtable
        {
            ["receiveId"] = "oc_1",
            ["receiveType"] = "chat",
            ["contentType"] = "image",
            ["content"] = new Hashtable { ["image_key"] = PSObject.AsPSObject("img_1") },
        };

        var input = Assert.Single(PSInputReader.Read(item));

        var content = Assert.IsType<Dictionary<string, object?>>(input.Content);
        Assert.Equal("img_1", content["image_key"]);
        Assert.Equal("{\"image_key\":\"img_1\"}", MessageValidator.Validate(input).Message!.Content);
    }

    [Fact]
    public void Content_is_unwrapped_recursively_in_order()
    {
        // [ordered]@{ zh_cn = [pscustomobject]@{ title = 'T'; content = @(, @(@{tag='text';text='a'}, [pscustomobject]@{tag='hr'})) } }
        var node = new Hashtable { ["tag"] = "text", ["text"] = "a" };
        var hr = CustomObject(("tag", "hr"));
        var paragraph = PSObject.AsPSObject(new object[] { PSObject.AsPSObject(node), hr });
        var locale = CustomObject(("title", "T"), ("content", new object[] { paragraph }));
        var content = new OrderedDictionary { ["zh_cn"] = locale };

        var unwrapped = PSInputReader.UnwrapContent(PSObject.AsPSObject(content));

        var root = Assert.IsType<Dictionary<string, object?>>(unwrapped);
        var zh = Assert.IsType<Dictionary<string, object?>>(root["zh_cn"]);
        Assert.Equal(new[] { "title", "content" }, zh.Keys);
        var paragraphs = Assert.IsType<List<object?>>(zh["content"]);
        var nodes = Assert.IsType<List<object?>>(Assert.Single(paragraphs));
        Assert.IsType<Dictionary<string, object?>>(nodes[0]);
        Assert.Equal("hr", Assert.IsType<Dictionary<string, object?>>(nodes[1])["tag"]);

        var message = MessageValidator.Validate(new MessageInput { ReceiveId = "ou_1", ContentType = "post", Content = unwrapped }).Message!;
        Assert.Equal(
            "{\"zh_cn\":{\"title\":\"T\",\"content\":[[{\"tag\":\"text\",\"text\":\"a\"},{\"tag\":\"hr\"}]]}}",
            message.Content.Replace("{\"text\":\"a\",\"tag\":\"text\"}", "{\"tag\":\"text\",\"text\":\"a\"}", StringComparison.Ordinal));
    }

    [Fact]
    public void Unwrap_keeps_scalars_and_nulls()
    {
        Assert.Null(PSInputReader.UnwrapContent(null));
        Assert.Null(PSInputReader.UnwrapContent(AutomationNull.Value));
        Assert.Null(PSInputReader.UnwrapContent(DBNull.Value));
        Assert.Equal(5, PSInputReader.UnwrapContent(PSObject.AsPSObject(5)));
        Assert.Equal("s", PSInputReader.UnwrapContent(PSObject.AsPSObject("s")));
        Assert.Equal(new List<object?> { 1, "a", null }, PSInputReader.UnwrapContent(new ArrayList { 1, PSObject.AsPSObject("a"), null }));
    }

    [Fact]
    public void Content_that_contains_itself_is_a_problem_not_a_crash()
    {
        var content = new Hashtable();
        content["self"] = content;

        var input = Assert.Single(PSInputReader.Read(new Hashtable { ["receiveId"] = "ou_1", ["content"] = content }));

        var problem = Assert.Single(input.ReadProblems);
        Assert.Equal("content", problem.Field);
        Assert.Contains("nested more than 64 levels", problem.Problem, StringComparison.Ordinal);
        Assert.False(MessageValidator.Validate(input).IsValid);
    }

    [Fact]
    public void Numbers_for_string_fields_are_invariant_text()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var input = Assert.Single(PSInputReader.Read(new Hashtable { ["receiveId"] = 13800000001L, ["uuid"] = 1.5 }));

            Assert.Equal("13800000001", input.ReceiveId);
            Assert.Equal("1.5", input.Uuid);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void An_array_receiveId_or_object_text_is_one_problem_not_also_missing()
    {
        // @{ receiveId = 'a@x.com','b@x.com'; text = 'hi' }: the array is the item's one problem; it said as well
        // "receiveId: is missing: the item's receiveId is empty", which was untrue. An object text likewise.
        var item = Assert.Single(PSInputReader.Read(new Hashtable
        {
            ["receiveType"] = "email",
            ["receiveId"] = new[] { "alice@example.com", "bob@example.com" },
            ["text"] = "hi",
        }));
        var result = MessageValidator.Validate(Assert.Single(MessageDefaults.Apply(item, new MessageParameters())));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("receiveId: is an array; expected a string: one receiver per item (one item per receiver, or -ReceiveId a,b for the same message to several)", problem.ToString());

        var text = Assert.Single(PSInputReader.Read(new Hashtable { ["receiveId"] = "ou_1", ["text"] = new Hashtable { ["a"] = "b" } }));
        var textResult = MessageValidator.Validate(Assert.Single(MessageDefaults.Apply(text, new MessageParameters())));
        Assert.DoesNotContain(textResult.Problems, p => p.ToString().Contains("is missing", StringComparison.Ordinal));
        Assert.Contains(textResult.Problems, p => p.ToString().StartsWith("text: is an object", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dictionary_or_list_for_a_string_field_is_a_problem()
    {
        var input = Assert.Single(PSInputReader.Read(new Hashtable
        {
            ["receiveId"] = new Hashtable { ["id"] = "ou_1" },
            ["receiveType"] = new[] { "user", "chat" },
            ["content"] = "x",
        }));

        Assert.Contains(input.ReadProblems, p => p.ToString() == "receiveId: is an object; expected a string");
        Assert.Contains(input.ReadProblems, p => p.ToString() == "receiveType: is an array; expected a string");
    }

    [Fact]
    public void The_same_field_twice_with_different_values_is_a_problem()
    {
        var item = CustomObject(("receiveId", "ou_1"), ("receive_id", "ou_2"), ("content", "x"));

        var input = Assert.Single(PSInputReader.Read(item));

        var problem = Assert.Single(MessageValidator.Validate(input).Problems);
        Assert.Equal("receiveId: is given twice with different values, as 'receiveId' and 'receive_id'; expected one value", problem.ToString());
    }

    [Fact]
    public void The_same_field_twice_with_the_same_value_is_fine()
    {
        var item = new OrderedDictionary { ["receiveId"] = "ou_1", ["receive_id"] = "ou_1", ["content"] = "x" };

        Assert.True(MessageValidator.Validate(Assert.Single(PSInputReader.Read(item))).IsValid);
    }

    [Fact]
    public void A_property_whose_getter_throws_is_a_problem()
    {
        var input = Assert.Single(PSInputReader.Read(new ThrowingMessage()));

        var problem = Assert.Single(input.ReadProblems);
        Assert.Equal("receiveId", problem.Field);
        Assert.StartsWith("could not be read from property 'ReceiveId'", problem.Problem, StringComparison.Ordinal);
    }

    public sealed class PlainMessage
    {
        public string? ReceiveId { get; set; }

        public string? Content { get; set; }

        public int Unrelated => 1;
    }

    public sealed class ThrowingMessage
    {
        public string ReceiveId => throw new InvalidOperationException("boom");

        public string Content => "x";
    }
}
