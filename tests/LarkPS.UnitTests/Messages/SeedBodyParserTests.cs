using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Messages;

public class SeedBodyParserTests
{
    [Fact]
    public void The_seed_format_reads_one_input_per_element()
    {
        const string body = """
            [
              {"receiveType":"user","receiveId":"ou_1","contentType":"text","content":"{\"text\":\"Hello!\"}"},
              {"receiveType":"email","receiveId":"a@example.com","content":"{\"text\":\"Hi\"}","uuid":"u-1"},
              {"receiveType":"phone","receiveId":"13800000001","contentType":"text","content":"{\"text\":\"x\"}"},
              {"receiveType":"chat","receiveId":"oc_1","contentType":"post","content":"{\"zh_cn\":{\"content\":[[{\"tag\":\"text\",\"text\":\"p\"}]]}}"}
            ]
            """;

        var inputs = SeedBodyParser.Parse(body);

        Assert.Equal(4, inputs.Count);
        Assert.Equal("user", inputs[0].ReceiveType);
        Assert.Equal("ou_1", inputs[0].ReceiveId);
        Assert.Equal("text", inputs[0].ContentType);
        Assert.Equal("{\"text\":\"Hello!\"}", inputs[0].Content);
        Assert.Equal("u-1", inputs[1].Uuid);
        Assert.Null(inputs[1].ContentType);
        Assert.Equal("item 1 (receiveId 'ou_1')", inputs[0].SourceDescription);
        Assert.Equal("item 4 (receiveId 'oc_1')", inputs[3].SourceDescription);
        Assert.All(inputs, input => Assert.True(MessageValidator.Validate(input).IsValid, MessageValidator.Validate(input).ToString()));
        Assert.Equal("+8613800000001", MessageValidator.Validate(inputs[2]).Message!.PhoneToResolve!.CanonicalKey);
    }

    [Fact]
    public void A_single_object_is_one_input()
    {
        var inputs = SeedBodyParser.Parse("""{"receiveId":"ou_1","content":"Disk full"}""");

        var input = Assert.Single(inputs);
        Assert.Equal("ou_1", input.ReceiveId);
        Assert.Equal("receiveId 'ou_1'", input.SourceDescription);
        var message = MessageValidator.Validate(input).Message!;
        Assert.Equal("{\"text\":\"Disk full\"}", message.Content);
    }

    [Fact]
    public void Lark_snake_case_and_any_case_names_are_read()
    {
        var input = Assert.Single(SeedBodyParser.Parse(
            """{"receive_id_type":"chat_id","RECEIVE_ID":"oc_1","msg_type":"image","Content":"{\"image_key\":\"img_1\"}","UUID":"u"}"""));

        Assert.Equal("chat_id", input.ReceiveType);
        Assert.Equal("oc_1", input.ReceiveId);
        Assert.Equal("image", input.ContentType);
        Assert.Equal("u", input.Uuid);
        var message = MessageValidator.Validate(input).Message!;
        Assert.Equal("chat_id", message.ReceiveIdType);
    }

    [Theory]
    [InlineData("receive_type")]
    [InlineData("receiveIdType")]
    public void Receive_type_aliases(string name)
    {
        Assert.Equal("chat", SeedBodyParser.Parse("{\"" + name + "\":\"chat\"}")[0].ReceiveType);
    }

    [Theory]
    [InlineData("content_type")]
    [InlineData("msgType")]
    [InlineData("messageType")]
    public void Content_type_aliases(string name)
    {
        Assert.Equal("post", SeedBodyParser.Parse("{\"" + name + "\":\"post\"}")[0].ContentType);
    }

    [Fact]
    public void Content_given_as_an_object_is_its_json_text()
    {
        var input = Assert.Single(SeedBodyParser.Parse(
            """{"receiveId":"ou_1","contentType":"interactive","content":{"elements":[{"tag":"div", "n": 1.50}]}}"""));

        // Kept as the parsed element (no second parse); what is sent is its compact text.
        Assert.IsType<System.Text.Json.JsonElement>(input.Content);
        var result = MessageValidator.Validate(input);
        Assert.True(result.IsValid);
        Assert.Equal("{\"elements\":[{\"tag\":\"div\",\"n\":1.50}]}", result.Message!.Content);
    }

