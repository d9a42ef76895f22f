using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LarkPS.Messages;
using LarkPS.Webhooks;
using Xunit;

namespace LarkPS.UnitTests.Webhooks;

public sealed class WebhookSignerTests
{
    // Computed independently of this code: node -e "require('crypto').createHmac('sha256','1700000000\nlarkps-vector-secret').update('').digest('base64')"
    // and Python's hmac.new(b'1700000000\nlarkps-vector-secret', b'', hashlib.sha256) agree on this value.
    private const string VectorTimestamp = "1700000000";
    private const string VectorSecret = "larkps-vector-secret";
    private const string VectorSign = "qZMKMlkWkbwGasuU1HFY3vAz28jMVLj0s3BvujMD3dQ=";

    [Fact]
    public void Sign_matches_the_independent_vector() =>
        Assert.Equal(VectorSign, WebhookSigner.Sign(VectorTimestamp, VectorSecret));

    [Fact]
    public void Sign_changes_with_the_timestamp_and_the_secret()
    {
        Assert.NotEqual(VectorSign, WebhookSigner.Sign("1700000001", VectorSecret));
        Assert.NotEqual(VectorSign, WebhookSigner.Sign(VectorTimestamp, VectorSecret + "x"));
    }

    [Fact]
    public void Timestamp_is_unix_seconds_as_digits() =>
        Assert.Equal(VectorTimestamp, WebhookSigner.Timestamp(System.DateTimeOffset.FromUnixTimeSeconds(1700000000)));
}

public sealed class WebhookAddressTests
{
    private const string Token = "6f0d7c52-3b1e-4a8f-9c2d-5e4b3a2f1d0c";

