using System.Text.Json;
using LarkPS.Authoring;
using Xunit;
using static LarkPS.UnitTests.Authoring.AuthoringTestKit;

namespace LarkPS.UnitTests.Authoring;

public class StatusCardBuilderTests
{
    private const string Alice = "ou_94e54bbce8572323ffd2743ed383ebd7";

    [Fact]
    public void A_status_card_has_header_markdown_fields_image_buttons_and_note_in_that_order()
    {
        var builder = new StatusCardBuilder("Disk 93% on db-02", "/var/lib/postgresql", "red")
        {
            Markdown = "**Used:** 93% of 500 GB",
            Image = ImageElement.FromKey("img_v2_041b28e3-5680-48c2-9af2-497ace79333g", "chart"),
            Note = "Sent by the nightly check",
        };
        builder.AddField("Host", "db-02").AddField("Used", "93%").AddField("Free", "35 GB");
        builder.AddButton(new ButtonElement("Ack", "primary", null, new Dictionary<string, object?> { ["action"] = "ack", ["host"] = "db-02" }));
        builder.AddButton(new ButtonElement("Runbook", null, new Uri("https://example.com/runbook"), null));
        builder.AddMentions(new[] { Mention.User(Alice), Mention.All });

        var json = builder.Build().ToJson();

        var root = Parse(json);
        Assert.Equal("2.0", root.GetProperty("schema").GetString());
        Assert.True(root.GetProperty("config").GetProperty("update_multi").GetBoolean());
        var header = root.GetProperty("header");
        Assert.Equal("Disk 93% on db-02", header.GetProperty("title").GetProperty("content").GetString());
        Assert.Equal("plain_text", header.GetProperty("title").GetProperty("tag").GetString());
        Assert.Equal("/var/lib/postgresql", header.GetProperty("subtitle").GetProperty("content").GetString());
        Assert.Equal("red", header.GetProperty("template").GetString());

        var elements = Elements(json).EnumerateArray().ToList();
        Assert.Equal(new[] { "markdown", "div", "img", "column_set", "div" }, elements.Select(e => e.GetProperty("tag").GetString()));
        Assert.Equal("**Used:** 93% of 500 GB\n<at id=" + Alice + "></at> <at id=all></at>", elements[0].GetProperty("content").GetString());

        var fields = elements[1].GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(3, fields.Count);
        Assert.All(fields, f => Assert.True(f.GetProperty("is_short").GetBoolean()));
        Assert.Equal("lark_md", fields[0].GetProperty("text").GetProperty("tag").GetString());
        Assert.Equal("**Host**\ndb&#45;02", fields[0].GetProperty("text").GetProperty("content").GetString());

        Assert.Equal("img_v2_041b28e3-5680-48c2-9af2-497ace79333g", elements[2].GetProperty("img_key").GetString());

        var buttons = elements[3].GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("elements")[0]).ToList();
        Assert.Equal(new[] { "primary", "default" }, buttons.Select(b => b.GetProperty("type").GetString()));
        var callback = buttons[0].GetProperty("behaviors")[0];
        Assert.Equal("callback", callback.GetProperty("type").GetString());
        Assert.Equal("ack", callback.GetProperty("value").GetProperty("action").GetString());
        var open = buttons[1].GetProperty("behaviors")[0];
        Assert.Equal("open_url", open.GetProperty("type").GetString());
        Assert.Equal("https://example.com/runbook", open.GetProperty("default_url").GetString());

        var note = elements[4].GetProperty("text");
        Assert.Equal("notation", note.GetProperty("text_size").GetString());
        Assert.Equal("grey", note.GetProperty("text_color").GetString());
        Assert.Equal("Sent by the nightly check", note.GetProperty("content").GetString());