    [Fact]
    public void Text_content_given_as_an_object_is_the_content_not_the_text()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"receiveId":"ou_1","content":{"text":"hi"}}"""));

        Assert.Equal("{\"text\":\"hi\"}", MessageValidator.Validate(input).Message!.Content);
    }

    [Fact]
    public void Content_given_as_an_array_is_a_list_so_it_is_not_mistaken_for_text()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"receiveId":"ou_1","content":[{"text":"hi"}]}"""));

        Assert.IsType<List<object?>>(input.Content);
        var problem = Assert.Single(MessageValidator.Validate(input).Problems);
        Assert.Equal("content", problem.Field);
        Assert.Equal("is a list, not an object", problem.Problem);
    }

    [Fact]
    public void A_numeric_receive_id_keeps_its_digits()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"receiveType":"phone","receiveId":13800000001,"content":"x"}"""));

        Assert.Equal("13800000001", input.ReceiveId);
    }

    [Fact]
    public void Text_and_unknown_properties()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"receiveId":"ou_1","text":"hello","priority":"high","extra":{}}"""));

        Assert.Equal("hello", input.Text);
        Assert.Equal("{\"text\":\"hello\"}", MessageValidator.Validate(input).Message!.Content);
    }

    [Fact]
    public void A_non_object_element_fails_without_losing_the_others()
    {
        var inputs = SeedBodyParser.Parse("""[{"receiveId":"ou_1","content":"a"}, "oops", 7, {"receiveId":"ou_2","content":"b"}]""");

        Assert.Equal(4, inputs.Count);
        Assert.True(MessageValidator.Validate(inputs[0]).IsValid);
        Assert.True(MessageValidator.Validate(inputs[3]).IsValid);
        var problem = Assert.Single(MessageValidator.Validate(inputs[1]).Problems, p => p.Field == "message");
        Assert.Equal("is a JSON string, not an object", problem.Problem);
        Assert.Equal("item 2", inputs[1].SourceDescription);
        Assert.Contains(MessageValidator.Validate(inputs[2]).Problems, p => p.Problem == "is a JSON number, not an object");
        Assert.StartsWith("item 3: message: is a JSON number", MessageValidator.Validate(inputs[2]).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_of_the_wrong_kind_is_a_problem()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"receiveId":{"id":"ou_1"},"uuid":true,"content":"x"}"""));

        var problems = MessageValidator.Validate(input).Problems;
        Assert.Contains(problems, p => p.ToString() == "receiveId: is an object; expected a string");
        Assert.Contains(problems, p => p.ToString() == "uuid: is a boolean; expected a string");
    }

    [Fact]
    public void Two_names_for_one_field_with_different_values_is_a_problem()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"receiveType":"chat","receive_id_type":"user","receiveId":"oc_1","receive_id":"oc_1","content":"x"}"""));

        var problem = Assert.Single(MessageValidator.Validate(input).Problems);
        Assert.Equal("receiveType", problem.Field);
        Assert.Equal("is given twice with different values, as 'receiveType' and 'receive_id_type'", problem.Problem);
        Assert.Equal("chat", input.ReceiveType);
    }

    [Fact]
    public void Null_values_are_absent()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"receiveType":null,"receiveId":"ou_1","contentType":null,"content":"x","uuid":null}"""));

        Assert.True(MessageValidator.Validate(input).IsValid);
    }

    [Fact]
    public void Invalid_json_throws_with_the_position()
    {
        var error = Assert.Throws<SeedBodyException>(() => SeedBodyParser.Parse("[\n  {\"receiveId\": \"ou_1\",\n   \"content\" \"x\"}\n]"));

        Assert.Equal(3, error.LineNumber);
        Assert.Equal(14, error.PositionInLine);
        Assert.Equal("line 3, position 14", error.Position);
        Assert.StartsWith("The message body is not valid JSON at line 3, position 14: ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Theory]
    [InlineData("\"just a string\"", "The message body is a JSON string; expected")]
    [InlineData("42", "The message body is a JSON number; expected")]
    [InlineData("", "The message body is empty")]
    [InlineData("  \n ", "The message body is empty")]
    [InlineData("Disk full", "The message body is not valid JSON at line 1, position 1")]
    public void A_body_of_the_wrong_shape_throws(string body, string start)
    {
        var error = Assert.Throws<SeedBodyException>(() => SeedBodyParser.Parse(body));

        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_array_is_no_inputs()
    {
        Assert.Empty(SeedBodyParser.Parse("[]"));
    }

    [Fact]
    public void Trailing_commas_and_comments_are_tolerated()
    {
        var inputs = SeedBodyParser.Parse("[ // alerts\n {\"receiveId\":\"ou_1\",\"content\":\"a\",}, ]");

        Assert.Single(inputs);
    }
}
