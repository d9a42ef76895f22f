using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// The inbox page after acting on sent messages, rendered by headless Chromium: a card updated in place
/// with its earlier version kept, replies under the message they answer, an edited text with its
/// versions, a recalled message shown as recalled, and a person's message marked as theirs.
/// </summary>
public sealed partial class InboxMessageOpsBrowserTests
{
    private static readonly TimeSpan ChromiumTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Inbox_page_shows_updates_edits_replies_under_their_root_and_recalls()
    {
        TestDependencies.RequireChromium();
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = await ConnectAsync(sandbox.BaseAddress);

        var alert = await SendAsync(http, "interactive", """{"config":{"update_multi":true},"header":{"title":{"tag":"plain_text","content":"Disk 93% on db-02"},"template":"red"},"elements":[{"tag":"div","text":{"tag":"lark_md","content":"firing"}}]}""");
        var deploy = await SendAsync(http, "text", """{"text":"Deploy v1 started"}""");
        var mistake = await SendAsync(http, "text", """{"text":"Wrong chat, sorry"}""");
        await ReplyAsync(http, alert, """{"text":"Looking into it"}""");
        await OkAsync(await http.PatchAsync("open-apis/im/v1/messages/" + alert, JsonContent.Create(new { content = """{"config":{"update_multi":true},"header":{"title":{"tag":"plain_text","content":"Resolved: disk 40%"},"template":"green"},"elements":[{"tag":"div","text":{"tag":"lark_md","content":"resolved"}}]}""" })));
        await OkAsync(await http.PutAsync("open-apis/im/v1/messages/" + deploy, JsonContent.Create(new { msg_type = "text", content = """{"text":"Deploy v2 running"}""" })));
        await OkAsync(await http.PutAsync("open-apis/im/v1/messages/" + deploy, JsonContent.Create(new { msg_type = "text", content = """{"text":"Deploy v3 finished"}""" })));
        await OkAsync(await http.DeleteAsync("open-apis/im/v1/messages/" + mistake));
        using (var seeded = await http.PostAsJsonAsync("_sandbox/messages", new { sender_id = SandboxSeed.BobOpenId, chat_id = SandboxSeed.OpsChatId, msg_type = "text", content = """{"text":"Thanks, bot"}""" }))
        {
            Assert.True(seeded.IsSuccessStatusCode, await seeded.Content.ReadAsStringAsync());
        }

        var dump = await TestDependencies.RunHeadlessChromiumAsync(
            sandbox.BaseAddress.ToString(),
            ["--virtual-time-budget=5000", "--window-size=1280,900", "--dump-dom"],
            ChromiumTimeout);
        Assert.True(dump.ExitCode == 0, $"chromium --dump-dom exited {dump.ExitCode}\n{dump.Stderr}");
        var dom = dump.Stdout;

        // Order on the page: the card, its reply right under it (sent later than two other messages), then the rest.
        var articles = Article().Matches(dom).Select(m => (Id: m.Groups["id"].Value, Class: m.Groups["class"].Value)).ToList();
        Assert.Equal(5, articles.Count);
        Assert.Equal(alert, articles[0].Id);
        Assert.Contains("msg-reply", articles[1].Class, StringComparison.Ordinal);
        Assert.DoesNotContain(articles, a => a.Id != articles[1].Id && a.Class.Contains("msg-reply", StringComparison.Ordinal));

        // The card shows its new state, marked updated, its first version kept.
        Assert.Contains("Resolved: disk 40%", RenderedBodies(dom), StringComparison.Ordinal);
        Assert.Contains(">updated<", dom, StringComparison.Ordinal);
        Assert.Contains(">1 earlier version<", dom, StringComparison.Ordinal);

        // The edited text: its latest words, both earlier versions under "2 earlier versions".
        Assert.Contains("Deploy v3 finished", RenderedBodies(dom), StringComparison.Ordinal);
        Assert.Contains(">2 earlier versions<", dom, StringComparison.Ordinal);
        Assert.Matches(new Regex("class=\"revision-body\"><div class=\"text\">Deploy v2 running<"), dom);
        Assert.Matches(new Regex("class=\"revision-body\"><div class=\"text\">Deploy v1 started<"), dom);

        // The recalled message shows as recalled.
        Assert.Matches(new Regex("<article class=\"msg msg-recalled\" data-message-id=\"" + mistake + "\""), dom);
        Assert.Contains("This message was recalled", dom, StringComparison.Ordinal);

        // A person's message carries their name.
        Assert.Contains("class=\"sender-name\" title=\"" + SandboxSeed.BobOpenId + "\">Bob<", dom, StringComparison.Ordinal);
    }

    private static async Task<HttpClient> ConnectAsync(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        var tokenAnswer = await http.PostAsJsonAsync(
            "open-apis/auth/v3/tenant_access_token/internal",
            new { app_id = SandboxSeed.AppId, app_secret = SandboxSeed.AppSecret });
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonObject>())!["tenant_access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    private static async Task<string> SendAsync(HttpClient http, string msgType, string content) =>
        await IdAsync(await http.PostAsJsonAsync("open-apis/im/v1/messages?receive_id_type=chat_id", new { receive_id = SandboxSeed.OpsChatId, msg_type = msgType, content }));

    private static async Task<string> ReplyAsync(HttpClient http, string parentId, string content) =>
        await IdAsync(await http.PostAsJsonAsync($"open-apis/im/v1/messages/{parentId}/reply", new { msg_type = "text", content, reply_in_thread = true }));

    private static async Task<string> IdAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("data").GetProperty("message_id").GetString()!;
        }
    }

    private static async Task OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            using var document = JsonDocument.Parse(body);
            Assert.Equal(0, document.RootElement.GetProperty("code").GetInt32());
        }
    }

    private static string RenderedBodies(string dom) =>
        string.Concat(MessageBody().Matches(dom).Select(m => m.Value));

    [GeneratedRegex("<article class=\"(?<class>[^\"]*)\" data-message-id=\"(?<id>[^\"]*)\"")]
    private static partial Regex Article();

    [GeneratedRegex("<div class=\"msg-body\">.*?</div><div class=\"msg-ids\">", RegexOptions.Singleline)]
    private static partial Regex MessageBody();
}
