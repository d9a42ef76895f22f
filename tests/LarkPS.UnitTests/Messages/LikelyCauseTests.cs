using LarkPS.Commands.Support;
using LarkPS.Messages;
using Xunit;
using static LarkPS.UnitTests.Messages.MessageTestHelpers;

namespace LarkPS.UnitTests.Messages;

/// <summary>Issue 26, finding 7: an error says the likely cause and carries its one-line fix.</summary>
public class LikelyCauseTests
{
    [Theory]
    [InlineData("Ops alerts")]
    [InlineData("运维告警")]
    [InlineData("General")]
    public void A_chat_name_without_a_receiveType_says_it_looks_like_a_chat_name(string name)
    {
        var result = Validate("hi", receiveType: null, receiveId: name);

        var problem = AssertSingleProblem(result, "receiveId");
        Assert.Equal(ValidationProblem.Quote(name) + " is not an open_id (without a receiveType an open_id is expected; it looks like a chat's name)", problem.Problem);
        Assert.Equal("-ReceiveType chat to send to the chat of that name, or an open_id starting with 'ou_'", problem.Expected);
        Assert.Equal("Add -ReceiveType chat (or a receiveType 'chat' property) to send to the chat named " + ValidationProblem.Quote(name) + "; Get-LarkChat lists the bot's chats.", result.RecommendedAction);
    }

    [Fact]
    public void A_name_with_spaces_given_as_a_user_still_says_chat_name_but_a_plain_word_does_not()
    {
        var spaced = AssertSingleProblem(Validate("hi", receiveType: "user", receiveId: "Ops alerts"), "receiveId");
        var word = AssertSingleProblem(Validate("hi", receiveType: "user", receiveId: "General"), "receiveId");

        Assert.Equal("'Ops alerts' is not an open_id (it looks like a chat's name)", spaced.Problem);
        Assert.NotNull(spaced.Fix);
        Assert.Equal("'General' is not an open_id", word.Problem);
        Assert.Null(word.Fix);
    }

    [Theory]
    [InlineData("bob@example", "the part after the @ has no dot, as example.com has")]
    [InlineData("bob@", "nothing comes after the @")]
    [InlineData("@example.com", "nothing comes before the @")]
    [InlineData("bob@@example.com", "it has more than one @")]
    [InlineData("bob@example..com", "the part after the @ has an empty piece between dots")]
    public void An_incomplete_email_address_says_what_it_lacks(string id, string flaw)
    {
        var result = Validate("hi", receiveType: null, receiveId: id);

        var problem = AssertSingleProblem(result, "receiveId");
        Assert.Equal(ValidationProblem.Quote(id) + " is not an open_id (it looks like an incomplete e-mail address: " + flaw + ")", problem.Problem);
        Assert.Equal("Write the whole e-mail address, as in 'name@example.com'; receiveType email is then inferred from it.", result.RecommendedAction);
    }

    [Fact]
    public void An_incomplete_email_address_with_receiveType_email_gets_the_fix_too()
    {
        var result = Validate("hi", receiveType: "email", receiveId: "bob@example");

        Assert.Equal("'bob@example' is not an e-mail address", AssertSingleProblem(result, "receiveId").Problem);
        Assert.Equal("Write the whole e-mail address (the part after the @ has no dot, as example.com has), as in 'name@example.com'.", result.RecommendedAction);
    }

    [Fact]
    public void An_id_for_another_receiveType_says_which_one_and_how()
    {
        var result = Validate("hi", receiveType: "chat_id", receiveId: "ou_abc");

        Assert.Equal("Give receiveType 'user' for this id, or no receiveType at all: it is inferred from the id's shape.", result.RecommendedAction);
    }

    [Fact]
    public void Broken_json_read_with_Raw_is_that_one_problem_with_its_place_not_a_missing_receiveId()
    {
        var text = "[\n  {\"receiveId\":\"ou_1\",\"content\":\"a\"}\n  {\"receiveId\":\"ou_2\",\"content\":\"b\"}\n]";

        var input = Assert.Single(PSInputReader.Read(text));
        var result = MessageValidator.Validate(input);

        var problem = AssertSingleProblem(result, "message");
        Assert.Contains("not valid JSON at line 3, position 3", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("a comma is missing between two values", problem.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Problems, p => p.Field == "receiveId" || p.Field == "content");
        Assert.DoesNotContain("receiveId: is missing", result.ToString(), StringComparison.Ordinal);
        Assert.Equal("Correct the JSON at line 3, position 3: a comma is missing between two values; nothing in it was sent.", result.RecommendedAction);
    }

    // Issue 26 item 2 changed this contract (merged after this test was written): a string that is not JSON at all
    // is the message's text, not a problem.
    [Fact]
    public void A_string_that_is_not_json_at_all_is_the_text()
    {
        var input = Assert.Single(PSInputReader.Read("Disk full"));

        Assert.Equal("Disk full", input.Text);
        Assert.DoesNotContain(MessageValidator.Validate(input).Problems, p => p.Field == "message");
    }

    [Fact]
    public void The_recommended_action_is_the_first_problem_with_a_fix_and_null_without_one()
    {
        var both = Validate("{text:hi}", "text", receiveType: null, receiveId: "Ops alerts");
        var none = Validate("hi", receiveType: "user", receiveId: "abc");

        Assert.Equal(2, both.Problems.Count);
        Assert.StartsWith("Add -ReceiveType chat", both.RecommendedAction, StringComparison.Ordinal);
        Assert.Null(none.RecommendedAction);
        Assert.Null(Validate("hi").RecommendedAction);
    }
}
