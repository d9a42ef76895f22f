using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Commands;
using LarkPS.Messages;
using LarkPS.Session;
using LarkPS.UnitTests.Api;
using LarkPS.Webhooks;
using Xunit;

namespace LarkPS.UnitTests.Webhooks;

/// <summary>The webhook sender through the real HTTP choke point (a scripted handler answers), and the code table's hook rows.</summary>
public sealed class WebhookSenderTests
{
    private const string Token = "6f0d7c52-3b1e-4a8f-9c2d-5e4b3a2f1d0c";
    private const string Secret = "larkps-vector-secret";

    private static (LarkConnection Connection, ScriptedHandler Handler, FakeClock Clock) Connect(string? secret = Secret)
    {
        var handler = new ScriptedHandler();
        var clock = new FakeClock(DateTimeOffset.FromUnixTimeSeconds(1700000000));
        Assert.True(WebhookAddress.TryParse("https://open.feishu.cn/open-apis/bot/v2/hook/" + Token, out var hook, out _));
        SecureString? secure = null;
        if (secret is not null)
        {
            secure = new SecureString();
            foreach (var c in secret)
            {
                secure.AppendChar(c);
            }
        }

        return (new LarkConnection(hook!, secure, clock, () => handler), handler, clock);
    }

    private static WebhookMessage Text(string text) => WebhookRules.Check(new MessageInput { Text = text }, signed: true).Message!;

    [Fact]
    public async Task Every_attempt_is_signed_anew_with_the_vector_at_its_time_and_carries_no_token_header()
    {
        var (connection, handler, clock) = Connect();
        handler.Answer(HttpStatusCode.OK, "{\"StatusCode\":0,\"StatusMessage\":\"success\",\"code\":0,\"data\":{},\"msg\":\"success\"}");
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"data\":{},\"msg\":\"success\"}");

        await connection.HookSender!.SendAsync(Text("one"), null, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(90));
        await connection.HookSender.SendAsync(Text("two"), null, CancellationToken.None);

        var first = JsonDocument.Parse(handler.Requests[0].Body).RootElement;
        var second = JsonDocument.Parse(handler.Requests[1].Body).RootElement;
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/" + Token, handler.Requests[0].Uri);
        Assert.Null(handler.Requests[0].Authorization);
        Assert.Equal("1700000000", first.GetProperty("timestamp").GetString());
        Assert.Equal("qZMKMlkWkbwGasuU1HFY3vAz28jMVLj0s3BvujMD3dQ=", first.GetProperty("sign").GetString());
        Assert.Equal("1700000090", second.GetProperty("timestamp").GetString());
        Assert.NotEqual(first.GetProperty("sign").GetString(), second.GetProperty("sign").GetString());
        Assert.Equal("one", first.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_unsigned_hook_sends_no_timestamp_or_sign_and_an_older_hooks_StatusCode_0_is_success()
    {
        var (connection, handler, _) = Connect(secret: null);
        handler.Answer(HttpStatusCode.OK, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}");

        var sent = await connection.HookSender!.SendAsync(Text("plain"), null, CancellationToken.None);

        var body = JsonDocument.Parse(handler.Requests[0].Body).RootElement;
        Assert.False(body.TryGetProperty("sign", out _));
        Assert.False(body.TryGetProperty("timestamp", out _));
        Assert.Equal("text", sent.ContentType);
        Assert.DoesNotContain(Token, sent.ReceiveId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}", 19021, "WebhookSignatureRejected")]
    [InlineData("{\"code\":19024,\"data\":{},\"msg\":\"Key Words Not Found\"}", 19024, "WebhookKeywordMissing")]
    [InlineData("{\"code\":19022,\"data\":{},\"msg\":\"Ip Not Allowed\"}", 19022, "WebhookIpNotAllowed")]
    [InlineData("{\"code\":19001,\"data\":{},\"msg\":\"param invalid: incoming webhook access token invalid\"}", 19001, "WebhookTokenInvalid")]
    [InlineData("{\"code\":9499,\"data\":{},\"msg\":\"Bad Request\"}", 9499, "WebhookBadRequest")]
    [InlineData("{\"StatusCode\":19021,\"StatusMessage\":\"sign match fail\"}", 19021, "WebhookSignatureRejected")]
    public async Task A_refusal_with_HTTP_200_is_an_error_with_its_row_never_a_success(string answer, int code, string errorId)
    {
        var (connection, handler, _) = Connect();
        handler.Answer(HttpStatusCode.OK, answer);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.HookSender!.SendAsync(Text("x"), null, CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Equal(errorId, error.ErrorId);
        Assert.False(error.MayHaveArrived);
        Assert.Equal(RetryKind.Never, error.Retry);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_19021_fix_names_every_way_the_secret_is_given_the_environment_too()
    {
        var (connection, handler, _) = Connect();
        handler.Answer(HttpStatusCode.OK, "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}");

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.HookSender!.SendAsync(Text("x"), null, CancellationToken.None));

        // A secret read from LARK_WEBHOOK_SECRET was given with no parameter: the fix must name where it came from.
        Assert.Contains("-WebhookSecret", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("LARK_WEBHOOK_SECRET", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("clock", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_hook_11232_is_retried_as_a_receiver_quota()
    {
        var (connection, handler, _) = Connect();
        handler.Answer(HttpStatusCode.OK, "{\"code\":11232,\"data\":{},\"msg\":\"frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]\"}");

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.HookSender!.SendAsync(Text("x"), null, CancellationToken.None));

        Assert.Equal(RetryKind.ReceiverQuota, error.Retry);
        Assert.Equal(ErrorIds.RateLimited, error.ErrorId);
    }

    [Fact]
    public async Task A_timeout_or_a_server_error_may_have_arrived_and_is_final_never_resent()
    {
        var (connection, handler, _) = Connect();
        handler.Fail(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing."));
        handler.Answer(HttpStatusCode.InternalServerError, "{\"code\":1500,\"msg\":\"internal error\"}");

        var timeout = await Assert.ThrowsAsync<WebhookMayHaveArrivedException>(() => connection.HookSender!.SendAsync(Text("x"), null, CancellationToken.None));
        var serverError = await Assert.ThrowsAsync<WebhookMayHaveArrivedException>(() => connection.HookSender!.SendAsync(Text("y"), null, CancellationToken.None));

        Assert.True(timeout.Failure.MayHaveArrived);
        Assert.Equal(RetryKind.Never, timeout.Failure.Retry);
        Assert.Equal(RetryKind.Never, serverError.Failure.Retry);
        Assert.Contains("may have arrived", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_connection_that_never_opened_carried_nothing_and_stays_retryable()
    {
        var (connection, handler, _) = Connect();
        handler.Fail(new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.HookSender!.SendAsync(Text("x"), null, CancellationToken.None));

        Assert.False(error.MayHaveArrived);
        Assert.Equal(RetryKind.Transient, error.Retry);
    }

    [Fact]
    public void A_webhook_connection_shows_only_the_masked_address_and_the_hooks_quotas()
    {
        var (connection, _, _) = Connect();

        Assert.Equal(LarkConnectionKind.Webhook, connection.Kind);
        Assert.True(connection.IsSigned);
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/********1d0c", connection.WebhookUri);
        Assert.DoesNotContain(Token, connection.ToString(), StringComparison.Ordinal);
        Assert.Null(connection.TokenExpiresAt);
        Assert.Equal(5, connection.QuotaPerSecond);
        Assert.Equal(100, connection.QuotaPerMinute);
        Assert.Equal(WebhookSender.RateWindowMargin, connection.CreateDeliveryOptions().RateWindowMargin);
    }
}
