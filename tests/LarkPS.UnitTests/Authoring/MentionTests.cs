using LarkPS.Authoring;
using Xunit;
using static LarkPS.UnitTests.Authoring.AuthoringTestKit;

namespace LarkPS.UnitTests.Authoring;

public class MentionTests
{
    private const string Alice = "ou_94e54bbce8572323ffd2743ed383ebd7";

    [Theory]
    [InlineData("all", "all", null)]
    [InlineData("@all", "all", null)]
    [InlineData(Alice, Alice, null)]
    [InlineData(" alice@example.com ", null, "alice@example.com")]
    public void A_mention_is_everyone_an_open_id_or_an_email_to_look_up(string given, string? id, string? email)
    {
        var input = MentionInput.Parse(given);

        Assert.Null(input.Problem);
        Assert.Equal(id, input.Mention?.Id);
        Assert.Equal(email, input.Email);
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("oc_39927562fa25da07df6771450e18c70e")]
    [InlineData("a@b@c")]
    [InlineData("")]
    public void Anything_else_is_a_problem_that_says_what_a_mention_can_be(string given)
    {
        var input = MentionInput.Parse(given);

        Assert.Null(input.Mention);
        Assert.Null(input.Email);
        Assert.Contains("neither 'all', an open_id (ou_…) nor an e-mail address", input.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_content_type_gets_its_own_form()
    {
        var mentions = new[] { Mention.User(Alice), Mention.All };

        Assert.Equal("<at user_id=\"" + Alice + "\"></at> <at user_id=\"all\"></at>", MentionWriter.ForText(mentions));
        Assert.Equal("<at id=" + Alice + "></at> <at id=all></at>", MentionWriter.ForCardMarkdown(mentions));
    }

    [Fact]
    public void Mentions_are_added_to_text_post_and_card_content()
    {
        var mentions = new[] { Mention.User(Alice) };

        var text = MentionWriter.AddToContent("text", "{\"text\":\"disk full\"}", mentions);
        Assert.Equal("disk full <at user_id=\"" + Alice + "\"></at>", Parse(text).GetProperty("text").GetString());
        AssertSendable(text, "text");

        var post = MentionWriter.AddToContent("post", "{\"zh_cn\":{\"content\":[[{\"tag\":\"md\",\"text\":\"**x**\"}]]},\"en_us\":{\"content\":[[{\"tag\":\"text\",\"text\":\"x\"}]]}}", mentions);
        Assert.Equal("at", Parse(post).GetProperty("en_us").GetProperty("content")[1][0].GetProperty("tag").GetString());
        Assert.Equal(Alice, Parse(post).GetProperty("zh_cn").GetProperty("content")[1][0].GetProperty("user_id").GetString());
        AssertSendable(post, "post");

        var card = MentionWriter.AddToContent("interactive", "{\"schema\":\"2.0\",\"body\":{\"elements\":[{\"tag\":\"hr\"}]}}", mentions);
        Assert.Equal("<at id=" + Alice + "></at>", Elements(card)[1].GetProperty("content").GetString());
        AssertSendable(card);

        var v1 = MentionWriter.AddToContent("interactive", "{\"elements\":[]}", mentions);
        Assert.Equal("lark_md", Parse(v1).GetProperty("elements")[0].GetProperty("text").GetProperty("tag").GetString());

        Assert.Contains("cannot carry mentions", Assert.Throws<ArgumentException>(() => MentionWriter.AddToContent("image", "{\"image_key\":\"img_1\"}", mentions)).Message, StringComparison.Ordinal);
        Assert.StartsWith("An image message cannot", Assert.Throws<ArgumentException>(() => MentionWriter.AddToContent("image", "{\"image_key\":\"img_1\"}", mentions)).Message, StringComparison.Ordinal);
        Assert.StartsWith("An interactive template", Assert.Throws<ArgumentException>(() => MentionWriter.AddToContent("interactive", "{\"type\":\"template\",\"data\":{\"template_id\":\"t\"}}", mentions)).Message, StringComparison.Ordinal);
        Assert.StartsWith("A file message cannot", Assert.Throws<ArgumentException>(() => MentionWriter.AddToContent("file", "{\"file_key\":\"file_1\"}", mentions)).Message, StringComparison.Ordinal);
        Assert.Contains("template", Assert.Throws<ArgumentException>(() => MentionWriter.AddToContent("interactive", "{\"type\":\"template\",\"data\":{\"template_id\":\"x\"}}", mentions)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_characters_become_Larks_entities_and_other_text_is_untouched()
    {
        Assert.Equal("&#60;&#62;&#42;&#91;&#93;&#40;&#41;&#35;&#95;&#92;&#58;&#47;&#33;&#43;&#45;&#34;&#39;&#36;&#96;&sim;", MarkdownEscaper.Escape("<>*[]()#_\\:/!+-\"'$`~"));
        Assert.Equal("plain text, 中文 & 1.5", MarkdownEscaper.Escape("plain text, 中文 & 1.5"));
        // A named entity typed in a value (&lt; &amp; &sim;) shows as typed: its '&' is written &#38;, a lone '&' stays.
        Assert.Equal("a &#38;lt; b &#38;amp; c &#38;sim; AT&T &x", MarkdownEscaper.Escape("a &lt; b &amp; c &sim; AT&T &x"));
        Assert.Equal(string.Empty, MarkdownEscaper.Escape(string.Empty));
    }
}
