using System.Net;
using System.Text.Json;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>What every endpoint shares: auth, log ids, 404s, the control endpoints and the page.</summary>
public sealed class ProtocolTests : SandboxTestBase
{
    [Fact]
    public async Task Missing_token_answers_99991661_with_http_400_and_a_log_id_in_the_error()
    {
        var (response, body) = await SendRawAsync(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=open_id", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99991661, Code(body));
        var logId = Assert.Single(response.Headers.GetValues("X-Tt-Logid"));
        Assert.Equal(logId, body.GetProperty("error").GetProperty("log_id").GetString());
        Assert.Empty(Server.Inbox);
    }

    [Theory]
    [InlineData("t-doesnotexist")]
    [InlineData("garbage")]
    public async Task Unknown_token_answers_99991663_with_http_400(string token)
    {
        var (response, body) = await SendTextAsync(token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99991663, Code(body));
        Assert.Empty(Server.Inbox);
    }

    [Fact]
    public async Task A_non_bearer_authorization_header_counts_as_missing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "open-apis/im/v1/chats");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic abc");
        using var response = await Http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(99991661, body.RootElement.GetProperty("code").GetInt32());
    }

    [Theory]
    // GET im/v1/messages is the chat history since issue 25; PUT on the collection is no operation of Lark's.
    [InlineData("PUT", "open-apis/im/v1/messages")]
    [InlineData("GET", "open-apis/auth/v3/tenant_access_token/internal")]
    [InlineData("POST", "open-apis/im/v1/nothing-here")]
    [InlineData("GET", "no/such/page")]
    public async Task Unknown_path_or_wrong_method_is_a_plain_text_404(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404 page not found", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("X-Tt-Logid"));
    }

    [Fact]
    public async Task Every_response_carries_a_fresh_x_tt_logid()
    {
        var token = await GetTokenAsync();
        var paths = new[] { "open-apis/im/v1/chats", "_sandbox/inbox", "_sandbox/stats", "nowhere", "" };
        var seen = new HashSet<string>();
        foreach (var path in paths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new("Bearer", token);
            using var response = await Http.SendAsync(request);
            var logId = Assert.Single(response.Headers.GetValues("X-Tt-Logid"));
            Assert.Matches("^20[0-9]{12}[0-9A-F]{18}$", logId);
            Assert.True(seen.Add(logId), $"log id {logId} repeated");
        }

        var (sendResponse, _) = await SendTextAsync(token);
        Assert.True(sendResponse.Headers.Contains("X-Tt-Logid"));
    }

    [Fact]
    public async Task Root_serves_the_inbox_page_as_html()
    {
        using var response = await Http.GetAsync("");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sandbox_inbox_reflects_sends_and_delete_resets_it()
    {
        var token = await GetTokenAsync();
        var (_, sent) = await SendTextAsync(token, "inbox check", uuid: "inbox-1");

        using var inboxResponse = await Http.GetAsync("_sandbox/inbox");
        using var inbox = JsonDocument.Parse(await inboxResponse.Content.ReadAsStringAsync());
        var item = Assert.Single(inbox.RootElement.EnumerateArray());
        Assert.Equal(MessageId(sent), item.GetProperty("message_id").GetString());
        Assert.Equal("open_id", item.GetProperty("receive_id_type").GetString());
        Assert.Equal(SandboxSeed.AliceOpenId, item.GetProperty("receive_id").GetString());
        Assert.Equal("text", item.GetProperty("msg_type").GetString());
        Assert.Equal(Text("inbox check"), item.GetProperty("content").GetString());
        Assert.Equal("inbox-1", item.GetProperty("uuid").GetString());
        Assert.Equal(SandboxDirectory.P2pChatId(SandboxSeed.AliceOpenId), item.GetProperty("chat_id").GetString());
        Assert.False(item.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("parent_id").ValueKind);
        Assert.True(DateTimeOffset.TryParse(item.GetProperty("time").GetString(), out _));

        using var deleted = await Http.DeleteAsync("_sandbox/inbox");
        Assert.True(deleted.IsSuccessStatusCode);
        Assert.Empty(Server.Inbox);
        Assert.Equal(0, Server.Stats.Sent);
    }

    [Fact]
    public async Task Sandbox_requests_records_method_path_headers_body_status_and_code()
    {
        var token = await GetTokenAsync();
        await SendMessageAsync(token, "open_id", SandboxSeed.CarolOpenId, "text", Text("to carol"));

        var recorded = Server.Requests.Single(r => r.PathAndQuery.StartsWith("/open-apis/im/v1/messages", StringComparison.Ordinal));
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("/open-apis/im/v1/messages?receive_id_type=open_id", recorded.PathAndQuery);
        Assert.Equal("Bearer " + token, recorded.Headers["Authorization"]);
        Assert.Contains(SandboxSeed.CarolOpenId, recorded.Body, StringComparison.Ordinal);
        Assert.Equal(400, recorded.StatusCode);
        Assert.Equal(230013, recorded.Code);

        using var response = await Http.GetAsync("_sandbox/requests");
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(list.RootElement.EnumerateArray(), r => r.GetProperty("code").ValueKind == JsonValueKind.Number
            && r.GetProperty("code").GetInt32() == 230013 && r.GetProperty("status_code").GetInt32() == 400);
    }

    [Fact]
    public async Task Sandbox_stats_and_directory_are_served_as_json()
    {
        var token = await GetTokenAsync();
        await SendTextAsync(token);

        using var statsResponse = await Http.GetAsync("_sandbox/stats");
        using var stats = JsonDocument.Parse(await statsResponse.Content.ReadAsStringAsync());
        Assert.Equal(1, stats.RootElement.GetProperty("sent").GetInt32());
        Assert.Equal(1, stats.RootElement.GetProperty("tokensIssued").GetInt32());

        using var directoryResponse = await Http.GetAsync("_sandbox/directory");
        using var directory = JsonDocument.Parse(await directoryResponse.Content.ReadAsStringAsync());
        var users = directory.RootElement.GetProperty("users").EnumerateArray().ToList();
        Assert.Equal(5, users.Count);
        Assert.Contains(users, u => u.GetProperty("openId").GetString() == SandboxSeed.CarolOpenId && !u.GetProperty("visible").GetBoolean());
        Assert.Equal(3, directory.RootElement.GetProperty("chats").GetArrayLength());
    }

    [Fact]
    public async Task Reset_clears_inbox_requests_stats_faults_and_uuid_memory_but_keeps_tokens()
    {
        var token = await GetTokenAsync();
        var (_, first) = await SendTextAsync(token, uuid: "reset-uuid");
        Server.Faults.FailBeforeStore = 3;

        Server.Reset();

        Assert.Empty(Server.Inbox);
        Assert.Empty(Server.Requests);
        Assert.Equal(0, Server.Stats.Sent);
        Assert.Equal(0, Server.Faults.FailBeforeStore);
        var (_, again) = await SendTextAsync(token, uuid: "reset-uuid");
        Assert.Equal(0, Code(again));
        Assert.NotEqual(MessageId(first), MessageId(again));
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://192.168.1.10:0")]
    public async Task Non_loopback_addresses_are_refused_unless_allowed(string url)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SandboxServer.StartAsync(url: url));
    }

    [Fact]
    public void Directory_file_round_trips_in_camel_case()
    {
        var path = Path.Combine(Path.GetTempPath(), $"larkps-dir-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """
                {"users":[{"openId":"ou_00000000000000000000000000000001","unionId":"on_1","userId":"u1","name":"Zed",
                           "email":"zed@example.com","mobile":"+8613900000009","visible":true,"resigned":false}],
                 "chats":[{"chatId":"oc_00000000000000000000000000000001","name":"Zed's chat","botIsMember":true}]}
                """);

            var directory = SandboxDirectory.Load(path);

            var user = Assert.Single(directory.Users);
            Assert.Equal(new SandboxUser("ou_00000000000000000000000000000001", "on_1", "u1", "Zed", "zed@example.com", "+8613900000009", true, false), user);
            Assert.Equal("Zed's chat", Assert.Single(directory.Chats).Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Seed_ids_have_larks_shapes()
    {
        var directory = SandboxDirectory.CreateDefault();
        Assert.All(directory.Users, u =>
        {
            Assert.Matches("^ou_[0-9a-f]{32}$", u.OpenId);
            Assert.Matches("^on_[0-9a-f]{32}$", u.UnionId);
            Assert.Matches("^[0-9a-z]{8}$", u.UserId);
        });
        Assert.All(directory.Chats, c => Assert.Matches("^oc_[0-9a-f]{32}$", c.ChatId));
        Assert.Equal(directory.Users.Count, directory.Users.Select(u => u.OpenId).Distinct().Count());
    }
}
