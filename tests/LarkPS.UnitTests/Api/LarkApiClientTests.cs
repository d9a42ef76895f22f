using System.Net;
using System.Net.Http;
using System.Text;
using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Session;
using Xunit;
using LarkPS.Threading;

namespace LarkPS.UnitTests.Api;

/// <summary>The choke point, against a scripted handler: what it sends, and how it reads every kind of answer.</summary>
public class LarkApiClientTests
{
    private static readonly Uri Base = new("https://open.feishu.cn");

    [Fact]
    public async Task A_successful_call_sends_the_bearer_token_and_user_agent_and_returns_data_and_log_id()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-abc\",\"expire\":7200}");
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_1\"}}", logId: "log-1");
        using var connection = Connect(handler);

        var response = await connection.Client.SendAsync(Post("open-apis/im/v1/messages?receive_id_type=chat_id"), CancellationToken.None);

        Assert.Equal("om_1", response.Data.GetProperty("message_id").GetString());
        Assert.Equal("log-1", response.LogId);
        var send = handler.Requests[1];
        Assert.Equal("https://open.feishu.cn/open-apis/im/v1/messages?receive_id_type=chat_id", send.Uri);
        Assert.Equal("Bearer t-abc", send.Authorization);
        Assert.StartsWith("LarkPS/", send.UserAgent, StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", send.ContentType);
        Assert.Equal("{\"app_id\":\"cli_x\",\"app_secret\":\"s3cret\"}", handler.Requests[0].Body);
    }

    [Fact]
    public async Task A_non_zero_code_with_HTTP_200_is_a_failure_with_code_msg_and_log_id()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":10014,\"msg\":\"app secret invalid\"}", logId: "log-10014");
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.EnsureTokenAsync(CancellationToken.None));

        Assert.Equal(10014, error.Code);
        Assert.Equal("app secret invalid", error.LarkMessage);
        Assert.Equal("log-10014", error.LogId);
        Assert.Contains("code 10014", error.Message, StringComparison.Ordinal);
        Assert.Contains("log id log-10014", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_violations_troubleshooter_and_the_error_log_id_are_read()
    {
        var handler = TokenThen(HttpStatusCode.BadRequest,
            "{\"code\":230001,\"msg\":\"invalid receive_id\",\"error\":{\"log_id\":\"body-log\",\"troubleshooter\":\"https://t.example\",\"field_violations\":[{\"field\":\"receive_id\",\"value\":\"x\",\"description\":\"must start with oc_\"}]}}");
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Post("open-apis/im/v1/messages"), CancellationToken.None));

        Assert.Equal(230001, error.Code);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
        Assert.Equal("body-log", error.LogId);
        Assert.Equal("https://t.example", error.Troubleshooter);
        var violation = Assert.Single(error.FieldViolations);
        Assert.Equal("receive_id", violation.Field);
        Assert.Contains("receive_id: must start with oc_", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_text_404_is_reported_with_a_hint_about_the_base_uri()
    {
        var handler = TokenThen(HttpStatusCode.NotFound, "404 page not found", contentType: "text/plain");
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Post("open-apis/nope"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatus);
        Assert.Contains("404 page not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("base URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_carries_the_rate_limit_reset_as_RetryAfter()
    {
        var handler = TokenThen((HttpStatusCode)429, "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}", headers: new() { ["x-ogw-ratelimit-reset"] = "3" });
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Post("open-apis/im/v1/messages"), CancellationToken.None));

        Assert.Equal(99991400, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Fact]
    public async Task An_absurd_rate_limit_reset_is_capped_not_an_overflow()
    {
        var handler = TokenThen((HttpStatusCode)429, "{\"code\":99991400,\"msg\":\"limit\"}", headers: new() { ["x-ogw-ratelimit-reset"] = "1e12" });
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Post("open-apis/im/v1/messages"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
    }

    [Fact]
    public async Task A_token_answer_with_a_nonsense_lifetime_is_refused()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-x\",\"expire\":999999999999}");
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.EnsureTokenAsync(CancellationToken.None));

        Assert.Contains("expire", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Posts_do_not_wait_for_100_continue()
    {
        var handler = new ScriptedHandler();
        using var connection = Connect(handler);

        Assert.Equal(false, connection.Client.ExpectContinue);
    }

    [Fact]
    public async Task An_invalid_token_answer_drops_the_token_refreshes_once_and_retries_once()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-old\",\"expire\":7200}");
        handler.Answer(HttpStatusCode.BadRequest, "{\"code\":99991663,\"msg\":\"Invalid access token for authorization\"}");
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-new\",\"expire\":7200}");
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"data\":{}}");
        using var connection = Connect(handler);

        await connection.Client.SendAsync(Post("open-apis/im/v1/messages"), CancellationToken.None);

        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal("Bearer t-old", handler.Requests[1].Authorization);
        Assert.Equal("Bearer t-new", handler.Requests[3].Authorization);
    }

    [Fact]
    public async Task A_second_invalid_token_answer_is_not_retried_again_by_the_client()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-1\",\"expire\":7200}");
        handler.Answer(HttpStatusCode.BadRequest, "{\"code\":99991663,\"msg\":\"invalid\"}");
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-2\",\"expire\":7200}");
        handler.Answer(HttpStatusCode.BadRequest, "{\"code\":99991671,\"msg\":\"expired\"}");
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Post("open-apis/im/v1/messages"), CancellationToken.None));

        Assert.Equal(99991671, error.Code);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_failure()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-1\",\"expire\":7200}");
        handler.Fail(new HttpRequestException("Connection refused"));
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Post("open-apis/im/v1/messages"), CancellationToken.None));

        Assert.True(error.IsTransport);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://open.feishu.cn", true)]
    [InlineData("http://127.0.0.1:5300", true)]
    [InlineData("http://localhost:5300", true)]
    [InlineData("http://[::1]:5300", true)]
    [InlineData("http://open.feishu.cn", false)]
    [InlineData("http://10.0.0.5:5300", false)]
    [InlineData("ftp://127.0.0.1", false)]
    public void Only_https_or_loopback_http_is_acceptable(string uri, bool acceptable)
    {
        Assert.Equal(acceptable, HostRules.IsAcceptable(new Uri(uri), out var reason));
        Assert.Equal(acceptable, reason is null);
    }

    [Theory]
    [InlineData("https://open.feishu.cn/", LarkRegion.Feishu)]
    [InlineData("https://open.larksuite.com", LarkRegion.Lark)]
    [InlineData("http://127.0.0.1:5300", LarkRegion.Custom)]
    public void The_region_follows_the_host(string uri, LarkRegion region) => Assert.Equal(region, LarkHosts.RegionOf(new Uri(uri)));

    // The token request carries no ticket of its own, and leaves its connection open: the first send after it
    // finds that connection and must be counted warm, or the limiter takes its round trip for a handshake's.
    [Fact]
    public async Task A_send_after_the_token_request_is_counted_as_finding_a_connection_open()
    {
        var handler = TokenThen(HttpStatusCode.OK, "{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_1\"}}");
        using var connection = Connect(handler);
        await connection.EnsureTokenAsync(CancellationToken.None);
        var limiter = new RateLimiter(new DeliveryOptions().Pacing, SystemClock.Instance);
        Assert.True(limiter.TryReserve("chat_id:oc_1", null, out var ticket, out _));
        var record = ticket!.Record;

        var send = Post("open-apis/im/v1/messages?receive_id_type=chat_id");
        send.Pacing = ticket;
        await connection.Client.SendAsync(send, CancellationToken.None);

        Assert.True(record!.Warm);
        Assert.True(record.HeadersAt > 0);
    }

    private static LarkConnection Connect(ScriptedHandler handler) => TestConnections.Connect(Base, handler);

    private static ScriptedHandler TokenThen(HttpStatusCode status, string body, string contentType = "application/json", Dictionary<string, string>? headers = null)
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-1\",\"expire\":7200}");
        handler.Answer(status, body, contentType: contentType, headers: headers);
        return handler;
    }

    private static LarkRequest Post(string path) => new(HttpMethod.Post, path, "send a message") { JsonBody = Encoding.UTF8.GetBytes("{}") };
}

/// <summary>An HttpMessageHandler that answers from a script and records what it was sent.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _answers = new();

    public List<(string Uri, string? Authorization, string UserAgent, string? ContentType, string Body)> Requests { get; } = new();

    public void Answer(HttpStatusCode status, string body, string? logId = null, string contentType = "application/json", Dictionary<string, string>? headers = null) =>
        _answers.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            if (logId is not null)
            {
                response.Headers.TryAddWithoutValidation(LarkApiClient.LogIdHeader, logId);
            }

            foreach (var (name, value) in headers ?? new())
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        });

    public void Fail(Exception error) => _answers.Enqueue(() => throw error);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.RequestUri!.ToString(), request.Headers.Authorization?.ToString(), request.Headers.UserAgent.ToString(), request.Content?.Headers.ContentType?.ToString(), body));
        return _answers.Dequeue()();
    }
}
