using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Text;
using LarkPS.Api;
using LarkPS.Session;
using static LarkPS.UnitTests.Api.TestConnections;
using Xunit;

namespace LarkPS.UnitTests.Api;

/// <summary>
/// The choke point against real sockets (the connection's own default handler, not a scripted one): redirects are
/// never followed, answers are read under a cap, and answers of the wrong shape are LarkPS errors naming the field.
/// </summary>
public class ChokePointHardeningTests
{
    private const string TokenAnswer = "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-secret-token\",\"expire\":7200}";

    [Fact]
    public async Task A_redirecting_token_endpoint_never_gets_the_App_Secret_to_the_second_host()
    {
        await using var second = new RawHttpServer(_ => RawHttpServer.Answer(200, "OK", TokenAnswer));
        var elsewhere = new Uri($"http://localhost:{second.BaseUri.Port}/open-apis/auth/v3/tenant_access_token/internal");
        await using var first = new RawHttpServer(_ => RawHttpServer.Answer(307, "Temporary Redirect", "{}", "Location: " + elsewhere));
        using var connection = Connect(first.BaseUri);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.EnsureTokenAsync(CancellationToken.None));

        Assert.Equal("LarkRedirected", error.ErrorId);
        Assert.Contains("localhost", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not follow redirects", error.Message, StringComparison.Ordinal);
        Assert.Single(first.Received);
        Assert.Contains("s3cret", first.Received[0], StringComparison.Ordinal);
        Assert.Empty(second.Received);
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirecting_send_never_reaches_the_second_host_and_is_not_retried()
    {
        await using var second = new RawHttpServer(_ => RawHttpServer.Answer(200, "OK", "{\"code\":0,\"data\":{\"message_id\":\"om_1\"}}"));
        var elsewhere = new Uri($"http://localhost:{second.BaseUri.Port}/open-apis/im/v1/messages?receive_id_type=chat_id");
        await using var first = new RawHttpServer(request => request.Contains("tenant_access_token", StringComparison.Ordinal)
            ? RawHttpServer.Answer(200, "OK", TokenAnswer)
            : RawHttpServer.Answer(308, "Permanent Redirect", "{}", "Location: " + elsewhere));
        using var connection = Connect(first.BaseUri);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Send(), CancellationToken.None));

        Assert.Equal("LarkRedirected", error.ErrorId);
        Assert.Equal(RetryKind.Never, error.Retry);
        Assert.Empty(second.Received);
        Assert.Equal(2, first.Received.Count);
    }

    [Fact]
    public async Task An_answer_over_the_cap_fails_as_a_server_error_without_being_read_whole()
    {
        var huge = "{\"code\":0,\"data\":{\"pad\":\"" + new string('x', LarkApiClient.MaxAnswerBytes) + "\"}}";
        await using var server = new RawHttpServer(request => request.Contains("tenant_access_token", StringComparison.Ordinal)
            ? RawHttpServer.Answer(200, "OK", TokenAnswer)
            : RawHttpServer.Answer(200, "OK", huge));
        using var connection = Connect(server.BaseUri);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Send(), CancellationToken.None));

        Assert.Equal(LarkCodeTable.AnswerTooLarge, error.Row.Code);
        Assert.Equal(RetryKind.Transient, error.Retry);
        Assert.Contains("8 MB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_gzip_answer_that_expands_past_the_cap_is_stopped_at_the_cap()
    {
        // 64 MB of spaces compress to well under 1 MB; decompressed they pass the 8 MB cap.
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var spaces = Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024));
            gzip.Write("{\"code\":0,\"pad\":\""u8);
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("\"}"u8);
        }

        var compressed = packed.ToArray();
        Assert.True(compressed.Length < 1024 * 1024, "the test's answer should be small on the wire");
        await using var server = new RawHttpServer(request =>
        {
            if (request.Contains("tenant_access_token", StringComparison.Ordinal))
            {
                return RawHttpServer.Answer(200, "OK", TokenAnswer);
            }

            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {compressed.Length}\r\nConnection: close\r\n\r\n");
            return head.Concat(compressed).ToArray();
        });
        using var connection = Connect(server.BaseUri);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Send(), CancellationToken.None));

        Assert.Equal(LarkCodeTable.AnswerTooLarge, error.Row.Code);
    }

    [Theory]
    [InlineData("{\"code\":\"0\",\"msg\":\"ok\",\"tenant_access_token\":\"t-1\",\"expire\":7200}", "'code' as a string")]
    [InlineData("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-1\",\"expire\":\"7200\"}", "'expire' as a string")]
    [InlineData("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":7,\"expire\":7200}", "'tenant_access_token' as a number")]
    [InlineData("{\"code\":0,\"msg\":\"ok\",\"expire\":7200}", "no 'tenant_access_token'")]
    [InlineData("[1,2]", "is JSON")]
    [InlineData("{\"msg\":\"ok\"}", "no 'code'")]
    public async Task An_answer_of_the_wrong_shape_is_a_LarkPS_error_naming_the_field(string answer, string named)
    {
        await using var server = new RawHttpServer(_ => RawHttpServer.Answer(200, "OK", answer));
        using var connection = Connect(server.BaseUri);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.EnsureTokenAsync(CancellationToken.None));

        Assert.Equal("LarkAnswerInvalid", error.ErrorId);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("not Lark's format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_known_not_to_have_arrived()
    {
        // A port nothing listens on: the connection is refused, so Lark cannot have seen the request.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var connection = Connect(new Uri($"http://127.0.0.1:{port}/"));

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.EnsureTokenAsync(CancellationToken.None));

        Assert.True(error.IsTransport);
        Assert.False(error.MayHaveArrived);
        Assert.Equal("LarkUnreachable", error.ErrorId);
    }

    [Theory]
    [InlineData("http://user:pass@127.0.0.1:5300")]
    [InlineData("https://user@open.feishu.cn")]
    public void A_base_uri_with_a_user_name_or_password_is_refused(string uri)
    {
        Assert.False(HostRules.IsAcceptable(new Uri(uri), out var reason));
        Assert.Contains("user name or password", reason, StringComparison.Ordinal);
    }
}
