using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>Custom bots at POST /open-apis/bot/v2/hook/{token}: Lark's body, signature, keywords, IPs, quota, faults.</summary>
public sealed class HookTests : SandboxTestBase
{
    // An independent vector: computed with node's crypto (createHmac('sha256', ts + '\n' + secret).update('').digest('base64'))
    // and Python's hmac, not with the code under test. The live node test below recomputes it.
    internal const string VectorTimestamp = "1700000000";
    internal const string VectorSecret = "larkps-vector-secret";
    internal const string VectorSign = "qZMKMlkWkbwGasuU1HFY3vAz28jMVLj0s3BvujMD3dQ=";

    private string Now => Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_signed_text_is_delivered_into_the_hooks_chat_with_larks_success_shape()
    {
        var body = Signed(TextBody("disk full on db-01"), Now, SandboxSeed.OpsHookSecret);

        var (response, answer) = await PostHookAsync(SandboxSeed.OpsHookToken, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, answer.GetProperty("code").GetInt32());
        Assert.Equal(0, answer.GetProperty("StatusCode").GetInt32());
        Assert.Equal("success", answer.GetProperty("msg").GetString());
        var message = Assert.Single(Server.Inbox);
        Assert.Equal(SandboxSeed.OpsChatId, message.ChatId);
        Assert.Equal("webhook", message.ReceiveIdType);
        Assert.Equal("Ops alert bot", message.ReceiveId);
        Assert.Equal("text", message.MsgType);
        Assert.Equal("disk full on db-01", JsonDocument.Parse(message.Content).RootElement.GetProperty("text").GetString());
        Assert.Null(message.Uuid);
    }

