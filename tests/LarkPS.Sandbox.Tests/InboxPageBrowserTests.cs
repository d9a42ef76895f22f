using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// The inbox page as a person sees it: messages sent over Lark's API, then the page rendered by headless
/// Chromium (its DOM after the scripts ran, and a screenshot kept in the test output folder).
/// </summary>
public sealed partial class InboxPageBrowserTests
{
    private const string PostTitleZh = "夜间备份报告";
    private const string PostTitleEn = "Nightly backup report";
    private const string CardTitle = "Disk usage above 90%";
    private const string ButtonLabel = "Acknowledge";
    private const string HostileText = "<script>alert(1)</script><b>x</b>";
    private static readonly TimeSpan ChromiumTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Inbox_page_renders_text_post_and_card_and_escapes_message_content()
    {
        TestDependencies.RequireChromium();
        await using var sandbox = await SandboxServer.StartAsync();
        await SendSampleMessagesAsync(sandbox.BaseAddress);

        var dump = await TestDependencies.RunHeadlessChromiumAsync(
            sandbox.BaseAddress.ToString(),
            ["--virtual-time-budget=5000", "--window-size=1280,900", "--dump-dom"],
            ChromiumTimeout);
        Assert.True(dump.ExitCode == 0, $"chromium --dump-dom exited {dump.ExitCode}\n{dump.Stderr}");
        var dom = dump.Stdout;

        // The page polled the inbox and rendered every message ("All messages" is the default view).
        Assert.Contains("live · 5 messages", dom, StringComparison.Ordinal);
        Assert.Contains(">Ops alerts<", dom, StringComparison.Ordinal);
        Assert.Contains("Deploy started", dom, StringComparison.Ordinal);
        Assert.Contains("@Alice", dom, StringComparison.Ordinal);

        // Post: the title of the zh_cn locale (auto prefers it), not the en_us one.
        Assert.Matches(new Regex("class=\"post-title\">" + Regex.Escape(PostTitleZh) + "<"), dom);
        Assert.DoesNotContain(PostTitleEn, RenderedBodies(dom), StringComparison.Ordinal);

        // Card: header title with its template colour, the button as a button.
        Assert.Matches(new Regex("class=\"card-header tpl-red\"><div class=\"card-title\"><span[^>]*>" + Regex.Escape(CardTitle) + "<"), dom);
        Assert.Matches(new Regex("<button [^>]*class=\"card-button btn-primary\"[^>]*><span[^>]*>" + ButtonLabel + "</span></button>"), dom);

        // Hostile content shows as text: escaped in the DOM, and the only scripts are the page's own.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x</b>", dom, StringComparison.Ordinal);
        var scripts = ScriptTag().Matches(dom).Select(m => m.Value).ToList();
        Assert.All(scripts, s => Assert.Contains(" src=\"inbox", s, StringComparison.Ordinal));
        Assert.Equal(5, scripts.Count);   // inbox-render.js, inbox.js, (issue 21) inbox-live.js, (issue 25) inbox-reads.js, (issue 23) inbox-batches.js

        // The recalled message is marked.
        Assert.Contains("class=\"msg msg-recalled\"", dom, StringComparison.Ordinal);

        // The page polled with a cursor: the whole inbox once, then only what changed (issue 14).
        var polls = sandbox.Requests.Where(r => r.PathAndQuery.StartsWith("/_sandbox/inbox", StringComparison.Ordinal)).ToList();
        Assert.True(polls.Count >= 2, $"the page polled the inbox {polls.Count} time(s)");
        Assert.All(polls, p => Assert.StartsWith("/_sandbox/inbox?since=", p.PathAndQuery, StringComparison.Ordinal));
        Assert.Equal("/_sandbox/inbox?since=", polls[0].PathAndQuery);
        Assert.All(polls.Skip(1), p => Assert.NotEqual("/_sandbox/inbox?since=", p.PathAndQuery));

        // A screenshot of the default view and of one conversation, kept for people to look at.
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await ScreenshotAsync(sandbox.BaseAddress.ToString(), Path.Combine(folder, "inbox-all.png"));
        await ScreenshotAsync(sandbox.BaseAddress + "#" + Uri.EscapeDataString("chat:" + SandboxSeed.OpsChatId), Path.Combine(folder, "inbox-ops-alerts.png"));
    }