        AssertSendable(json);
    }

    [Fact]
    public void Field_labels_and_values_show_as_typed_never_as_markup_or_mentions()
    {
        var json = new StatusCardBuilder("T").AddField("**Host**", "<at id=all></at> [a](https://x) ~strike~ `c` #1 _u_").Build().ToJson();

        var content = Elements(json)[0].GetProperty("fields")[0].GetProperty("text").GetProperty("content").GetString()!;

        Assert.Equal("**&#42;&#42;Host&#42;&#42;**\n&#60;at id=all&#62;&#60;&#47;at&#62; &#91;a&#93;&#40;https&#58;&#47;&#47;x&#41; &sim;strike&sim; &#96;c&#96; &#35;1 &#95;u&#95;", content);
        Assert.DoesNotContain("<at", content, StringComparison.Ordinal);
        AssertSendable(json);
    }

    [Theory]
    [InlineData("Open", "javascript:alert(1)", "not an http or https link")]
    [InlineData("Open", "ftp://example.com/", "not an http or https link")]
    public void A_button_link_that_Lark_would_not_open_is_refused(string text, string url, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new ButtonElement(text, null, new Uri(url), null));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_button_needs_a_text_of_at_most_100_characters_a_known_style_and_something_to_do()
    {
        Assert.Contains("at most 100", Assert.Throws<ArgumentException>(() => new ButtonElement(new string('b', 101), null, new Uri("https://x.example"), null)).Message, StringComparison.Ordinal);
        Assert.Contains("default, primary, danger", Assert.Throws<ArgumentException>(() => new ButtonElement("b", "green", new Uri("https://x.example"), null)).Message, StringComparison.Ordinal);
        Assert.Contains("link to open or a callback value", Assert.Throws<ArgumentException>(() => new ButtonElement("b", null, null, null)).Message, StringComparison.Ordinal);
        Assert.NotNull(new ButtonElement(new string('b', 100), "danger", null, "ack"));
    }

    [Fact]
    public void A_local_image_is_a_path_for_the_send_to_upload_and_not_valid_as_it_is()
    {
        var json = new StatusCardBuilder("T") { Image = ImageElement.FromFile("/tmp/chart.png") }.Build().ToJson();

        var image = Elements(json)[0];
        Assert.Equal("/tmp/chart.png", image.GetProperty("path").GetString());
        Assert.False(image.TryGetProperty("img_key", out _));

        // Sent as it is (no upload), the validator says what to do.
        var result = LarkPS.Messages.MessageValidator.Validate(new LarkPS.Messages.MessageInput { ReceiveId = Alice, ContentType = "interactive", Content = json });
        var problem = Assert.Single(result.Problems);
        Assert.Equal("content.body.elements[0].path", problem.Field);
        Assert.Contains("only Send-LarkMessage uploads", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_200_elements_are_refused_when_the_card_is_built()
    {
        var builder = new StatusCardBuilder("T");
        for (var i = 0; i < 198; i++)
        {
            builder.AddField("F" + i, "v");
        }

        // Header title 1 + div 1 + 198 fields = 200: the most Lark takes.
        var card = builder.Build();
        Assert.Equal(200, card.ElementCount);
        AssertSendable(card.ToJson());

        builder.AddField("one", "too many");
        var error = Assert.Throws<CardLimitException>(() => builder.Build());
        Assert.Contains("201", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Six_tables_are_refused_and_a_table_cannot_go_into_a_column()
    {
        var table = new TableElement(new[] { new TableColumn("a", "A", TableDataType.Text) }, Array.Empty<string>(), 5);

        Assert.Contains("6 tables", Assert.Throws<CardLimitException>(() => new CardDocument(null, Enumerable.Repeat<CardElement>(table, 6).ToList())).Message, StringComparison.Ordinal);
        AssertSendable(new CardDocument(null, Enumerable.Repeat<CardElement>(table, 5).ToList()).ToJson());
        Assert.Contains("directly in the card's body", Assert.Throws<ArgumentException>(() => new CardColumn(new CardElement[] { table })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_colour_is_one_of_Larks()
    {
        Assert.Contains("wathet", Assert.Throws<ArgumentException>(() => new StatusCardBuilder("T", null, "pink")).Message, StringComparison.Ordinal);
        Assert.Equal(13, CardTemplates.All.Count);
    }

    [Fact]
    public void The_element_count_the_builder_keeps_is_the_one_the_validator_counts()
    {
        // 199 fields + the div + the title = 201: the builder refuses; the same card written by hand, the validator too.
        var elements = new List<CardElement> { new DivElement(null, Enumerable.Range(0, 199).Select(i => new CardField("F" + i, "v")).ToList()) };
        Assert.Throws<CardLimitException>(() => new CardDocument(new CardHeader("T"), elements));

        var json = new CardDocument(null, elements).ToJson().Replace("\"body\":", "\"header\":{\"title\":{\"tag\":\"plain_text\",\"content\":\"T\"}},\"body\":", StringComparison.Ordinal);
        var result = LarkPS.Messages.MessageValidator.Validate(new LarkPS.Messages.MessageInput { ReceiveId = Alice, ContentType = "interactive", Content = json });
        Assert.Contains(result.Problems, p => p.Problem.Contains("201 components", StringComparison.Ordinal));
    }
}
