using LarkPS.Messages;
using Xunit;
using static LarkPS.UnitTests.Messages.MessageTestHelpers;

namespace LarkPS.UnitTests.Messages;

public class PostAndCardValidationTests
{
    [Fact]
    public void A_post_with_several_locales_and_every_node_tag_is_valid()
    {
        const string content = """
            {
              "zh_cn": {"title": "标题", "content": [
                [{"tag":"text","text":"a","style":["bold"]},{"tag":"a","text":"link","href":"https://example.com"},{"tag":"at","user_id":"ou_1"}],
                [{"tag":"img","image_key":"img_1"}],
                [{"tag":"media","file_key":"file_1","image_key":"img_1"}],
                [{"tag":"emotion","emoji_type":"SMILE"}],
                [{"tag":"hr"}],
                [{"tag":"code_block","language":"GO","text":"x := 1"}],
                [{"tag":"md","text":"**bold**"}]
              ]},
              "en_us": {"content": [[{"tag":"text","text":"b"}]]},
              "ja_jp": {"title": "タイトル", "content": [[{"tag":"text","text":"c"}]]}
            }
            """;

        var message = AssertValid(Validate(content, "post"));

        Assert.Equal(3, ContentOf(message).EnumerateObject().Count());
    }

    [Fact]
    public void A_post_body_without_a_locale_says_to_wrap_it()
    {
        var problem = AssertSingleProblem(
            Validate("""{"title":"T","content":[[{"tag":"text","text":"hi"}]]}""", "post"), "content");

        Assert.Equal("is a post body without a locale; Lark requires one", problem.Problem);
        Assert.Contains("{\"zh_cn\":", problem.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_post_wrapper_says_to_unwrap_it()
    {
        var problem = AssertSingleProblem(
            Validate("""{"post":{"zh_cn":{"content":[[{"tag":"text","text":"hi"}]]}}}""", "post"), "content");

        Assert.Contains("'post' wrapper", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_post_has_no_locale()
    {
        Assert.Equal("has no locale", AssertSingleProblem(Validate("{}", "post"), "content").Problem);
    }

    [Theory]
    [InlineData("""{"zh_cn":"hello"}""", "content.zh_cn", "is a string")]
    [InlineData("""{"zh_cn":{"title":"T"}}""", "content.zh_cn.content", "is missing")]
    [InlineData("""{"zh_cn":{"content":{"tag":"text"}}}""", "content.zh_cn.content", "is an object")]
    [InlineData("""{"zh_cn":{"title":1,"content":[[{"tag":"hr"}]]}}""", "content.zh_cn.title", "is a number")]
    [InlineData("""{"zh_cn":{"title":"T","content":[[]]}}""", "content.zh_cn.content", "has no node")]
    [InlineData("""{"xx_custom":{"content":[[{"tag":"hr"}]]}}""", "content.xx_custom", "'xx_custom' is not a post locale")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"text","text":""}]]}}""", "content.zh_cn.content[0][0].text", "is empty")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"text","text":"a"},{"tag":"img","image_key":"img_1"}]]}}""", "content.zh_cn.content[0][1].tag", "'img' shares its paragraph with other nodes")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"a","text":"x","href":"www.example.com"}]]}}""", "content.zh_cn.content[0][0].href", "'www.example.com' is not an http or https link")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"img","image_key":"file_1"}]]}}""", "content.zh_cn.content[0][0].image_key", "'file_1' is a file key, not an image key")]
    [InlineData("""{"zh_cn":{"content":[{"tag":"text","text":"a"}]}}""", "content.zh_cn.content[0]", "is an object")]
    [InlineData("""{"zh_cn":{"content":[["text"]]}}""", "content.zh_cn.content[0][0]", "is a string")]
    [InlineData("""{"zh_cn":{"content":[[{"text":"a"}]]}}""", "content.zh_cn.content[0][0].tag", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"bold","text":"a"}]]}}""", "content.zh_cn.content[0][0].tag", "'bold' is not a post node tag")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"TEXT","text":"a"}]]}}""", "content.zh_cn.content[0][0].tag", "'TEXT' is not a post node tag")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":7}]]}}""", "content.zh_cn.content[0][0].tag", "is a number")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"text"}]]}}""", "content.zh_cn.content[0][0].text", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[],[{"tag":"a","text":"x"}]]}}""", "content.zh_cn.content[1][0].href", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"at"}]]}}""", "content.zh_cn.content[0][0].user_id", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"img"}]]}}""", "content.zh_cn.content[0][0].image_key", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"media"}]]}}""", "content.zh_cn.content[0][0].file_key", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"emotion"}]]}}""", "content.zh_cn.content[0][0].emoji_type", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"code_block"}]]}}""", "content.zh_cn.content[0][0].text", "is missing")]
    [InlineData("""{"zh_cn":{"content":[[{"tag":"md","text":1}]]}}""", "content.zh_cn.content[0][0].text", "is a number")]
    public void A_broken_post_names_the_exact_place(string content, string field, string problem)
    {
        var found = AssertSingleProblem(Validate(content, "post"), field);

        Assert.Equal(problem, found.Problem);
    }

    [Fact]
    public void A_bad_tag_lists_the_tags()
    {
        var problem = AssertSingleProblem(Validate("""{"zh_cn":{"content":[[{"tag":"bold"}]]}}""", "post"), "content.zh_cn.content[0][0].tag");

        Assert.Equal("'text', 'a', 'at', 'img', 'media', 'emotion', 'hr', 'code_block' or 'md'", problem.Expected);
    }

    [Fact]
    public void Every_bad_node_is_reported_up_to_a_cap_then_counted()
    {
        var nodes = string.Join(",", Enumerable.Range(0, 15).Select(_ => """{"tag":"nope"}"""));
        var result = Validate("{\"zh_cn\":{\"content\":[[" + nodes + "]]},\"en_us\":{\"content\":[[{\"tag\":\"hr\"}]]}}", "post");

        Assert.Equal(11, result.Problems.Count);
        Assert.Equal("content.zh_cn.content[0][9].tag", result.Problems[9].Field);
        Assert.Equal("has 5 more paragraph or node problems", result.Problems[10].Problem);
    }

    [Fact]
    public void Problems_in_two_locales_are_both_reported()
    {
        var result = Validate("""{"zh_cn":{"content":[[{"tag":"x"}]]},"en_us":{"content":[[{"tag":"img"}]]}}""", "post");

        Assert.Equal(
            new[] { "content.zh_cn.content[0][0].tag", "content.en_us.content[0][0].image_key" },
            result.Problems.Select(p => p.Field));
    }

    [Theory]
    [InlineData("""{"header":{"title":{"tag":"plain_text","content":"T"}},"elements":[]}""")]
    [InlineData("""{"elements":[]}""")]
    [InlineData("""{"schema":"2.0","body":{"elements":[]}}""")]
    [InlineData("""{"schema":"2.0","header":{"title":{"content":"T"}}}""")]
    [InlineData("{}")]
    [InlineData("""{"header":{"title":{"content":"T"}}}""")]
    [InlineData("""{"header":{"title":{"content":"T"}},"config":{"wide_screen_mode":true}}""")]
    [InlineData("""{"i18n_elements":{"zh_cn":[]}}""")]
    [InlineData("""{"type":"template","data":{"template_id":"AAqk1234","template_version_name":"1.0.0","template_variable":{"a":1}}}""")]
    [InlineData("""{"type":"card","data":{"card_id":"7355372766134157313"}}""")]
    public void Every_card_form_is_accepted(string content)
    {
        AssertValid(Validate(content, "interactive"));
    }

    [Theory]
    [InlineData("""{"body":{"elements":[]}}""", "content.body", "belongs to a schema 2.0 card, but the card has no \"schema\":\"2.0\"")]
    [InlineData("""{"schema":"2.0","elements":[]}""", "content.elements", "is not a property of a schema 2.0 card")]
    [InlineData("""{"schema":"2.0","header":{}}""", "content.header.title", "is missing")]
    [InlineData("""{"schema":"3.0"}""", "content.schema", "'3.0' is not a card schema")]
    [InlineData("""{"elements":[],"foo":1}""", "content.foo", "is not a property of a card")]
    [InlineData("""{"type":"template"}""", "content.data", "is missing")]
    [InlineData("""{"type":"template","data":"x"}""", "content.data", "is a string")]
    [InlineData("""{"type":"template","data":{}}""", "content.data.template_id", "is missing")]
    [InlineData("""{"type":"template","data":{"template_id":""}}""", "content.data.template_id", "is empty")]
    [InlineData("""{"type":"card","data":{"template_id":"x"}}""", "content.data.card_id", "is missing")]
    [InlineData("""{"type":"tmpl","data":{}}""", "content.type", "'tmpl' is neither 'template' nor 'card'")]
    [InlineData("""{"elements":{"tag":"div"}}""", "content.elements", "is an object")]
    [InlineData("""{"schema":"2.0","body":[]}""", "content.body", "is an array")]
    [InlineData("""{"card":{"elements":[]}}""", "content", "has a 'card' wrapper, which only custom-bot webhooks take")]
    public void A_broken_card_is_named(string content, string field, string problem)
    {
        var found = AssertSingleProblem(Validate(content, "interactive"), field);

        Assert.Equal(problem, found.Problem);
    }
}
