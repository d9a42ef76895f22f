using System.Text;
using LarkPS.Messages;
using LarkPS.TestCases;
using Xunit;

namespace LarkPS.UnitTests.Messages;

/// <summary>The module's validator against the shared content cases: valid exactly where Lark sends the message.</summary>
public class ContentCasesTests
{
    [Theory]
    [MemberData(nameof(ContentCases.Names), MemberType = typeof(ContentCases))]
    public void The_validator_gives_larks_verdict(string name)
    {
        var item = ContentCases.Get(name);

        var result = MessageValidator.Validate(new MessageInput
        {
            ReceiveType = ReceiveTypes.Chat,
            ReceiveId = ContentCases.ReceiveId,
            ContentType = item.MsgType,
            Content = item.Content,
        }, item.Uuid);

        Assert.True(
            result.IsValid == item.LarkPSAccepts,
            $"{name}: {item.Verdict} ({item.Source}), but the validator says " + (result.IsValid ? "valid" : "invalid: " + result));
        if (result.IsValid)
        {
            // What would be sent is the case's content, byte for byte, in the body the sandbox test sends.
            Assert.Equal(item.Content, result.Message!.Content);
            Assert.Equal(ContentCases.RequestBody(item), result.Message.ToRequestBody());
        }
    }

    [Fact]
    public void The_cases_cover_every_msg_type_both_verdicts_and_every_post_tag()
    {
        var cases = ContentCases.All;

        Assert.Equal(ContentTypes.All.OrderBy(t => t), cases.Select(c => c.MsgType).Distinct().OrderBy(t => t));
        foreach (var msgType in ContentTypes.All)
        {
            Assert.Contains(cases, c => c.MsgType == msgType && c.Accepted);
            Assert.Contains(cases, c => c.MsgType == msgType && !c.Accepted);
        }

        foreach (var tag in ContentRules.PostTags)
        {
            Assert.Contains(cases, c => c.MsgType == "post" && c.Accepted && c.Content.Contains("\"tag\":\"" + tag + "\"", StringComparison.Ordinal));
        }

        Assert.All(cases, c => Assert.False(string.IsNullOrWhiteSpace(c.Source), c.Name + " has no source"));
        Assert.Contains(cases, c => c.Code == 230025 && c.MsgType == "text");
        Assert.Contains(cases, c => c.Accepted && Encoding.UTF8.GetByteCount(ContentCases.RequestBody(c)) == MessageLimits.TextBodyBytes);
        Assert.Contains(cases, c => c.Accepted && c.MsgType == "post" && Encoding.UTF8.GetByteCount(ContentCases.RequestBody(c)) == MessageLimits.CardBodyBytes);
        Assert.Contains(cases, c => c.Accepted && c.MsgType == "interactive" && Encoding.UTF8.GetByteCount(ContentCases.RequestBody(c)) == MessageLimits.CardBodyBytes);
    }
}