    [Fact]
    public async Task Node_crypto_computes_the_same_vector_with_key_and_data_as_lark_documents_them()
    {
        var node = TestDependencies.RequireNode();
        var script = "const c=require('crypto');process.stdout.write(c.createHmac('sha256',process.argv[1]+'\\n'+process.argv[2]).update('').digest('base64'))";
        var run = await TestDependencies.RunAsync(node, ["-e", script, VectorTimestamp, VectorSecret], Path.GetTempPath(), new Dictionary<string, string>(), TimeSpan.FromSeconds(30));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(VectorSign, run.Stdout.Trim());

        // DingTalk's order (key = secret, data = timestamp + "\n" + secret) gives another value: the classic mistake.
        var swapped = "const c=require('crypto');process.stdout.write(c.createHmac('sha256',process.argv[2]).update(process.argv[1]+'\\n'+process.argv[2]).digest('base64'))";
        var dingTalk = await TestDependencies.RunAsync(node, ["-e", swapped, VectorTimestamp, VectorSecret], Path.GetTempPath(), new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
        Assert.NotEqual(VectorSign, dingTalk.Stdout.Trim());
    }

    [Fact]
    public async Task A_hook_registered_with_the_vector_secret_accepts_the_vector_at_its_time()
    {
        var clock = DateTimeOffset.FromUnixTimeSeconds(long.Parse(VectorTimestamp, CultureInfo.InvariantCulture));
        Clock.Advance(clock - Clock.GetUtcNow());
        Server.RegisterHook(new SandboxHook("vector-hook", SandboxSeed.OpsChatId, Secret: VectorSecret));
        var body = TextBody("vector");
        body["timestamp"] = VectorTimestamp;
        body["sign"] = VectorSign;

        var (_, answer) = await PostHookAsync("vector-hook", body);

        Assert.Equal(0, answer.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("no sign")]
    [InlineData("swapped key and data")]
    [InlineData("clock 61 minutes behind")]
    [InlineData("clock 61 minutes ahead")]
    public async Task A_bad_signature_or_clock_is_19021_with_http_200_and_nothing_delivered(string how)
    {
        var now = Clock.GetUtcNow();
        var body = how switch
        {
            "wrong secret" => Signed(TextBody("x"), Now, "not-the-secret"),
            "no sign" => TextBody("x"),
            "swapped key and data" => SwappedSign(TextBody("x"), Now, SandboxSeed.OpsHookSecret),
            "clock 61 minutes behind" => Signed(TextBody("x"), Unix(now.AddMinutes(-61)), SandboxSeed.OpsHookSecret),
            _ => Signed(TextBody("x"), Unix(now.AddMinutes(61)), SandboxSeed.OpsHookSecret),
        };

        var (response, answer) = await PostHookAsync(SandboxSeed.OpsHookToken, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(19021, answer.GetProperty("code").GetInt32());
        Assert.Equal("sign match fail or timestamp is not within one hour from current time", answer.GetProperty("msg").GetString());
        Assert.False(answer.TryGetProperty("StatusCode", out _));
        Assert.Empty(Server.Inbox);
    }

    [Fact]
    public async Task A_timestamp_59_minutes_old_and_a_numeric_timestamp_are_accepted()
    {
        var old = Signed(TextBody("late"), Unix(Clock.GetUtcNow().AddMinutes(-59)), SandboxSeed.OpsHookSecret);
        var numeric = Signed(TextBody("numeric"), Now, SandboxSeed.OpsHookSecret);
        numeric["timestamp"] = Clock.GetUtcNow().ToUnixTimeSeconds();

        Assert.Equal(0, Code((await PostHookAsync(SandboxSeed.OpsHookToken, old)).Body));
        Assert.Equal(0, Code((await PostHookAsync(SandboxSeed.OpsHookToken, numeric)).Body));
        Assert.Equal(2, Server.Inbox.Count);
    }

    [Fact]
    public async Task A_hook_without_a_secret_ignores_any_signature()
    {
        var body = Signed(TextBody("alert: unsigned hook"), Now, "whatever");

        Assert.Equal(0, Code((await PostHookAsync(SandboxSeed.GeneralHookToken, body)).Body));
    }

    [Fact]
    public async Task A_missing_keyword_is_19024_and_the_keyword_counts_in_text_and_title_but_not_in_links()
    {
        var none = await PostHookAsync(SandboxSeed.GeneralHookToken, TextBody("disk full"));
        var inText = await PostHookAsync(SandboxSeed.GeneralHookToken, TextBody("alert: disk full"));
        var inTitle = await PostHookAsync(SandboxSeed.GeneralHookToken, PostBody(title: "alert", text: "disk full", href: null));
        var inLinkOnly = await PostHookAsync(SandboxSeed.GeneralHookToken, PostBody(title: "disk", text: "full", href: "https://example.com/alert"));
        var inCard = await PostHookAsync(SandboxSeed.GeneralHookToken, CardBody("alert from the card"));

        Assert.Equal(19024, Code(none.Body));
        Assert.Equal("Key Words Not Found", none.Body.GetProperty("msg").GetString());
        Assert.Equal(0, Code(inText.Body));
        Assert.Equal(0, Code(inTitle.Body));
        Assert.Equal(19024, Code(inLinkOnly.Body));
        Assert.Equal(0, Code(inCard.Body));
        Assert.Equal(3, Server.Inbox.Count);
    }

    [Fact]
    public async Task Post_and_card_are_stored_in_the_app_apis_form()
    {
        var post = Signed(PostBody("Deploy", "done", "https://example.com"), Now, SandboxSeed.OpsHookSecret);
        var card = Signed(CardBody("card body"), Now, SandboxSeed.OpsHookSecret);

        Assert.Equal(0, Code((await PostHookAsync(SandboxSeed.OpsHookToken, post)).Body));
        Assert.Equal(0, Code((await PostHookAsync(SandboxSeed.OpsHookToken, card)).Body));

        var stored = Server.Inbox;
        Assert.Equal("post", stored[0].MsgType);
        Assert.Equal("Deploy", JsonDocument.Parse(stored[0].Content).RootElement.GetProperty("zh_cn").GetProperty("title").GetString());
        Assert.Equal("interactive", stored[1].MsgType);
        Assert.Equal("2.0", JsonDocument.Parse(stored[1].Content).RootElement.GetProperty("schema").GetString());
    }

    [Fact]
    public async Task An_unknown_token_is_19001()
    {
        var (response, answer) = await PostHookAsync("00000000-0000-0000-0000-000000000000", TextBody("x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(19001, Code(answer));
        Assert.Equal("param invalid: incoming webhook access token invalid", answer.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task An_address_outside_the_allow_list_is_19022_and_a_wildcard_admits_loopback()
    {
        Server.RegisterHook(new SandboxHook("ip-closed", SandboxSeed.OpsChatId, AllowedIps: ["10.0.0.1"]));
        Server.RegisterHook(new SandboxHook("ip-open", SandboxSeed.OpsChatId, AllowedIps: ["10.0.0.1", "127.0.0.*"]));

        var closed = await PostHookAsync("ip-closed", TextBody("x"));
        var open = await PostHookAsync("ip-open", TextBody("x"));

        Assert.Equal(19022, Code(closed.Body));
        Assert.Equal("Ip Not Allowed", closed.Body.GetProperty("msg").GetString());
        Assert.Equal(0, Code(open.Body));
    }

    [Theory]
    [InlineData("content as a string")]
    [InlineData("not json")]
    [InlineData("file type")]
    [InlineData("card in content")]
    [InlineData("over 20 KB")]
    [InlineData("post without locales")]
    public async Task A_body_lark_cannot_read_is_9499_with_the_sandboxs_reason_in_a_header(string how)
    {
        Server.RegisterHook(new SandboxHook("open-hook", SandboxSeed.OpsChatId));
        var raw = how switch
        {
            "content as a string" => """{"msg_type":"text","content":"{\"text\":\"hi\"}"}""",
            "not json" => "msg_type=text",
            "file type" => """{"msg_type":"file","content":{"file_key":"file_v2_1"}}""",
            "card in content" => """{"msg_type":"interactive","content":{"schema":"2.0","body":{"elements":[]}}}""",
            "over 20 KB" => new JsonObject { ["msg_type"] = "text", ["content"] = new JsonObject { ["text"] = new string('x', 20 * 1024) } }.ToJsonString(),
            _ => """{"msg_type":"post","content":{"post":{"title":"t","content":[]}}}""",
        };

        var (response, answer) = await SendRawAsync(HttpMethod.Post, "open-apis/bot/v2/hook/open-hook", raw);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(9499, Code(answer));
        Assert.True(response.Headers.Contains("X-Sandbox-Reason"));
        Assert.Empty(Server.Inbox);
    }

    [Fact]
    public async Task Five_a_second_then_11232_and_a_refused_request_takes_no_slot()
    {
        Server.RegisterHook(new SandboxHook("busy", SandboxSeed.OpsChatId));

        var codes = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            codes.Add(Code((await PostHookAsync("busy", TextBody("n" + i))).Body));
        }

        Clock.Advance(TimeSpan.FromSeconds(1));
        var afterASecond = Code((await PostHookAsync("busy", TextBody("later"))).Body);

        Assert.Equal([0, 0, 0, 0, 0, 11232, 11232], codes);
        Assert.Equal(0, afterASecond);
        Assert.Equal(6, Server.Inbox.Count);
        Assert.Equal(2, Server.HookRefusals);
    }

    [Fact]
    public async Task The_per_minute_quota_is_configurable_and_counts_per_hook()
    {
        Server.Options.HookQuotas.PerMinute = 3;
        Server.RegisterHook(new SandboxHook("a", SandboxSeed.OpsChatId));
        Server.RegisterHook(new SandboxHook("b", SandboxSeed.GeneralChatId));

        var codes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add(Code((await PostHookAsync("a", TextBody("a" + i))).Body));
            Clock.Advance(TimeSpan.FromSeconds(2));
        }

        var other = Code((await PostHookAsync("b", TextBody("b"))).Body);
        Clock.Advance(TimeSpan.FromSeconds(60));
        var nextMinute = Code((await PostHookAsync("a", TextBody("again"))).Body);

        Assert.Equal([0, 0, 0, 11232], codes);
        Assert.Equal(0, other);
        Assert.Equal(0, nextMinute);
    }

    [Fact]
    public async Task The_control_api_registers_lists_and_removes_hooks_and_sets_their_quota()
    {
        var (created, hook) = await PostJsonAsync("_sandbox/hooks", new JsonObject
        {
            ["chatId"] = SandboxSeed.GeneralChatId,
            ["secret"] = "s3",
            ["keywords"] = new JsonArray("deploy"),
            ["name"] = "Deploy bot",
        });
        var token = hook.GetProperty("token").GetString()!;
        var url = new Uri(hook.GetProperty("url").GetString()!);
        var sent = await PostHookAsync(token, Signed(TextBody("deploy done"), Now, "s3"));
        using var list = await Http.GetAsync("_sandbox/hooks");
        var listed = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(h => h.GetProperty("token").GetString()).ToList();
        var (_, quotas) = await PostJsonAsync("_sandbox/hooks/quotas", new JsonObject { ["perMinute"] = 7, ["perSecond"] = 2 });
        using var removed = await Http.DeleteAsync("_sandbox/hooks/" + token);
        var afterRemoval = await PostHookAsync(token, Signed(TextBody("deploy again"), Now, "s3"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/open-apis/bot/v2/hook/" + token, url.AbsolutePath);
        Assert.Equal(0, Code(sent.Body));
        Assert.Equal("Deploy bot", Assert.Single(Server.Inbox).ReceiveId);
        Assert.Contains(token, listed);
        Assert.Contains(SandboxSeed.OpsHookToken, listed);
        Assert.Equal(7, quotas.GetProperty("perMinute").GetInt32());
        Assert.Equal(2, Server.Options.HookQuotas.PerSecond);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(19001, Code(afterRemoval.Body));
    }

    [Fact]
    public async Task A_directory_file_declares_hooks()
    {
        var path = Path.Combine(Path.GetTempPath(), "larkps-hooks-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, """
            {"users":[],"chats":[{"chatId":"oc_file","name":"From file","botIsMember":true}],
             "hooks":[{"token":"file-hook","chatId":"oc_file","keywords":["ok"],"name":"File bot"}]}
            """);
        try
        {
            Server.Options.Directory = SandboxDirectory.Load(path);
        }
        finally
        {
            File.Delete(path);
        }

        var refused = await PostHookAsync("file-hook", TextBody("nothing"));
        var accepted = await PostHookAsync("file-hook", TextBody("all ok"));

        Assert.Equal(19024, Code(refused.Body));
        Assert.Equal(0, Code(accepted.Body));
        Assert.Equal("oc_file", Assert.Single(Server.Inbox).ChatId);
    }

    [Fact]
    public async Task Drop_after_store_delivers_and_then_gives_the_client_no_answer()
    {
        var (_, set) = await PostJsonAsync("_sandbox/hooks/faults", new JsonObject { ["dropAfterStore"] = 1 });
        Assert.Equal(1, set.GetProperty("dropAfterStore").GetInt32());

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => PostHookAsync(SandboxSeed.OpsHookToken, Signed(TextBody("maybe"), Now, SandboxSeed.OpsHookSecret)));

        Assert.Equal("maybe", JsonDocument.Parse(Assert.Single(Server.Inbox).Content).RootElement.GetProperty("text").GetString());
        Assert.Equal(0, Server.HookFaults.DropAfterStore);
    }

    [Fact]
    public async Task Drop_before_store_gives_no_answer_and_delivers_nothing()
    {
        Server.HookFaults.DropBeforeStore = 1;

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => PostHookAsync(SandboxSeed.OpsHookToken, Signed(TextBody("lost"), Now, SandboxSeed.OpsHookSecret)));
        var next = await PostHookAsync(SandboxSeed.OpsHookToken, Signed(TextBody("next"), Now, SandboxSeed.OpsHookSecret));

        Assert.Equal(0, Code(next.Body));
        Assert.Equal("next", JsonDocument.Parse(Assert.Single(Server.Inbox).Content).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_inbox_lists_hook_messages_under_their_chat_without_the_token()
    {
        await PostHookAsync(SandboxSeed.OpsHookToken, Signed(TextBody("for the inbox"), Now, SandboxSeed.OpsHookSecret));

        using var inbox = await Http.GetAsync("_sandbox/inbox");
        var text = await inbox.Content.ReadAsStringAsync();
        var entry = Assert.Single(JsonDocument.Parse(text).RootElement.EnumerateArray());

        Assert.Equal(SandboxSeed.OpsChatId, entry.GetProperty("chat_id").GetString());
        Assert.Equal("webhook", entry.GetProperty("receive_id_type").GetString());
        Assert.DoesNotContain(SandboxSeed.OpsHookToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxSeed.OpsHookSecret, text, StringComparison.Ordinal);
    }

    private Task<(HttpResponseMessage Response, JsonElement Body)> PostHookAsync(string token, JsonObject body) =>
        PostJsonAsync("open-apis/bot/v2/hook/" + token, body);

    private static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static JsonObject TextBody(string text) =>
        new() { ["msg_type"] = "text", ["content"] = new JsonObject { ["text"] = text } };

    private static JsonObject PostBody(string title, string text, string? href)
    {
        var paragraph = new JsonArray(new JsonObject { ["tag"] = "text", ["text"] = text });
        if (href is not null)
        {
            paragraph.Add(new JsonObject { ["tag"] = "a", ["text"] = "link", ["href"] = href });
        }

        return new JsonObject
        {
            ["msg_type"] = "post",
            ["content"] = new JsonObject
            {
                ["post"] = new JsonObject { ["zh_cn"] = new JsonObject { ["title"] = title, ["content"] = new JsonArray(paragraph) } },
            },
        };
    }

    private static JsonObject CardBody(string markdown) => new()
    {
        ["msg_type"] = "interactive",
        ["card"] = new JsonObject
        {
            ["schema"] = "2.0",
            ["body"] = new JsonObject { ["elements"] = new JsonArray(new JsonObject { ["tag"] = "markdown", ["content"] = markdown }) },
        },
    };

    private static JsonObject Signed(JsonObject body, string timestamp, string secret)
    {
        // Computed here independently of HookEndpoints.Sign (key = timestamp + "\n" + secret, data = empty).
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(timestamp + "\n" + secret));
        body["timestamp"] = timestamp;
        body["sign"] = Convert.ToBase64String(hmac.ComputeHash([]));
        return body;
    }

    private static JsonObject SwappedSign(JsonObject body, string timestamp, string secret)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(secret));
        body["timestamp"] = timestamp;
        body["sign"] = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
        return body;
    }
}
