using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Microsoft.Playwright;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 25's page interaction, end to end: a click on "Mark read" in the inbox page (Debian's chromium driven by
/// Playwright), as the user chosen in the composer, shows in the real Get-LarkMessageReader in a PowerShell 7.6 engine,
/// and the page shows who read the message.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ReadReceiptBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_read_mark_set_on_the_inbox_page_shows_in_Get_LarkMessageReader()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var sent = world.Session.Invoke($"(Send-LarkMessage -ReceiveType chat -ReceiveId '{SandboxSeed.OpsChatId}' -Text 'db-02 down').MessageId");
        Assert.True(sent.Terminating is null && sent.Output.Count == 1, sent.AllText());
        var messageId = (string)sent.Output[0].BaseObject;
        var before = world.Session.Invoke("@(Get-LarkMessageReader -MessageId $args[0]).Count", messageId);
        Assert.Equal(0, (int)before.Output[0].BaseObject);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(world.Sandbox.BaseAddress.ToString());
        await page.SelectOptionAsync("#live-sender", new SelectOptionValue { Label = "Bob" });
        var article = page.Locator($"article[data-message-id='{messageId}']");
        await article.Locator("button.mark-read").ClickAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(article.Locator(".read-by")).ToHaveTextAsync("Read by Bob", new() { Timeout = (float)Patience.TotalMilliseconds });

        var readers = world.Session.Invoke("Get-LarkMessageReader -MessageId $args[0]", messageId);
        Assert.True(readers.Terminating is null && readers.Errors.Count == 0, readers.AllText());
        var reader = Assert.Single(readers.Output);
        Assert.Equal("LarkPS.Api.LarkMessageReader", reader.TypeNames[0]);
        Assert.Equal(SandboxSeed.BobOpenId, reader.Properties["UserId"].Value);
        Assert.NotNull(reader.Properties["ReadTime"].Value);

        // A second click by the same person keeps one read; the page still says Bob only.
        await article.Locator("button.mark-read").ClickAsync();
        await Assertions.Expect(article.Locator(".read-by")).ToHaveTextAsync("Read by Bob");
        Assert.Single(world.Session.Invoke("Get-LarkMessageReader -MessageId $args[0]", messageId).Output);
    }
}
