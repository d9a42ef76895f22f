using System.Text;
using LarkPS.Messages;
using Xunit;
using static LarkPS.UnitTests.Messages.MessageTestHelpers;

namespace LarkPS.UnitTests.Messages;

public class SizeAndUuidValidationTests
{
    [Theory]
    [InlineData("text", 150 * 1024)]
    [InlineData("file", 150 * 1024)]
    [InlineData("post", 30 * 1024)]
    [InlineData("interactive", 30 * 1024)]
    public void The_limit_per_type(string msgType, int limit)
    {
        Assert.Equal(limit, MessageLimits.MaxBodyBytes(msgType));
    }

    [Theory]
    [InlineData("a", 150 * 1024)]
    [InlineData("中", 150 * 1024)]
    public void A_text_body_at_the_limit_passes_and_one_byte_over_fails(string unit, int limit)
    {
        var atLimit = TextOfBodySize(limit, unit);
        var message = AssertValid(Validate(atLimit));
        // Sized as sent: Send-LarkMessage adds a generated uuid to an item that has none.
        Assert.Equal(limit, Encoding.UTF8.GetByteCount(message.ToRequestBody()) + OutgoingMessage.GeneratedUuidBytes);
        Assert.Equal(limit, message.GetRequestBodyByteCount());

        var over = Validate(atLimit + "a");
        var problem = AssertSingleProblem(over, "content");
        Assert.Equal(
            "makes a request body of 153,601 bytes, over the 150 KB limit for text messages",
            problem.Problem);
        Assert.Equal("a request body of at most 153,600 bytes (150 KB)", problem.Expected);
    }

    [Fact]
    public void A_post_at_30_KB_passes_and_one_byte_over_fails()
    {
        const string prefix = "{\"zh_cn\":{\"content\":[[{\"tag\":\"text\",\"text\":\"";
        const string suffix = "\"}]]}}";
        string Post(int n) => prefix + new string('a', n) + suffix;
        var overhead = Validate(Post(1), "post").Message!.GetRequestBodyByteCount() - 1;
        var fill = MessageLimits.CardBodyBytes - overhead;

        var atLimit = AssertValid(Validate(Post(fill), "post"));
        Assert.Equal(MessageLimits.CardBodyBytes, Encoding.UTF8.GetByteCount(atLimit.ToRequestBody()) + OutgoingMessage.GeneratedUuidBytes);

        var problem = AssertSingleProblem(Validate(Post(fill + 1), "post"), "content");
        Assert.Equal(
            "makes a request body of 30,721 bytes, over the 30 KB limit for post and interactive messages",
            problem.Problem);
    }

    [Fact]
    public void A_card_that_would_pass_as_text_fails_as_interactive()
    {
        var big = new string('x', 40 * 1024);
        var card = "{\"elements\":[{\"tag\":\"markdown\",\"content\":\"" + big + "\"}]}";

        AssertSingleProblem(Validate(card, "interactive"), "content");
        AssertValid(Validate("{\"file_key\":\"file_v2_" + big + "\"}", "file"));
    }

    [Fact]
    public void A_uuid_counts_toward_the_size()
    {
        var atLimit = TextOfBodySize(MessageLimits.TextBodyBytes, "a");

        // Sized for a generated 32-character uuid; the item's own 50-character one makes it 18 bytes longer.
        AssertValid(Validate(atLimit));
        AssertSingleProblem(Validate(atLimit, uuid: new string('u', 50)), "content");
    }

    [Fact]
    public void An_unresolved_phone_is_sized_with_an_open_id_of_real_length()
    {
        var text = TextOfBodySize(MessageLimits.TextBodyBytes, "a");

        var message = AssertValid(Validate(text, receiveType: "phone", receiveId: "13800000001"));

        Assert.Equal(MessageLimits.TextBodyBytes, message.GetRequestBodyByteCount());
        Assert.Equal(OpenId.Length, "ou_00000000000000000000000000000000".Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(36)]
    [InlineData(50)]
    public void A_uuid_of_up_to_50_characters_is_kept(int length)
    {
        var uuid = new string('u', length);

        Assert.Equal(uuid, AssertValid(Validate("hi", uuid: uuid)).Uuid);
    }

    [Fact]
    public void A_uuid_over_50_characters_is_a_problem()
    {
        var problem = AssertSingleProblem(Validate("hi", uuid: new string('u', 51)), "uuid");

        Assert.Equal("uuid: has 51 characters; expected at most 50", problem.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_uuid_means_none(string? uuid)
    {
        Assert.Null(AssertValid(Validate("hi", uuid: uuid)).Uuid);
    }

    [Fact]
    public void Every_problem_of_an_item_is_reported()
    {
        var result = MessageValidator.Validate(new MessageInput
        {
            ReceiveType = "chat",
            ReceiveId = "ou_abc",
            ContentType = "image",
            Content = "{\"img\":1}",
            Uuid = new string('u', 60),
            SourceDescription = "item 3 (receiveId 'ou_abc')",
        });

        Assert.False(result.IsValid);
        Assert.Null(result.Message);
        Assert.Equal(new[] { "receiveId", "content.image_key", "uuid" }, result.Problems.Select(p => p.Field));
        Assert.StartsWith("item 3 (receiveId 'ou_abc'): receiveId: 'ou_abc' is not a chat id", result.ToString(), StringComparison.Ordinal);
        Assert.Contains(" | content.image_key: is missing", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_type_names_and_bad_content_json_are_reported_together()
    {
        var result = Validate("{oops", contentType: "imag", receiveType: "usr");

        Assert.Equal(new[] { "receiveType", "contentType", "content" }, result.Problems.Select(p => p.Field));
        Assert.StartsWith("is not valid JSON", result.Problems[2].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_size_problem_is_reported_even_when_the_receiver_is_wrong()
    {
        var result = Validate(new string('a', 160 * 1024), receiveId: "nope");

        Assert.Equal(new[] { "receiveId", "content" }, result.Problems.Select(p => p.Field));
    }

    [Fact]
    public void Read_problems_are_reported_with_the_others()
    {
        var input = new MessageInput { ReceiveId = "bad", Content = "hi" };
        input.ReadProblems.Add(new ValidationProblem("uuid", "is an object", "a string", "object"));

        var result = MessageValidator.Validate(input);

        Assert.Equal(new[] { "uuid", "receiveId" }, result.Problems.Select(p => p.Field));
    }

    [Fact]
    public void A_valid_result_reads_as_the_message()
    {
        Assert.Equal("text to open_id '" + OpenId + "'", Validate("hi").ToString());
    }

    [Fact]
    public void Validate_rejects_a_null_input_as_a_programming_error()
    {
        Assert.Throws<ArgumentNullException>(() => MessageValidator.Validate(null!));
    }

    // Text whose request body to OpenId is exactly `bytes` long, built from `unit` (1 or 3 UTF-8 bytes) and 'a'.
    private static string TextOfBodySize(int bytes, string unit)
    {
        var overhead = Validate("a").Message!.GetRequestBodyByteCount() - 1;
        var fill = bytes - overhead;
        var unitBytes = Encoding.UTF8.GetByteCount(unit);
        var units = fill / unitBytes;
        return string.Concat(Enumerable.Repeat(unit, units)) + new string('a', fill - (units * unitBytes));
    }
}
