using System.Collections;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Microsoft.Playwright;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 21's page interactions, end to end: the real cmdlets (Wait-LarkCardAction, Receive-LarkEvent) in a PowerShell
/// 7.6 engine, the sandbox's long connection, and the inbox page in Debian's chromium driven by Playwright for .NET
/// (its driver ships in the package, so nothing is downloaded; the browser is /usr/bin/chromium).
/// </summary>
[Trait("Category", "Browser")]
public sealed class LiveInboxBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_click_on_a_card_button_in_the_inbox_returns_from_Wait_LarkCardAction_with_its_value_and_shows_the_toast()
    {
        await using var world = await StartAsync();
        world.Connect();
        var card = "@{ schema = '2.0'; header = @{ title = @{ tag = 'plain_text'; content = 'Deploy web-01?' } }; body = @{ elements = @(" +
            "@{ tag = 'button'; text = @{ tag = 'plain_text'; content = 'Approve' }; type = 'primary'; behaviors = @(@{ type = 'callback'; value = @{ decision = 'approve'; change = 'CHG-7' } }) }," +
            "@{ tag = 'button'; text = @{ tag = 'plain_text'; content = 'Reject' }; type = 'danger'; behaviors = @(@{ type = 'callback'; value = @{ decision = 'reject' } }) }) } }";
        var sent = world.Session.Invoke($"(Send-LarkMessage -ReceiveType chat -ReceiveId '{SandboxSeed.OpsChatId}' -ContentType interactive -Content {card}).MessageId");
        Assert.True(sent.Terminating is null && sent.Output.Count == 1, sent.AllText());
        var messageId = (string)sent.Output[0].BaseObject;
        var waiting = Task.Run(() => world.Session.Invoke(
            "Wait-LarkCardAction -MessageId $args[0] -Timeout 60 -Toast 'Approved by the script' -ToastType success " +
            "-Card @{ schema = '2.0'; body = @{ elements = @(@{ tag = 'markdown'; content = 'Approved, deploying' }) } }", messageId));
        await UntilConnectedAsync(world, waiting);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(world.Sandbox.BaseAddress.ToString());
        await page.SelectOptionAsync("#live-sender", new SelectOptionValue { Label = "Bob" });
        var approve = page.Locator($"article[data-message-id='{messageId}'] .card-button", new() { HasText = "Approve" });
        await approve.ClickAsync(new() { Timeout = (float)Patience.TotalMilliseconds });

        await Assertions.Expect(page.Locator("#live-toast")).ToHaveTextAsync("Approved by the script", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(page.Locator("#live-toast")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("live-toast-success"));
        var result = await waiting.WaitAsync(Patience);
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.AllText());
        var action = Assert.Single(result.Output);
        Assert.Equal("LarkPS.Events.LarkCardActionEvent", action.TypeNames[0]);
        Assert.Equal(messageId, action.Properties["MessageId"].Value);
        Assert.Equal(SandboxSeed.BobOpenId, action.Properties["OperatorId"].Value);
        var value = (IDictionary)action.Properties["Value"].Value;
        Assert.Equal("approve", value["decision"]);
        Assert.Equal("CHG-7", value["change"]);

        // The card the script answered with replaced the clicked one, on the page too.
        await Assertions.Expect(page.Locator($"article[data-message-id='{messageId}']")).ToContainTextAsync("Approved, deploying", new() { Timeout = (float)Patience.TotalMilliseconds });
        var delivery = Assert.Single(world.Sandbox.Events.Deliveries);
        Assert.Equal(200, delivery.Attempts[0].AckCode);
        Assert.Contains("Approved by the script", delivery.Attempts[0].AnswerJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_typed_in_the_composer_comes_out_of_Receive_LarkEvent_and_shows_in_the_chat()
    {
        await using var world = await StartAsync();
        world.Connect();
        var receiving = Task.Run(() => world.Session.Invoke("Receive-LarkEvent -Count 1 -Timeout 60"));
        await UntilConnectedAsync(world, receiving);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(world.Sandbox.BaseAddress.ToString());
        await page.SelectOptionAsync("#live-sender", new SelectOptionValue { Label = "Alice" });
        await page.SelectOptionAsync("#live-chat", new SelectOptionValue { Label = "# " + SandboxSeed.OpsChatName });
        await page.FillAsync("#live-text", "status of web-01, @Bob?");
        await page.ClickAsync("#live-send");

        var result = await receiving.WaitAsync(Patience);
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.AllText());
        var received = Assert.Single(result.Output);
        Assert.Equal("LarkPS.Events.LarkMessageEvent", received.TypeNames[0]);
        Assert.Equal("status of web-01, @Bob?", received.Properties["Text"].Value);
        Assert.Equal(SandboxSeed.AliceOpenId, received.Properties["SenderId"].Value);
        Assert.Equal(SandboxSeed.OpsChatId, received.Properties["ChatId"].Value);
        Assert.Equal("group", received.Properties["ChatType"].Value);

        // The page shows it as Alice's message in the chat, as Lark's clients would.
        var shown = page.Locator("article.msg-from-user", new() { HasText = "status of web-01" });
        await Assertions.Expect(shown).ToHaveCountAsync(1, new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Equal(received.Properties["MessageId"].Value, await shown.GetAttributeAsync("data-message-id"));
    }

    private static async Task<EngineWorld> StartAsync()
    {
        var options = new SandboxOptions();
        options.Events.ReconnectNonce = 0;
        options.Events.ReconnectInterval = 1;
        options.Events.RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)];
        return await EngineWorld.StartAsync(options);
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    // The command opens its connection on its own thread; the page must act only once it is listening.
    private static async Task UntilConnectedAsync(EngineWorld world, Task<InvocationResult> command)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (world.Sandbox.Events.OpenConnections == 0)
        {
            if (command.IsCompleted)
            {
                Assert.Fail("The command ended before it connected: " + command.Result.AllText());
            }

            Assert.True(DateTime.UtcNow < deadline, "The command did not open the long connection in time.");
            await Task.Delay(50);
        }
    }
}
