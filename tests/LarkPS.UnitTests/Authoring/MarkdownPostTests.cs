using LarkPS.Authoring;
using Xunit;
using static LarkPS.UnitTests.Authoring.AuthoringTestKit;

namespace LarkPS.UnitTests.Authoring;

public class MarkdownPostTests
{
    private const string Alice = "ou_94e54bbce8572323ffd2743ed383ebd7";

    [Fact]
    public void Each_blank_line_block_is_one_md_paragraph_and_a_fence_stays_whole()
    {
        const string markdown = "**Backup** done\n- db-01\n- db-02\n\n```\npg_dumpall\n\nexit\n```\n\n> all green";

        var post = MarkdownPost.Build("Nightly", markdown);

        Assert.Empty(post.Problems);
        Assert.Equal("post", post.MsgType);
        var locale = Parse(post.ContentJson).GetProperty("zh_cn");
        Assert.Equal("Nightly", locale.GetProperty("title").GetString());
        var paragraphs = locale.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(3, paragraphs.Count);
        Assert.All(paragraphs, p => Assert.Equal("md", Assert.Single(p.EnumerateArray()).GetProperty("tag").GetString()));
        Assert.Equal("**Backup** done\n- db-01\n- db-02", paragraphs[0][0].GetProperty("text").GetString());
        Assert.Equal("```\npg_dumpall\n\nexit\n```", paragraphs[1][0].GetProperty("text").GetString());
        Assert.Equal("> all green", paragraphs[2][0].GetProperty("text").GetString());
        AssertSendable(post.ContentJson, "post");
    }

    [Fact]
    public void What_post_markdown_cannot_show_is_reported_with_its_line_and_sent_as_written()
    {
        const string markdown = "# Status\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![chart](https://example.com/c.png)\n\n<b>bold</b> and <font color='red'>red</font>\n\nsee `# not a heading` and `<b>`";

        var post = MarkdownPost.Build(null, markdown);

        var problems = post.Problems.Select(p => p.Field + ": " + p.Problem).ToList();
        Assert.Equal(5, problems.Count);
        Assert.StartsWith("markdown line 1: '# Status' is a heading", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("markdown line 4: starts a markdown table", problems[1], StringComparison.Ordinal);
        Assert.Contains("markdown line 7: '![chart](https://example.com/c.png)' is an image by link", problems[2], StringComparison.Ordinal);
        Assert.StartsWith("markdown line 9: '<b>' is HTML", problems[3], StringComparison.Ordinal);
        Assert.StartsWith("markdown line 9: '<font color='red'>' sets a colour", problems[4], StringComparison.Ordinal);
        Assert.All(post.Problems, p => Assert.False(string.IsNullOrEmpty(p.Expected)));

        // Nothing is dropped or rewritten: every block goes as written.
        var texts = Parse(post.ContentJson).GetProperty("zh_cn").GetProperty("content").EnumerateArray().Select(p => p[0].GetProperty("text").GetString()).ToList();
        Assert.Equal(markdown, string.Join("\n\n", texts));
        AssertSendable(post.ContentJson, "post");
    }

    [Fact]
    public void An_image_by_its_key_alone_in_its_block_is_an_img_paragraph_and_inline_it_is_a_problem()
    {
        var post = MarkdownPost.Build(null, "Chart:\n\n![cpu](img_v2_041b28e3-5680-48c2-9af2-497ace79333g)\n\ntext ![x](img_v2_abc) more");

        var paragraphs = Parse(post.ContentJson).GetProperty("zh_cn").GetProperty("content");
        Assert.Equal("img", paragraphs[1][0].GetProperty("tag").GetString());
        Assert.Equal("img_v2_041b28e3-5680-48c2-9af2-497ace79333g", paragraphs[1][0].GetProperty("image_key").GetString());
        var problem = Assert.Single(post.Problems);
        Assert.Equal("markdown line 5", problem.Field);
        Assert.Contains("inside a paragraph", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Mentions_are_a_last_paragraph_of_at_nodes_and_md_mentions_are_not_HTML()
    {
        var post = MarkdownPost.Build("T", "cc <at user_id=\"" + Alice + "\">Alice</at>", new[] { Mention.User(Alice), Mention.All, Mention.User(Alice) });

        Assert.Empty(post.Problems);
        var paragraphs = Parse(post.ContentJson).GetProperty("zh_cn").GetProperty("content").EnumerateArray().ToList();
        var last = paragraphs[1].EnumerateArray().ToList();
        Assert.Equal(new[] { "at", "text", "at" }, last.Select(n => n.GetProperty("tag").GetString()));
        Assert.Equal(Alice, last[0].GetProperty("user_id").GetString());
        Assert.Equal("all", last[2].GetProperty("user_id").GetString());
        AssertSendable(post.ContentJson, "post");
    }

    [Fact]
    public void Empty_markdown_is_a_problem_but_mentions_alone_make_a_post()
    {
        Assert.Equal("markdown", Assert.Single(MarkdownPost.Build(null, " \n\n ").Problems).Field);

        var onlyMentions = MarkdownPost.Build(null, string.Empty, new[] { Mention.All });
        Assert.Empty(onlyMentions.Problems);
        AssertSendable(onlyMentions.ContentJson, "post");
    }
}
