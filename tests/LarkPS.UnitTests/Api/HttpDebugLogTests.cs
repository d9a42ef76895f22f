using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using LarkPS.Api;
using Xunit;

namespace LarkPS.UnitTests.Api;

public class HttpDebugLogTests
{
    [Fact]
    public void The_token_request_body_is_shown_with_the_app_secret_masked()
    {
        var body = Encoding.UTF8.GetBytes("{\"app_id\":\"cli_x\",\"app_secret\":\"s3cr3t-value\"}");

        var shown = HttpDebugLog.MaskBody(body);

        Assert.Equal("{\"app_id\":\"cli_x\",\"app_secret\":\"***\"}", shown);
    }

    [Fact]
    public void Secrets_are_masked_at_any_depth_and_any_case_while_the_rest_is_shown_as_sent()
    {
        var body = Encoding.UTF8.GetBytes("{\"msg_type\":\"text\",\"timestamp\":\"1700000000\",\"Sign\":\"abc=\",\"nested\":[{\"tenant_access_token\":\"t-123\",\"keep\":\"\\\"quoted\\\" <b>\"}]}");

        var shown = HttpDebugLog.MaskBody(body);

        Assert.DoesNotContain("abc=", shown);
        Assert.DoesNotContain("t-123", shown);
        Assert.Contains("\"Sign\":\"***\"", shown);
        Assert.Contains("\"tenant_access_token\":\"***\"", shown);
        Assert.Contains("\"keep\":\"\\\"quoted\\\" <b>\"", shown);
        Assert.Contains("\"timestamp\":\"1700000000\"", shown);
    }

    [Fact]
    public void A_body_that_is_not_json_is_never_shown()
    {
        var shown = HttpDebugLog.MaskBody(Encoding.UTF8.GetBytes("app_secret=s3cr3t"));

        Assert.DoesNotContain("s3cr3t", shown);
        Assert.Contains("not JSON", shown);
    }

    [Fact]
    public void A_hook_token_in_the_path_is_masked()
    {
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/***", HttpDebugLog.MaskPath("https://open.feishu.cn/open-apis/bot/v2/hook/6f0d7c52-3b1e-4a8f-9c2d-5e4b3a2f1d0c"));
        Assert.Equal("/open-apis/im/v1/messages?receive_id_type=open_id", HttpDebugLog.MaskPath("open-apis/im/v1/messages?receive_id_type=open_id"));
    }

    [Fact]
    public void Requests_and_answers_come_out_in_order_and_nothing_after_close()
    {
        var log = new HttpDebugLog();
        var request = new LarkRequest(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=chat_id", "send a message") { JsonBody = Encoding.UTF8.GetBytes("{\"receive_id\":\"oc_1\"}") };

        log.Request(request);
        log.Answer(request, HttpStatusCode.BadRequest, 230002, "LOG1", System.TimeSpan.FromMilliseconds(12.4));
        var lines = log.Drain().ToList();
        log.Close();
        log.Request(request);

        Assert.Equal(new[]
        {
            "HTTP POST /open-apis/im/v1/messages?receive_id_type=chat_id {\"receive_id\":\"oc_1\"}",
            "HTTP 400 answered POST /open-apis/im/v1/messages?receive_id_type=chat_id: code 230002, log id LOG1, 12 ms",
        }, lines);
        Assert.Empty(log.Drain());
    }
}
