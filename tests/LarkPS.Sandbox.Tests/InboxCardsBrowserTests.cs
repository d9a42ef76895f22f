using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Issue 22: the inbox page shows the cards ConvertTo-LarkCard and New-LarkCard make, and a markdown post, as a
/// reader would see them: the table with typed cells (numbers with their precision, dates in the reader's time zone,
/// text as typed), its other pages folded, fields two to a row, buttons in their styles, the note, mentions; message
/// text never becomes HTML. Read element by element with Playwright in Debian's Chromium (no download).
/// </summary>
public sealed class InboxCardsBrowserTests
{
    // What ConvertTo-LarkCard writes: a text, a number (precision 1, separators) and a date column; 12 rows, 10 a page.
    private static readonly long Checked = 1764048000000; // 2025-11-25T05:20:00Z

    [Fact]
    public async Task Inbox_page_shows_a_cards_table_fields_buttons_note_and_a_markdown_post()
    {
        var chromium = TestDependencies.RequireChromium();
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = await ConnectAsync(sandbox.BaseAddress);
        await SendAsync(http, "interactive", TableCard());
        await SendAsync(http, "interactive", StatusCard());
        await SendAsync(http, "post", MarkdownPost());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-US",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1280, Height = 1400 },
        });
        var page = await context.NewPageAsync();
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        page.Dialog += (_, dialog) => scriptErrors.Add("a dialog opened: " + dialog.Message);
        await page.GotoAsync(sandbox.BaseAddress.ToString());
        await page.Locator("#status").Filter(new() { HasText = "live · 3 messages" }).WaitForAsync(new() { Timeout = 30_000 });

        // The table: headers as display_name, the first page of 10 rows, the other 2 folded as page 2.
        var table = page.Locator(".card-table");
        Assert.Equal(1, await table.CountAsync());
        Assert.Equal(new[] { "Host", "Used %", "Checked", "Cell" }, await table.Locator(".card-table-page").First.Locator("th").AllInnerTextsAsync());
        Assert.Equal(10, await table.Locator(".card-table-page").First.Locator("tbody tr").CountAsync());
        Assert.Equal("12 rows · page 1 of 2", await table.Locator(".card-table-info").InnerTextAsync());
        var more = table.Locator("details.card-table-more");
        Assert.Equal(1, await more.CountAsync());
        Assert.Equal("Page 2 of 2 · rows 11–12", await more.Locator("summary").InnerTextAsync());
        Assert.Equal(2, await more.Locator("tbody tr").CountAsync());

        var firstRow = table.Locator(".card-table-page").First.Locator("tbody tr").First.Locator("td");
        Assert.Equal("db-00", await firstRow.Nth(0).InnerTextAsync());
        Assert.Equal("12,345.6", await firstRow.Nth(1).InnerTextAsync());
        Assert.Equal("number", await firstRow.Nth(1).GetAttributeAsync("data-type"));
        var shanghai = DateTimeOffset.FromUnixTimeMilliseconds(Checked).ToOffset(TimeSpan.FromHours(8));
        Assert.Equal(shanghai.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), await firstRow.Nth(2).InnerTextAsync());
        Assert.Equal("2025-11-25 13:20", await firstRow.Nth(2).InnerTextAsync());

        // Text cells as typed: the mention, the bold and the link stay text.
        var cells = await table.Locator("td.cell-text[data-type=text]").AllInnerTextsAsync();
        Assert.Contains("<at user_id=\"all\"></at>", cells);
        Assert.Contains("**x**", cells);
        Assert.Contains("[a](https://example.com)", cells);
        Assert.Contains("<img src=x onerror=alert(1)>", cells);
        Assert.Equal(0, await table.Locator(".mention, strong, a, img").CountAsync());

        // The status card: header colour, fields two to a row with entities shown as the characters, buttons, note, mentions.
        var card = page.Locator(".card").Filter(new() { HasText = "Disk 93% on db-02" });
        Assert.Equal(1, await card.CountAsync());
        Assert.Equal(1, await card.Locator(".card-header.tpl-red").CountAsync());
        var fields = card.Locator(".card-field.short");
        Assert.Equal(3, await fields.CountAsync());
        Assert.Equal(new[] { "Host\ndb-02", "Used\n93%", "**Owner**\n<at id=all></at>" }, (await fields.AllInnerTextsAsync()).Select(t => t.Replace("\r", string.Empty)));
        Assert.Equal("Host", await fields.First.Locator("strong").InnerTextAsync());
        Assert.Equal(0, await fields.Locator(".mention").CountAsync());
        var boxes = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => fields.Nth(i).BoundingBoxAsync()));
        Assert.Equal(boxes[0]!.Y, boxes[1]!.Y);
        Assert.True(boxes[1]!.X > boxes[0]!.X + 100, "the second field stands beside the first");

        var buttons = card.Locator("button.card-button");
        Assert.Equal(new[] { "Ack", "Runbook" }, await buttons.AllInnerTextsAsync());
        Assert.Contains("btn-primary", await buttons.Nth(0).GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Contains("btn-default", await buttons.Nth(1).GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Equal("opens https://example.com/runbook", await buttons.Nth(1).GetAttributeAsync("title"));
        var ack = await buttons.Nth(0).BoundingBoxAsync();
        var runbook = await buttons.Nth(1).BoundingBoxAsync();
        Assert.Equal(ack!.Y, runbook!.Y);
        Assert.Equal("Sent by the nightly check", await card.Locator(".card-note").InnerTextAsync());
        Assert.Equal(new[] { "@Alice", "@all" }, await card.Locator(".card-md .mention").AllInnerTextsAsync());

        // The markdown post: md paragraphs rendered (bold, a list, code), the mention, no HTML from the text.
        var post = page.Locator(".post").Filter(new() { HasText = "Nightly backup" });
        Assert.Equal("Backup", await post.Locator(".md strong").First.InnerTextAsync());
        Assert.Equal(new[] { "db-01", "db-02" }, await post.Locator(".md li").AllInnerTextsAsync());
        Assert.Equal("pg_dumpall", await post.Locator(".md pre.code").InnerTextAsync());
        Assert.Equal(new[] { "@Bob", "@all" }, await post.Locator(".mention").AllInnerTextsAsync());
        Assert.Contains("<img src=x onerror=alert(1)>", await post.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".msg-body img, .msg-body script").CountAsync());
        Assert.Empty(scriptErrors);

        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "inbox-cards.png"), FullPage = true });
    }

    private static JsonNode TableCard()
    {
        var rows = new JsonArray();
        string[] cells = ["<at user_id=\"all\"></at>", "**x**", "[a](https://example.com)", "<img src=x onerror=alert(1)>"];
        for (var i = 0; i < 12; i++)
        {
            rows.Add(new JsonObject
            {
                ["Host"] = "db-" + i.ToString("00", CultureInfo.InvariantCulture),
                ["Used"] = 12345.6 + i,
                ["Checked"] = Checked + i * 60_000L,
                ["Cell"] = cells[i % cells.Length],
            });
        }

        return new JsonObject
        {
            ["schema"] = "2.0",
            ["config"] = new JsonObject { ["update_multi"] = true },
            ["header"] = new JsonObject { ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = "Top" }, ["template"] = "blue" },
            ["body"] = new JsonObject
            {
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["tag"] = "table",
                    ["page_size"] = 10,
                    ["row_height"] = "low",
                    ["header_style"] = new JsonObject { ["bold"] = true, ["background_style"] = "grey" },
                    ["columns"] = JsonNode.Parse("""
                        [{"name":"Host","display_name":"Host","data_type":"text"},
                         {"name":"Used","display_name":"Used %","data_type":"number","format":{"precision":1,"separator":true}},
                         {"name":"Checked","display_name":"Checked","data_type":"date","date_format":"YYYY-MM-DD HH:mm"},
                         {"name":"Cell","display_name":"Cell","data_type":"text"}]
                        """),
                    ["rows"] = rows,
                }),
            },
        };
    }

    // What New-LarkCard writes for a red status card with three fields (one typed as markup), two buttons and a note.
    private static JsonNode StatusCard() => JsonNode.Parse($$$"""
        {"schema":"2.0","config":{"update_multi":true},
         "header":{"title":{"tag":"plain_text","content":"Disk 93% on db-02"},"subtitle":{"tag":"plain_text","content":"/var"},"template":"red"},
         "body":{"elements":[
          {"tag":"markdown","content":"**Used:** 93%\n<at id={{{SandboxSeed.AliceOpenId}}}></at> <at id=all></at>"},
          {"tag":"div","fields":[
            {"is_short":true,"text":{"tag":"lark_md","content":"**Host**\ndb&#45;02"}},
            {"is_short":true,"text":{"tag":"lark_md","content":"**Used**\n93%"}},
            {"is_short":true,"text":{"tag":"lark_md","content":"**&#42;&#42;Owner&#42;&#42;**\n&#60;at id=all&#62;&#60;&#47;at&#62;"}}]},
          {"tag":"column_set","flex_mode":"none","columns":[
            {"tag":"column","width":"auto","elements":[{"tag":"button","type":"primary","text":{"tag":"plain_text","content":"Ack"},"behaviors":[{"type":"callback","value":{"action":"ack"}}]}]},
            {"tag":"column","width":"auto","elements":[{"tag":"button","type":"default","text":{"tag":"plain_text","content":"Runbook"},"behaviors":[{"type":"open_url","default_url":"https://example.com/runbook"}]}]}]},
          {"tag":"div","text":{"tag":"plain_text","content":"Sent by the nightly check","text_size":"notation","text_color":"grey"}}]}}
        """)!;

    // What MarkdownPost writes: one md paragraph per block, mentions as a last paragraph of at nodes.
    private static JsonNode MarkdownPost() => JsonNode.Parse($$$"""
        {"zh_cn":{"title":"Nightly backup","content":[
          [{"tag":"md","text":"**Backup** done\n- db-01\n- db-02"}],
          [{"tag":"md","text":"```\npg_dumpall\n```"}],
          [{"tag":"md","text":"<img src=x onerror=alert(1)>"}],
          [{"tag":"at","user_id":"{{{SandboxSeed.BobOpenId}}}"},{"tag":"text","text":" "},{"tag":"at","user_id":"all"}]]}}
        """)!;

    private static async Task<HttpClient> ConnectAsync(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        var answer = await http.PostAsJsonAsync("open-apis/auth/v3/tenant_access_token/internal", new { app_id = SandboxSeed.AppId, app_secret = SandboxSeed.AppSecret });
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await answer.Content.ReadFromJsonAsync<JsonObject>())!["tenant_access_token"]!.GetValue<string>());
        return http;
    }

    private static async Task SendAsync(HttpClient http, string msgType, JsonNode content)
    {
        using var response = await http.PostAsJsonAsync(
            "open-apis/im/v1/messages?receive_id_type=chat_id",
            new { receive_id = SandboxSeed.OpsChatId, msg_type = msgType, content = content.ToJsonString(), uuid = Guid.NewGuid().ToString("N") });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"send {msgType}: HTTP {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal(0, document.RootElement.GetProperty("code").GetInt32());
    }
}
