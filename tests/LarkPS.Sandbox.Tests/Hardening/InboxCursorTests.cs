using System.Net;
using System.Text.Json;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests.Hardening;

/// <summary>
/// Issue 14: the inbox page fetched the whole inbox every second (36 MB at 100,000 messages). It now asks for what
/// changed after a cursor: new messages, edits and recalls, nothing it already has.
/// </summary>
public sealed class InboxCursorTests : SandboxTestBase
{
    // Seven messages to one user in frozen time would trip the 5/s receiver quota: not what these tests are about.
    protected override void Configure(SandboxOptions options)
    {
        base.Configure(options);
        options.Quotas.Enabled = false;
    }

    [Fact]
    public async Task A_cursor_returns_only_what_changed_since_in_inbox_order()
    {
        var token = await GetTokenAsync();
        var first = MessageId((await SendTextAsync(token, "one")).Body);
        await SendTextAsync(token, "two");
        await SendTextAsync(token, "three");

        var all = await ChangesAsync(string.Empty);
        Assert.Equal(["one", "two", "three"], Texts(all));
        Assert.False(all.GetProperty("reset").GetBoolean());
        Assert.False(all.GetProperty("has_more").GetBoolean());
        var cursor = all.GetProperty("cursor").GetString()!;

        var nothing = await ChangesAsync(cursor);
        Assert.Equal(0, nothing.GetProperty("items").GetArrayLength());
        Assert.Equal(cursor, nothing.GetProperty("cursor").GetString());

        // A recall of an old message and a new one: both, in inbox order, the recalled one marked.
        await SendTextAsync(token, "four");
        using (var recall = new HttpRequestMessage(HttpMethod.Delete, "open-apis/im/v1/messages/" + first))
        {
            recall.Headers.Authorization = new("Bearer", token);
            using var answer = await Http.SendAsync(recall);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var changed = await ChangesAsync(cursor);
        Assert.Equal(["one", "four"], Texts(changed));
        Assert.True(changed.GetProperty("items")[0].GetProperty("deleted").GetBoolean());
        Assert.False(changed.GetProperty("items")[1].GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task A_small_limit_pages_through_everything_once()
    {
        var token = await GetTokenAsync();
        for (var i = 0; i < 7; i++)
        {
            await SendTextAsync(token, "m" + i);
        }

        var seen = new List<string>();
        var cursor = string.Empty;
        var pages = 0;
        bool more;
        do
        {
            var page = await ChangesAsync(cursor, limit: 3);
            seen.AddRange(Texts(page));
            cursor = page.GetProperty("cursor").GetString()!;
            more = page.GetProperty("has_more").GetBoolean();
            pages++;
        }
        while (more && pages < 10);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => "m" + i), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task After_a_reset_an_old_cursor_says_reset_and_starts_over()
    {
        var token = await GetTokenAsync();
        await SendTextAsync(token, "before");
        var cursor = (await ChangesAsync(string.Empty)).GetProperty("cursor").GetString()!;

        using (var clear = await Http.DeleteAsync("_sandbox/inbox"))
        {
            Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        }

        await SendTextAsync(token, "after");
        var answer = await ChangesAsync(cursor);
        Assert.True(answer.GetProperty("reset").GetBoolean());
        Assert.Equal(["after"], Texts(answer));
    }

    [Fact]
    public async Task Without_a_cursor_the_inbox_is_still_the_whole_array()
    {
        var token = await GetTokenAsync();
        await SendTextAsync(token, "one");
        await SendTextAsync(token, "two");

        using var document = JsonDocument.Parse(await Http.GetStringAsync("_sandbox/inbox"));
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(2, document.RootElement.GetArrayLength());
    }

    private async Task<JsonElement> ChangesAsync(string cursor, int? limit = null)
    {
        var path = "_sandbox/inbox?since=" + Uri.EscapeDataString(cursor) + (limit is { } l ? "&limit=" + l : string.Empty);
        using var document = JsonDocument.Parse(await Http.GetStringAsync(path));
        return document.RootElement.Clone();
    }

    private static List<string> Texts(JsonElement page) =>
        page.GetProperty("items").EnumerateArray()
            .Select(m => JsonDocument.Parse(m.GetProperty("content").GetString()!).RootElement.GetProperty("text").GetString()!)
            .ToList();
}
