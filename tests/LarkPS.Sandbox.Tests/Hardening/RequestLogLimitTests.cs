using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests.Hardening;

/// <summary>
/// Issue 14: the request log is bounded in bytes as well as count; a body over 1 MB is recorded by its size only,
/// whether it came with a Content-Length or chunked; an escaped app_secret is read as one and never logged.
/// </summary>
public sealed class RequestLogLimitTests : SandboxTestBase
{
    private const long Budget = 4L * 1024 * 1024;

    protected override void Configure(SandboxOptions options)
    {
        base.Configure(options);
        options.RequestLogBytes = Budget;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_cap_is_logged_by_size_only_and_a_message_that_large_is_230025(bool chunked)
    {
        var token = await GetTokenAsync();
        const int size = (2 * 1024 * 1024) + 17;
        using var request = new HttpRequestMessage(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=open_id")
        {
            Content = GeneratedJsonContent.Message(size, chunked),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(230025, answer.RootElement.GetProperty("code").GetInt32());
        Assert.Empty(Server.Inbox);
        var logged = Server.Requests[^1];
        Assert.Equal($"[application/json; charset=utf-8, {size} bytes]", logged.Body);
        Assert.Equal(chunked, logged.Headers.ContainsKey("Transfer-Encoding"));
    }

    [Fact]
    public async Task A_body_just_under_the_cap_is_logged_whole()
    {
        var size = RequestBody.MaxBufferedBytes - 10;
        using var response = await Http.PostAsync("open-apis/im/v1/messages?receive_id_type=open_id", GeneratedJsonContent.Message(size, chunked: true));

        var logged = Assert.Single(Server.Requests);
        Assert.Equal(size, Encoding.UTF8.GetByteCount(logged.Body));
    }

    [Fact]
    public async Task The_log_keeps_the_newest_requests_that_fit_its_byte_budget()
    {
        // 24 bodies of 700 KB (1.4 MB each in memory) against a 4 MB budget: only the newest two can stay.
        const int size = 700 * 1024;
        for (var i = 0; i < 24; i++)
        {
            using var content = GeneratedJsonContent.Message(size, chunked: i % 2 == 0, marker: "m" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
            using var response = await Http.PostAsync("open-apis/im/v1/messages?receive_id_type=open_id", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var kept = Server.Requests;
        Assert.InRange(kept.Count, 1, 3);
        Assert.True(kept.Sum(RequestLog.SizeOf) <= Budget, $"{kept.Sum(RequestLog.SizeOf)} bytes kept");
        Assert.Contains("m23", kept[^1].Body, StringComparison.Ordinal);
        var page = await Http.GetStringAsync("_sandbox/requests");
        using var parsed = JsonDocument.Parse(page);

        // The page itself was logged after the snapshot it shows.
        Assert.Equal(kept.Count, parsed.RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("{\"app_id\":\"cli_sandbox\",\"app_\\u0073ecret\":\"sandbox-secret\"}", true)]
    [InlineData("{\"app_id\":\"cli_sandbox\",\"\\u0061pp_secret\":\"sandbox-secret\"}", true)]
    [InlineData("{\"app_id\":\"cli_sandbox\",\"app_secret\":\"wrong\",\"app_\\u0073ecret\":\"sandbox-secret\"}", true)]
    [InlineData("{\"app_id\":\"cli_sandbox\",\"APP_SECRET\":\"sandbox-secret\",\"nested\":{\"app_secret\":[\"sandbox-secret\"]}}", false)]
    public async Task An_escaped_app_secret_is_read_as_app_secret_and_never_logged_in_clear(string body, bool accepted)
    {
        var (_, answer) = await SendRawAsync(HttpMethod.Post, "open-apis/auth/v3/tenant_access_token/internal", body);

        Assert.Equal(accepted ? 0 : 10014, Code(answer));
        var logged = Assert.Single(Server.Requests).Body;
        Assert.DoesNotContain("sandbox-secret", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", logged, StringComparison.Ordinal);
        Assert.Contains("\"app_id\":\"cli_sandbox\"", logged, StringComparison.Ordinal);
        Assert.Contains("\":\"***\"", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox-secret", await Http.GetStringAsync("_sandbox/requests"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"app_id\":\"cli_sandbox\",\"app_\\u0073ecret\":\"sandbox-secret\"")]
    [InlineData("{\"app_id\":\"cli_sandbox\",\"app_secret\":\"sandbox-secret\"} trailing")]
    public async Task A_body_that_is_not_json_but_names_app_secret_is_withheld(string body)
    {
        await SendRawAsync(HttpMethod.Post, "open-apis/auth/v3/tenant_access_token/internal", body);

        var logged = Assert.Single(Server.Requests).Body;
        Assert.DoesNotContain("sandbox-secret", logged, StringComparison.Ordinal);
        Assert.Contains("withheld", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_with_escapes_but_no_secret_is_logged_as_sent()
    {
        const string body = "{\"receive_id\":\"ou_x\",\"content\":\"{\\\"text\\\":\\\"\\u4f60\\u597d\\\"}\"}";
        await SendRawAsync(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=open_id", body);

        Assert.Equal(body, Assert.Single(Server.Requests).Body);
    }
}

/// <summary>A JSON message body of an exact size, produced as it is sent (never held whole), chunked or with a length.</summary>
internal sealed class GeneratedJsonContent : HttpContent
{
    private readonly long size;
    private readonly bool chunked;
    private readonly byte[] head;
    private readonly byte[] tail;

    private GeneratedJsonContent(long size, bool chunked, string marker)
    {
        this.size = size;
        this.chunked = chunked;
        head = Encoding.UTF8.GetBytes($"{{\"receive_id\":\"{SandboxSeed.AliceOpenId}\",\"msg_type\":\"text\",\"uuid\":\"{marker}\",\"content\":\"{{\\\"text\\\":\\\"");
        tail = "\\\"}\"}"u8.ToArray();
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    public static GeneratedJsonContent Message(long size, bool chunked, string marker = "big") => new(size, chunked, marker);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(head);
        var filler = new byte[64 * 1024];
        Array.Fill(filler, (byte)'a');
        var left = size - head.Length - tail.Length;
        while (left > 0)
        {
            var n = (int)Math.Min(left, filler.Length);
            await stream.WriteAsync(filler.AsMemory(0, n));
            left -= n;
        }

        await stream.WriteAsync(tail);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = size;
        return !chunked;
    }
}
