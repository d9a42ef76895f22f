using LarkPS.Messages;
using Xunit;
using static LarkPS.UnitTests.Messages.MessageTestHelpers;

namespace LarkPS.UnitTests.Messages;

public class ReceiveTargetTests
{
    [Theory]
    [InlineData(null, "ou_abc", "user", "open_id")]
    [InlineData("", "ou_abc", "user", "open_id")]
    [InlineData("user", "ou_abc", "user", "open_id")]
    [InlineData(" User ", "ou_abc", "user", "open_id")]
    [InlineData("open_id", "ou_abc", "open_id", "open_id")]
    [InlineData("OPEN_ID", "ou_abc", "open_id", "open_id")]
    [InlineData("union_id", "on_abc", "union_id", "union_id")]
    [InlineData("user_id", "5d9bdxxx", "user_id", "user_id")]
    [InlineData("email", "someone@example.com", "email", "email")]
    [InlineData("Email", "first.last+tag@mail.example.co.uk", "email", "email")]
    [InlineData("chat", "oc_abc", "chat", "chat_id")]
    [InlineData("chat_id", "oc_abc", "chat_id", "chat_id")]
    public void Every_receive_type_maps_to_its_receive_id_type(string? receiveType, string receiveId, string normalized, string idType)
    {
        var problems = new List<ValidationProblem>();

        var target = ReceiveTarget.Create(receiveType, receiveId, problems);

        Assert.Empty(problems);
        Assert.NotNull(target);
        Assert.Equal(normalized, target!.ReceiveType);
        Assert.Equal(idType, target.ReceiveIdType);
        Assert.Equal(receiveId, target.ReceiveId);
        Assert.False(target.NeedsResolution);
        Assert.Null(target.Phone);
    }

    [Fact]
    public void The_receive_id_is_trimmed()
    {
        var target = ReceiveTarget.Create("user", "  ou_abc\t", new List<ValidationProblem>());

        Assert.Equal("ou_abc", target!.ReceiveId);
    }

    [Fact]
    public void A_phone_needs_resolution_and_carries_the_normalized_number()
    {
        var problems = new List<ValidationProblem>();

        var target = ReceiveTarget.Create("phone", "+86 138 0000 0001", problems);

        Assert.Empty(problems);
        Assert.Equal("phone", target!.ReceiveType);
        Assert.Equal("open_id", target.ReceiveIdType);
        Assert.Null(target.ReceiveId);
        Assert.True(target.NeedsResolution);
        Assert.Equal("13800000001", target.Phone!.LookupValue);
        Assert.Equal("+8613800000001", target.Phone.CanonicalKey);
    }

    [Theory]
    [InlineData("user", "abc", "'abc' is not an open_id", "an open_id starting with 'ou_'")]
    [InlineData("user", "ou_", "'ou_' is not an open_id", "an open_id starting with 'ou_'")]
    [InlineData("open_id", "ou_ab c", "'ou_ab c' is not an open_id", "an open_id starting with 'ou_'")]
    [InlineData("open_id", "OU_abc", "'OU_abc' is not an open_id", "an open_id starting with 'ou_'")]
    [InlineData("union_id", "ou_abc", "'ou_abc' is not a union_id (it looks like one for receiveType 'user')", "a union_id starting with 'on_'")]
    [InlineData("chat", "abc", "'abc' is not a chat id", "a chat_id starting with 'oc_'")]
    [InlineData("chat_id", "ou_abc", "'ou_abc' is not a chat id (it looks like one for receiveType 'user')", "a chat_id starting with 'oc_'")]
    [InlineData("user", "oc_abc", "'oc_abc' is not an open_id (it looks like one for receiveType 'chat')", "an open_id starting with 'ou_'")]
    [InlineData("user", "on_abc", "'on_abc' is not an open_id (it looks like one for receiveType 'union_id')", "an open_id starting with 'ou_'")]
    [InlineData("user", "a@example.com", "'a@example.com' is not an open_id (it looks like one for receiveType 'email')", "an open_id starting with 'ou_'")]
    [InlineData("user", "13800000001", "'13800000001' is not an open_id (it looks like one for receiveType 'phone')", "an open_id starting with 'ou_'")]
    [InlineData("email", "someone", "'someone' is not an e-mail address", "an e-mail address like 'name@example.com'")]
    [InlineData("email", "someone@localhost", "'someone@localhost' is not an e-mail address", "an e-mail address like 'name@example.com'")]
    [InlineData("email", "a b@example.com", "'a b@example.com' is not an e-mail address", "an e-mail address like 'name@example.com'")]
    [InlineData("email", "a@@example.com", "'a@@example.com' is not an e-mail address", "an e-mail address like 'name@example.com'")]
    [InlineData("email", "a@example.", "'a@example.' is not an e-mail address", "an e-mail address like 'name@example.com'")]
    [InlineData("user_id", "abc def", "'abc def' has spaces, which a user_id never has", "a user_id without spaces")]
    [InlineData("phone", "12345", "'12345' is not a mainland China mobile number and has no '+' country code", PhoneNumber.ExpectedShape)]
    [InlineData("phone", "+1", "'+1' has 1 digit after the '+'; an international number has 7 to 15, country code included", PhoneNumber.ExpectedShape)]
    public void A_bad_receive_id_names_the_value_and_the_expected_form(string receiveType, string receiveId, string problem, string expected)
    {
        var result = Validate("hi", receiveType: receiveType, receiveId: receiveId);

        var found = AssertSingleProblem(result, "receiveId");
        Assert.Equal(problem, found.Problem);
        Assert.Equal(expected, found.Expected);
        Assert.Equal("string", found.ActualKind);
    }

