using LarkPS.Authoring;
using LarkPS.Messages;
using LarkPS.Webhooks;
using Xunit;

namespace LarkPS.UnitTests.Webhooks;

/// <summary>Issue 22: what a custom bot's card cannot do, checked offline by the hook's rules.</summary>
public class WebhookCardRulesTests
{
    private static WebhookValidation Check(CardDocument card) =>
        WebhookRules.Check(new MessageInput { ContentType = "interactive", Content = card.ToJson() }, signed: false);

    [Fact]
    public void A_card_whose_buttons_open_links_goes_through_a_hook()
    {
        var builder = new StatusCardBuilder("Deploy done", null, "green");
        builder.AddButton(new ButtonElement("Open", null, new Uri("https://example.com/deploy"), null));

        var check = Check(builder.Build());

        Assert.True(check.IsValid, check.Result.ToString());
        Assert.Contains("\"card\":{\"schema\":\"2.0\"", check.Message!.UnsignedBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_callback_button_on_a_hook_is_refused_naming_the_button_and_the_fix()
    {
        var builder = new StatusCardBuilder("Ack?");
        builder.AddButton(new ButtonElement("Open", null, new Uri("https://example.com"), null));
        builder.AddButton(new ButtonElement("Ack", "primary", null, new Dictionary<string, object?> { ["action"] = "ack" }));

        var problem = Assert.Single(Check(builder.Build()).Result.Problems);

        Assert.Equal("content.body.elements[0].columns[1].elements[0].behaviors[0]", problem.Field);
        Assert.Contains("cannot call back", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("app connection", problem.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_image_on_a_hook_is_refused_once_saying_a_hook_cannot_upload()
    {
        var check = Check(new StatusCardBuilder("Chart") { Image = ImageElement.FromFile("/tmp/chart.png") }.Build());

        var problem = Assert.Single(check.Result.Problems);
        Assert.Equal("content.body.elements[0].path", problem.Field);
        Assert.Contains("cannot upload", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_content_has_no_card_rules()
    {
        Assert.Empty(WebhookCardRules.Check("text", "{\"text\":\"callback\"}"));
        Assert.Empty(WebhookCardRules.Check("interactive", "not json"));
    }
}
