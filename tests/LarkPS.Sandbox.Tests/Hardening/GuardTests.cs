using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;
using LarkPS.Sandbox.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace LarkPS.Sandbox.Tests.Hardening;

/// <summary>
/// Issue 14, the sandbox: a web page the user visits must not reach it (DNS rebinding, cross-origin control calls),
/// and every error it raises comes in Lark's shape with a log id.
/// </summary>
public sealed class GuardTests : SandboxTestBase
{
    [Theory]
    [InlineData("rebind.attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("192.168.1.10")]
    public async Task A_Host_header_that_does_not_name_loopback_is_refused_before_anything_is_read(string host)
    {
        var token = await GetTokenAsync();
        Server.Reset();
        foreach (var path in new[] { "_sandbox/requests", "_sandbox/inbox", "open-apis/im/v1/chats" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host + ":" + Server.BaseAddress.Port;
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await Http.SendAsync(request);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await AssertLarkErrorAsync(response, RequestGuard.BadRequest, "loopback");
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, "_sandbox/faults") { Content = Json("{\"latencyMs\":5000}") };
        post.Headers.Host = host;
        using var refused = await Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(TimeSpan.Zero, Server.Faults.Latency);
        Assert.Empty(Server.Requests);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("127.9.9.9")]
    [InlineData("[::1]")]
    public async Task Loopback_Host_headers_are_served(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "_sandbox/stats");
        request.Headers.Host = host + ":" + Server.BaseAddress.Port;
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_cross_origin_control_post_is_refused_and_changes_nothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_sandbox/faults") { Content = Json("{\"failBeforeStore\":3}") };
        request.Headers.TryAddWithoutValidation("Origin", "http://attacker.example");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertLarkErrorAsync(response, RequestGuard.BadRequest, "cross-origin");
        Assert.Equal(0, Server.Faults.FailBeforeStore);
    }

    [Theory]
    [InlineData("GET", "_sandbox/requests", "cross-site")]
    [InlineData("GET", "_sandbox/inbox", "same-site")]
    [InlineData("DELETE", "_sandbox/inbox", "cross-site")]
    [InlineData("POST", "_sandbox/faults", "cross-site")]
    public async Task Sec_Fetch_Site_from_another_site_is_refused_on_control_and_inbox_endpoints(string method, string path, string site)
    {
        var token = await GetTokenAsync();
        await SendTextAsync(token, "kept");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = Json("{\"dropConnections\":1}");
        }

        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", site);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("kept", text, StringComparison.Ordinal);
        Assert.Single(Server.Inbox);
        Assert.Equal(0, Server.Faults.DropConnections);
    }

    [Fact]
    public async Task The_sandbox_page_itself_and_non_browser_clients_are_served()
    {
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "_sandbox/faults") { Content = Json("{\"latencyMs\":1}") };
        sameOrigin.Headers.TryAddWithoutValidation("Origin", Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        sameOrigin.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        using var page = await Http.SendAsync(sameOrigin);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(1), Server.Faults.Latency);

        using var typed = new HttpRequestMessage(HttpMethod.Get, "_sandbox/inbox");
        typed.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "none");
        using var addressBar = await Http.SendAsync(typed);
        Assert.Equal(HttpStatusCode.OK, addressBar.StatusCode);

        // Lark's own API is not a control endpoint: a browser origin there is Lark's business, not the guard's.
        using var api = new HttpRequestMessage(HttpMethod.Post, "open-apis/auth/v3/tenant_access_token/internal")
        {
            Content = Json($"{{\"app_id\":\"{SandboxSeed.AppId}\",\"app_secret\":\"{SandboxSeed.AppSecret}\"}}"),
        };
        api.Headers.TryAddWithoutValidation("Origin", "http://elsewhere.example");
        using var token = await Http.SendAsync(api);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    public static TheoryData<string> InvalidUtf8Paths => new()
    {
        "open-apis/auth/v3/tenant_access_token/internal",
        "open-apis/im/v1/messages?receive_id_type=open_id",
        "open-apis/contact/v3/users/batch_get_id?user_id_type=open_id",
        "_sandbox/faults",
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Paths))]
    public async Task Invalid_utf8_is_answered_in_json_with_a_log_id_never_an_empty_500(string path)
    {
        var token = await GetTokenAsync();

        // A JSON object whose string values hold bytes that are not UTF-8 (0xC3 0x28, 0xFF).
        var prefix = Encoding.UTF8.GetBytes("{\"app_id\":\"cli_sandbox\",\"app_secret\":\"");
        byte[] bad = [0xC3, 0x28, 0xFF];
        var suffix = Encoding.UTF8.GetBytes($"\",\"receive_id\":\"{SandboxSeed.AliceOpenId}\",\"msg_type\":\"text\",\"content\":\"{{\\\"text\\\":\\\"x\\\"}}\",\"mobiles\":[\"1\"],\"latencyMs\":1}}");
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent([.. prefix, .. bad, .. suffix]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        var code = await AssertLarkErrorAsync(response, expectedCode: null, messagePart: null);
        Assert.NotEqual(0, code);
        Assert.Empty(Server.Inbox);
        Assert.Equal(TimeSpan.Zero, Server.Faults.Latency);
    }

    [Fact]
    public async Task A_failure_no_endpoint_foresaw_is_a_lark_shaped_500_with_the_log_id()
    {
        var state = new SandboxState(new SandboxOptions());
        var recorder = new RequestRecorder(_ => throw new InvalidOperationException("a sandbox bug"), state);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/open-apis/im/v1/messages";
        context.Request.Body = new MemoryStream("{}"u8.ToArray());
        context.Response.Body = new MemoryStream();

        await recorder.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(1500, body.RootElement.GetProperty("code").GetInt32());
        var logId = context.Response.Headers["X-Tt-Logid"].ToString();
        Assert.False(string.IsNullOrEmpty(logId));
        Assert.Equal(logId, body.RootElement.GetProperty("error").GetProperty("log_id").GetString());
        var logged = Assert.Single(state.Requests.Snapshot());
        Assert.Equal(500, logged.StatusCode);
    }

    [Fact]
    public async Task A_bad_fault_value_is_a_lark_shaped_400()
    {
        var (response, body) = await SendRawAsync(HttpMethod.Post, "_sandbox/faults", "{\"latencyMs\":\"soon\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RequestGuard.BadRequest, Code(body));
        Assert.Equal(response.Headers.GetValues("X-Tt-Logid").Single(), body.GetProperty("error").GetProperty("log_id").GetString());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Asserts Lark's error shape (code, msg, error.log_id equal to the X-Tt-Logid header) and returns the code.</summary>
    private static async Task<int> AssertLarkErrorAsync(HttpResponseMessage response, int? expectedCode, string? messagePart)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var code = root.GetProperty("code").GetInt32();
        if (expectedCode is { } expected)
        {
            Assert.Equal(expected, code);
        }

        var msg = root.GetProperty("msg").GetString();
        Assert.False(string.IsNullOrWhiteSpace(msg));
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, msg, StringComparison.OrdinalIgnoreCase);
        }

        var logId = Assert.Single(response.Headers.GetValues("X-Tt-Logid"));
        Assert.Equal(logId, root.GetProperty("error").GetProperty("log_id").GetString());
        return code;
    }
}