    [Fact]
    public void A_hook_url_splits_into_origin_and_token_and_shows_only_a_masked_form()
    {
        Assert.True(WebhookAddress.TryParse("https://open.feishu.cn/open-apis/bot/v2/hook/" + Token, out var address, out _));

        Assert.Equal("https://open.feishu.cn/", address!.Origin.ToString());
        Assert.Equal(Token, address.Token);
        Assert.Equal("open-apis/bot/v2/hook/" + Token, address.RelativePath);
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/********1d0c", address.Masked);
        Assert.DoesNotContain(Token, address.ToString(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://open.feishu.cn/open-apis/bot/v2/hook/" + Token, "plain http")]
    [InlineData("https://open.feishu.cn/open-apis/im/v1/messages", "its path is not")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/", "no hook token")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/" + Token + "/", "more after the hook token")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/" + Token + "/send", "more after the hook token")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/" + Token + "?secret=x", "query")]
    [InlineData("https://user:pw@open.feishu.cn/open-apis/bot/v2/hook/" + Token, "user name")]
    [InlineData("not a url", "absolute")]
    public void A_url_that_is_not_a_hook_is_refused_with_a_reason_that_never_repeats_the_token(string url, string expected)
    {
        Assert.False(WebhookAddress.TryParse(url, out var address, out var reason));

        Assert.Null(address);
        Assert.Contains(expected, reason, System.StringComparison.Ordinal);
        Assert.DoesNotContain(Token, reason, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_to_loopback_is_allowed_for_the_sandbox() =>
        Assert.True(WebhookAddress.TryParse("http://127.0.0.1:5300/open-apis/bot/v2/hook/" + Token, out _, out _));
}

public sealed class WebhookRulesTests
{
    private static MessageInput Input(string? contentType, object? content, string? receiveType = null, string? receiveId = null, string? uuid = null) =>
        new() { ContentType = contentType, Content = content, ReceiveType = receiveType, ReceiveId = receiveId, Uuid = uuid };

    private static JsonElement Body(WebhookValidation check) => JsonDocument.Parse(check.Message!.UnsignedBody).RootElement;

    [Fact]
    public void A_text_without_any_receiver_is_valid_and_mapped_with_content_as_an_object()
    {
        var check = WebhookRules.Check(new MessageInput { Text = "disk full" }, signed: false);

        Assert.True(check.IsValid, string.Join("; ", check.Result.Problems));
        var body = Body(check);
        Assert.Equal("text", body.GetProperty("msg_type").GetString());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("content").ValueKind);
        Assert.Equal("disk full", body.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public void A_post_goes_inside_content_post_and_a_card_goes_into_a_top_level_card()
    {
        var post = WebhookRules.Check(Input("post", "{\"zh_cn\":{\"title\":\"Deploy\",\"content\":[[{\"tag\":\"text\",\"text\":\"ok\"}]]}}"), signed: false);
        var card = WebhookRules.Check(Input("interactive", "{\"schema\":\"2.0\",\"body\":{\"elements\":[{\"tag\":\"markdown\",\"content\":\"hi\"}]}}"), signed: false);
        var share = WebhookRules.Check(Input("share_chat", "{\"chat_id\":\"oc_1234\"}"), signed: false);

        Assert.Equal("Deploy", Body(post).GetProperty("content").GetProperty("post").GetProperty("zh_cn").GetProperty("title").GetString());
        Assert.Equal("2.0", Body(card).GetProperty("card").GetProperty("schema").GetString());
        Assert.False(Body(card).TryGetProperty("content", out _));
        Assert.Equal("oc_1234", Body(share).GetProperty("content").GetProperty("share_chat_id").GetString());
    }

    [Theory]
    [InlineData("file", "{\"file_key\":\"file_v2_1\"}")]
    [InlineData("audio", "{\"file_key\":\"file_v2_1\"}")]
    [InlineData("media", "{\"file_key\":\"file_v2_1\",\"image_key\":\"img_v2_1\"}")]
    [InlineData("sticker", "{\"file_key\":\"file_v2_1\"}")]
    [InlineData("share_user", "{\"user_id\":\"ou_1\"}")]
    public void Types_a_hook_cannot_send_are_refused_offline_with_the_way_to_send_them(string type, string content)
    {
        var check = WebhookRules.Check(Input(type, content), signed: false);

        Assert.False(check.IsValid);
        var problem = Assert.Single(check.Result.Problems);
        Assert.Equal("contentType", problem.Field);
        Assert.Contains("cannot be sent by a custom-bot webhook", problem.Problem, System.StringComparison.Ordinal);
        Assert.Contains("app connection", problem.Expected, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user", "ou_f4313f39e4433a103e6fa8db37a8787f")]
    [InlineData("email", "alice@example.com")]
    [InlineData("phone", "13800000001")]
    [InlineData(null, "ou_f4313f39e4433a103e6fa8db37a8787f")]
    public void A_receiver_other_than_a_chat_contradicts_the_hook(string? type, string id)
    {
        var check = WebhookRules.Check(Input("text", "hi", type, id), signed: false);

        Assert.False(check.IsValid);
        Assert.Contains(check.Result.Problems, p => p.Problem.Contains("posts only into its own group", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("chat", "oc_39927562fa25da07df6771450e18c70e")]
    [InlineData("chat_id", "oc_39927562fa25da07df6771450e18c70e")]
    [InlineData(null, "oc_39927562fa25da07df6771450e18c70e")]
    public void A_chat_receiver_does_not_contradict_the_hook(string? type, string id) =>
        Assert.True(WebhookRules.Check(Input("text", "hi", type, id), signed: false).IsValid);

    [Fact]
    public void A_body_over_20_KB_is_refused_and_the_signature_counts()
    {
        var fits = new string('x', WebhookMessage.MaxBodyBytes - 60);
        var unsigned = WebhookRules.Check(new MessageInput { Text = fits }, signed: false);
        var signed = WebhookRules.Check(new MessageInput { Text = fits }, signed: true);
        var far = WebhookRules.Check(new MessageInput { Text = new string('x', 40 * 1024) }, signed: false);

        Assert.True(unsigned.IsValid, string.Join("; ", unsigned.Result.Problems));
        Assert.False(signed.IsValid);
        var problem = Assert.Single(far.Result.Problems);
        Assert.Contains("20 KB", problem.Problem, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Content_problems_come_from_the_one_validator()
    {
        var check = WebhookRules.Check(Input("post", "{\"title\":\"no locale\"}"), signed: false);

        Assert.False(check.IsValid);
        Assert.StartsWith("content", check.Result.Problems[0].Field, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_uuid_is_noted_as_ignored_and_never_sent()
    {
        var check = WebhookRules.Check(Input("text", "hi", uuid: "my-uuid"), signed: false);

        Assert.True(check.IsValid);
        Assert.True(check.UuidIgnored);
        Assert.DoesNotContain("my-uuid", check.Message!.UnsignedBody, System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_signed_body_starts_with_timestamp_and_sign_and_keeps_the_message()
    {
        var check = WebhookRules.Check(new MessageInput { Text = "signed" }, signed: true);

        var body = JsonDocument.Parse(check.Message!.Body("1700000000", "c2lnbg==")).RootElement;
        var names = new List<string>();
        foreach (var property in body.EnumerateObject())
        {
            names.Add(property.Name);
        }

        Assert.Equal(new[] { "timestamp", "sign", "msg_type", "content" }, names);
        Assert.Equal("1700000000", body.GetProperty("timestamp").GetString());
        Assert.Equal("signed", body.GetProperty("content").GetProperty("text").GetString());
        Assert.True(check.Message.ByteCount(signed: true) >= System.Text.Encoding.UTF8.GetByteCount(check.Message.Body("1700000000", new string('A', 44))));
    }
}
