using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Issue 23 on the inbox page, in Debian's Chromium through Playwright: a batch message (message/v4/batch_send) to
/// Engineering shows with its text and counts, one "Mark read" button per pushed receiver; a click marks that
/// receiver read as opening it in Lark would, so get_progress and read_user count it, and the others stay unread.
/// </summary>
public sealed class InboxBatchesBrowserTests
{
    [Fact]
    public async Task Mark_read_on_the_inbox_page_counts_one_reader_in_get_progress_and_read_user()
    {
        var chromium = TestDependencies.RequireChromium();
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var tokenAnswer = await http.PostAsJsonAsync(
            "open-apis/auth/v3/tenant_access_token/internal", new { app_id = SandboxSeed.AppId, app_secret = SandboxSeed.AppSecret });
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonObject>())!["tenant_access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var sent = await http.PostAsJsonAsync("open-apis/message/v4/batch_send/", new
        {
            msg_type = "text",
            content = new { text = "Maintenance <b>tonight</b> 22:00" },
            department_ids = new[] { SandboxSeed.EngineeringDepartmentId },
        });
        var sentBody = (await sent.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(0, sentBody["code"]!.GetValue<int>());
        var id = sentBody["data"]!["message_id"]!.GetValue<string>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", ViewportSize = new ViewportSize { Width = 1280, Height = 1200 } });
        var page = await context.NewPageAsync();
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        await page.GotoAsync(sandbox.BaseAddress.ToString());

        // Engineering's subtree: Alice, Bob and Erin, each pushed, none read; the text shown as text, not HTML.
        var batch = page.Locator($"article.batch[data-batch-message-id=\"{id}\"]");
        await batch.Locator(".batch-counts").Filter(new() { HasText = "pushed 3 of 3 · read 0" }).WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal("Maintenance <b>tonight</b> 22:00", await batch.Locator(".batch-text").InnerTextAsync());
        Assert.Equal(0, await batch.Locator(".batch-text b").CountAsync());
        Assert.Equal(3, await batch.Locator("button.batch-mark-read").CountAsync());
        Assert.Equal(
            new[] { "Alice", "Bob", "Erin" },
            (await batch.Locator(".batch-receiver-name").AllInnerTextsAsync()).Order(StringComparer.Ordinal).ToArray());

        // Bob opens it.
        await batch.Locator($"li.batch-receiver[data-open-id=\"{SandboxSeed.BobOpenId}\"] button.batch-mark-read").ClickAsync();
        await batch.Locator(".batch-counts").Filter(new() { HasText = "pushed 3 of 3 · read 1" }).WaitForAsync(new() { Timeout = 10_000 });
        Assert.Equal("read", await batch.Locator($"li.batch-receiver[data-open-id=\"{SandboxSeed.BobOpenId}\"] .batch-read").InnerTextAsync());
        Assert.Equal(2, await batch.Locator("button.batch-mark-read").CountAsync());

        // Lark's operations count exactly that reader.
        var stored = Assert.Single(sandbox.BatchMessages);
        Assert.Equal([SandboxSeed.BobOpenId], stored.Readers);
        var progress = (await http.GetFromJsonAsync<JsonObject>($"open-apis/im/v1/batch_messages/{id}/get_progress"))!;
        Assert.Equal(1, progress["data"]!["batch_message_send_progress"]!["read_user_ids_count"]!.GetValue<int>());
        var readUser = (await http.GetFromJsonAsync<JsonObject>($"open-apis/im/v1/batch_messages/{id}/read_user"))!;
        Assert.Equal("1", readUser["data"]!["read_user"]!["read_count"]!.GetValue<string>());
        Assert.Empty(scriptErrors);
    }
}