    private static async Task ScreenshotAsync(string url, string path)
    {
        File.Delete(path);
        var shot = await TestDependencies.RunHeadlessChromiumAsync(
            url,
            ["--virtual-time-budget=5000", "--window-size=1280,900", $"--screenshot={path}"],
            ChromiumTimeout);
        Assert.True(shot.ExitCode == 0, $"chromium --screenshot exited {shot.ExitCode}\n{shot.Stderr}");
        Assert.True(File.Exists(path), $"no screenshot at {path}\n{shot.Stderr}");

        // A blank 1280x900 PNG compresses to a few KB; a rendered inbox is far larger.
        var length = new FileInfo(path).Length;
        Assert.True(length > 30_000, $"{path} is only {length} bytes: the page probably did not render");
        var header = new byte[8];
        await using (var file = File.OpenRead(path))
        {
            await file.ReadExactlyAsync(header);
        }

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
    }

    // Sends over Lark's own API with a real token, as a client would.
    private static async Task SendSampleMessagesAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var tokenAnswer = await http.PostAsJsonAsync(
            "open-apis/auth/v3/tenant_access_token/internal",
            new { app_id = SandboxSeed.AppId, app_secret = SandboxSeed.AppSecret });
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonObject>())!["tenant_access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        await SendAsync(http, "chat_id", SandboxSeed.OpsChatId, "text", new JsonObject
        {
            ["text"] = $"Deploy started for web-01\nStage: canary\ncc <at user_id=\"{SandboxSeed.AliceOpenId}\"></at>",
        });

        await SendAsync(http, "chat_id", SandboxSeed.OpsChatId, "post", JsonNode.Parse($$"""
            {
              "zh_cn": { "title": "{{PostTitleZh}}", "content": [[{ "tag": "text", "text": "备份已完成。" }]] },
              "en_us": {
                "title": "{{PostTitleEn}}",
                "content": [
                  [{ "tag": "text", "text": "All " }, { "tag": "text", "text": "42", "style": ["bold"] }, { "tag": "text", "text": " databases backed up. " },
                   { "tag": "a", "text": "Dashboard", "href": "https://example.com/backups" }],
                  [{ "tag": "at", "user_id": "{{SandboxSeed.BobOpenId}}" }, { "tag": "text", "text": " please review." }],
                  [{ "tag": "hr" }],
                  [{ "tag": "code_block", "language": "bash", "text": "pg_dumpall > /backups/nightly.sql" }]
                ]
              }
            }
            """)!);

        await SendAsync(http, "chat_id", SandboxSeed.OpsChatId, "interactive", JsonNode.Parse($$"""
            {
              "schema": "2.0",
              "header": {
                "title": { "tag": "plain_text", "content": "{{CardTitle}}" },
                "subtitle": { "tag": "plain_text", "content": "db-02 · /var/lib/postgresql" },
                "template": "red"
              },
              "body": {
                "elements": [
                  { "tag": "markdown", "content": "**Host:** db-02\n**Used:** 93% of 500 GB" },
                  { "tag": "hr" },
                  { "tag": "button", "text": { "tag": "plain_text", "content": "{{ButtonLabel}}" }, "type": "primary",
                    "behaviors": [{ "type": "callback", "value": { "ack": true } }] },
                  { "tag": "button", "text": { "tag": "plain_text", "content": "Open runbook" }, "type": "default",
                    "behaviors": [{ "type": "open_url", "default_url": "https://example.com/runbook" }] }
                ]
              }
            }
            """)!);

        await SendAsync(http, "open_id", SandboxSeed.AliceOpenId, "text", new JsonObject { ["text"] = HostileText });

        var recalled = await SendAsync(http, "email", SandboxSeed.BobEmail, "text", new JsonObject { ["text"] = "Sent by mistake" });
        using var recall = await http.DeleteAsync("open-apis/im/v1/messages/" + recalled);
        Assert.True(recall.IsSuccessStatusCode, await recall.Content.ReadAsStringAsync());
    }

    private static async Task<string> SendAsync(HttpClient http, string receiveIdType, string receiveId, string msgType, JsonNode content)
    {
        using var response = await http.PostAsJsonAsync(
            "open-apis/im/v1/messages?receive_id_type=" + receiveIdType,
            new { receive_id = receiveId, msg_type = msgType, content = content.ToJsonString(), uuid = Guid.NewGuid().ToString("N") });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"send {msgType} to {receiveId}: HTTP {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal(0, document.RootElement.GetProperty("code").GetInt32());
        return document.RootElement.GetProperty("data").GetProperty("message_id").GetString()!;
    }

    // The rendered message bodies only, without the raw-JSON panels (which quote every locale).
    private static string RenderedBodies(string dom) =>
        string.Concat(MessageBody().Matches(dom).Select(m => m.Value));

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<div class=\"msg-body\">.*?</div><div class=\"msg-ids\">", RegexOptions.Singleline)]
    private static partial Regex MessageBody();
}
