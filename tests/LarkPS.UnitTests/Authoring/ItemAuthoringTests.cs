using System.Collections.Generic;
using System.Text.Json;
using LarkPS.Authoring;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Authoring;

/// <summary>
/// The item path's authoring step (issue 22): -Markdown / an item's markdown becomes a post, -Mention is written in
/// the form each content type needs, and what cannot be done is a problem of that item only. Each case goes on
/// through the one validator, so what is asserted is the body that would be sent.
/// </summary>
public class ItemAuthoringTests
{
    private const string Alice = "ou_94e54bbce8572323ffd2743ed383ebd7";
    private const string Chat = "oc_39927562fa25da07df6771450e18c70e";

    private static readonly ItemAuthoring WithAlice = new(new[] { Mention.User(Alice) }, System.Array.Empty<string>());

    private static (MessageValidationResult Result, MessageInput Input) Prepare(MessageInput item, MessageParameters parameters, ItemAuthoring authoring)
    {
        var input = Assert.Single(MessageDefaults.Apply(item, parameters));
        authoring.Apply(input);
        return (MessageValidator.Validate(input, "u1"), input);
    }

    private static JsonElement SentContent(MessageValidationResult result)
    {
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        return JsonDocument.Parse(result.Message!.Content).RootElement;
    }

    [Fact]
    public void Markdown_as_a_parameter_is_a_post_of_md_nodes_with_its_title()
    {
        var (result, input) = Prepare(null!, new MessageParameters { ReceiveIds = new[] { Chat }, Markdown = "**Disk** 93%\n\nSee [runbook](https://example.com)", Title = "db-02" }, ItemAuthoring.None);

        Assert.Equal("post", result.Message!.MsgType);
        var post = SentContent(result).GetProperty("zh_cn");
        Assert.Equal("db-02", post.GetProperty("title").GetString());
        var paragraphs = post.GetProperty("content");
        Assert.Equal(2, paragraphs.GetArrayLength());
        Assert.Equal("md", paragraphs[0][0].GetProperty("tag").GetString());
        Assert.Equal("**Disk** 93%", paragraphs[0][0].GetProperty("text").GetString());
        Assert.Empty(input.Notes);
    }

    [Fact]
    public void An_items_markdown_and_title_win_over_the_parameters_and_a_title_without_markdown_is_ignored()
    {
        var withMarkdown = new MessageInput { ReceiveId = Chat, Markdown = "mine", Title = "My title" };
        var (result, _) = Prepare(withMarkdown, new MessageParameters { Markdown = "theirs", Title = "Their title" }, ItemAuthoring.None);
        var post = SentContent(result).GetProperty("zh_cn");
        Assert.Equal("My title", post.GetProperty("title").GetString());
        Assert.Equal("mine", post.GetProperty("content")[0][0].GetProperty("text").GetString());

        // A directory object's Title (a job title) beside a text is no post title, and no problem.
        var person = new MessageInput { ReceiveId = Chat, Text = "hello", Title = "Senior Engineer", TitleProblem = null };
        var (text, _) = Prepare(person, new MessageParameters(), ItemAuthoring.None);
        Assert.Equal("text", text.Message!.MsgType);
        Assert.Equal("hello", SentContent(text).GetProperty("text").GetString());
    }