    [Theory]
    [InlineData("user", "an open_id starting with 'ou_'")]
    [InlineData("chat", "a chat_id starting with 'oc_'")]
    [InlineData("email", "an e-mail address like 'name@example.com'")]
    [InlineData("phone", PhoneNumber.ExpectedShape)]
    [InlineData("user_id", "a user_id without spaces")]
    [InlineData("union_id", "a union_id starting with 'on_'")]
    public void A_missing_receive_id_says_what_the_type_takes(string receiveType, string expected)
    {
        foreach (var missing in new[] { null, "", "   " })
        {
            var result = Validate("hi", receiveType: receiveType, receiveId: missing);

            var problem = AssertSingleProblem(result, "receiveId");
            Assert.Equal("is missing", problem.Problem);
            Assert.Equal(expected, problem.Expected);
            Assert.Equal("missing", problem.ActualKind);
        }
    }

    [Theory]
    [InlineData("users")]
    [InlineData("mobile")]
    [InlineData("group")]
    [InlineData("open-id")]
    public void An_unknown_receive_type_lists_the_allowed_values(string receiveType)
    {
        var result = Validate("hi", receiveType: receiveType);

        var problem = AssertSingleProblem(result, "receiveType");
        Assert.Equal("'" + receiveType + "' is not a receive type", problem.Problem);
        Assert.Equal(
            "'user', 'email', 'phone', 'chat', 'open_id', 'union_id', 'user_id' or 'chat_id'",
            problem.Expected);
    }

    [Fact]
    public void The_spec_example_reads_well()
    {
        var result = Validate("hi", receiveType: "chat", receiveId: "abc");

        Assert.Equal(
            "receiveId: 'abc' is not a chat id; expected a chat_id starting with 'oc_'",
            AssertSingleProblem(result, "receiveId").ToString());
    }

    [Theory]
    [InlineData("user", "ou_abc", "user", "open_id", "ou_abc")]
    [InlineData("email", "a@example.com", "email", "email", "a@example.com")]
    [InlineData("chat", "oc_abc", "chat", "chat_id", "oc_abc")]
    [InlineData("union_id", "on_abc", "union_id", "union_id", "on_abc")]
    [InlineData("user_id", "u123", "user_id", "user_id", "u123")]
    public void A_valid_message_carries_the_target(string receiveType, string receiveId, string type, string idType, string id)
    {
        var message = AssertValid(Validate("hi", receiveType: receiveType, receiveId: receiveId));

        Assert.Equal(type, message.ReceiveType);
        Assert.Equal(idType, message.ReceiveIdType);
        Assert.Equal(id, message.ReceiveId);
        Assert.Null(message.PhoneToResolve);
        Assert.False(message.NeedsResolution);
    }

    [Fact]
    public void A_valid_phone_message_waits_for_its_open_id()
    {
        var message = AssertValid(Validate("hi", receiveType: "Phone", receiveId: "0086 138-0000-0001"));

        Assert.Equal("phone", message.ReceiveType);
        Assert.Equal("open_id", message.ReceiveIdType);
        Assert.Null(message.ReceiveId);
        Assert.True(message.NeedsResolution);
        Assert.Equal("13800000001", message.PhoneToResolve!.LookupValue);
    }

    [Fact]
    public void Create_requires_a_problem_list()
    {
        Assert.Throws<ArgumentNullException>(() => ReceiveTarget.Create("user", "ou_a", null!));
    }
}