    [Fact]
    public void What_Larks_post_markdown_does_not_show_is_a_note_and_the_text_is_sent_as_written()
    {
        var (result, input) = Prepare(null!, new MessageParameters { ReceiveIds = new[] { Chat }, Markdown = "# Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |" }, ItemAuthoring.None);

        Assert.True(result.IsValid);
        Assert.Equal(2, input.Notes.Count);
        Assert.Contains(input.Notes, n => n.Problem.Contains("is a heading", System.StringComparison.Ordinal));
        Assert.Contains(input.Notes, n => n.Problem.Contains("markdown table", System.StringComparison.Ordinal));
        Assert.Equal("# Heading", SentContent(result).GetProperty("zh_cn").GetProperty("content")[0][0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("text")]
    [InlineData("interactive")]
    public void Markdown_beside_another_content_type_or_content_is_that_items_problem(string contentType)
    {
        var (typed, _) = Prepare(new MessageInput { ReceiveId = Chat, Markdown = "x", ContentType = contentType }, new MessageParameters(), ItemAuthoring.None);
        Assert.Contains(typed.Problems, p => p.Field == "contentType" && p.Problem.Contains("markdown is sent as a post", System.StringComparison.Ordinal));

        var (both, _) = Prepare(new MessageInput { ReceiveId = Chat, Markdown = "x", Text = "y" }, new MessageParameters(), ItemAuthoring.None);
        Assert.Contains(both.Problems, p => p.Field == "markdown" && p.Problem == "is given together with text");
    }

    [Fact]
    public void Empty_markdown_is_a_problem()
    {
        var (result, _) = Prepare(new MessageInput { ReceiveId = Chat, Markdown = "  " }, new MessageParameters(), ItemAuthoring.None);
        Assert.Contains(result.Problems, p => p.Field == "markdown" && p.Problem == "is empty");
    }

    [Fact]
    public void A_mention_follows_a_text_given_as_text_or_as_a_plain_string_or_as_json()
    {
        foreach (var item in new[]
        {
            new MessageInput { ReceiveId = Chat, Text = "Disk full" },
            new MessageInput { ReceiveId = Chat, Content = "Disk full" },
            new MessageInput { ReceiveId = Chat, Content = "{\"text\":\"Disk full\"}" },
            new MessageInput { ReceiveId = Chat, Content = new Dictionary<string, object?> { ["text"] = "Disk full" } },
        })
        {
            var (result, _) = Prepare(item, new MessageParameters(), WithAlice);
            Assert.Equal("Disk full <at user_id=\"" + Alice + "\"></at>", SentContent(result).GetProperty("text").GetString());
        }
    }

    [Fact]
    public void A_mention_is_an_at_node_in_a_post_and_markdown_and_card_markdown_in_a_card()
    {
        var (markdown, _) = Prepare(new MessageInput { ReceiveId = Chat, Markdown = "Please look" }, new MessageParameters(), WithAlice);
        var paragraphs = SentContent(markdown).GetProperty("zh_cn").GetProperty("content");
        var at = paragraphs[paragraphs.GetArrayLength() - 1][0];
        Assert.Equal("at", at.GetProperty("tag").GetString());
        Assert.Equal(Alice, at.GetProperty("user_id").GetString());

        var card = "{\"schema\":\"2.0\",\"body\":{\"elements\":[{\"tag\":\"markdown\",\"content\":\"Disk full\"}]}}";
        var (interactive, _) = Prepare(new MessageInput { ReceiveId = Chat, ContentType = "interactive", Content = card }, new MessageParameters(), WithAlice);
        var elements = SentContent(interactive).GetProperty("body").GetProperty("elements");
        Assert.Equal(2, elements.GetArrayLength());
        Assert.Equal("<at id=" + Alice + "></at>", elements[1].GetProperty("content").GetString());
    }

    [Fact]
    public void A_mention_on_an_image_is_that_items_problem_naming_what_can_carry_one()
    {
        var (result, _) = Prepare(new MessageInput { ReceiveId = Chat, ContentType = "image", Content = "{\"image_key\":\"img_v2_1\"}" }, new MessageParameters(), WithAlice);

        var problem = Assert.Single(result.Problems, p => p.Field == "mention");
        Assert.Contains("cannot carry mentions", problem.Problem, System.StringComparison.Ordinal);
        Assert.Contains("-Text", problem.Expected, System.StringComparison.Ordinal);
    }

    [Fact]
    public void An_email_mention_that_cannot_be_looked_up_now_is_a_note_never_an_invented_id()
    {
        var offline = new ItemAuthoring(System.Array.Empty<Mention>(), new[] { "alice@example.com" });
        var (result, input) = Prepare(new MessageInput { ReceiveId = Chat, Text = "hi" }, new MessageParameters(), offline);

        Assert.Equal("hi", SentContent(result).GetProperty("text").GetString());
        var note = Assert.Single(input.Notes);
        Assert.Contains("'alice@example.com' is looked up when sent", note.Problem, System.StringComparison.Ordinal);
    }
}
