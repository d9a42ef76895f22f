using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

public sealed class SendMessageTests : SandboxTestBase
{
    private static readonly string AliceP2p = SandboxDirectory.P2pChatId(SandboxSeed.AliceOpenId);

    public static TheoryData<string, string, string> Receivers => new()
    {
        { "open_id", SandboxSeed.AliceOpenId, AliceP2p },
        { "union_id", SandboxSeed.AliceUnionId, AliceP2p },
        { "user_id", SandboxSeed.AliceUserId, AliceP2p },
        { "email", SandboxSeed.AliceEmail, AliceP2p },
        { "email", "ALICE@example.com", AliceP2p },
        { "chat_id", SandboxSeed.OpsChatId, SandboxSeed.OpsChatId },
    };

    [Theory]
    [MemberData(nameof(Receivers))]
    public async Task Every_receive_id_type_delivers_to_the_right_chat(string receiveIdType, string receiveId, string expectedChat)
    {
        var token = await GetTokenAsync();

        var (response, body) = await SendTextAsync(token, "hi", receiveId: receiveId, receiveIdType: receiveIdType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        var data = body.GetProperty("data");
        Assert.Equal(expectedChat, data.GetProperty("chat_id").GetString());
        var delivered = Assert.Single(Server.Inbox);
        Assert.Equal(receiveIdType, delivered.ReceiveIdType);
        Assert.Equal(receiveId, delivered.ReceiveId);
        Assert.Equal(expectedChat, delivered.ChatId);
    }

    [Fact]
    public async Task Success_data_has_larks_message_shape()
    {
        var token = await GetTokenAsync();
        var content = Text($"hi <at user_id=\"{SandboxSeed.BobOpenId}\">Bob</at>");

        var (_, body) = await SendMessageAsync(token, "open_id", SandboxSeed.AliceOpenId, "text", content);

        var data = body.GetProperty("data");
        Assert.Matches("^om_[0-9a-f]{32}$", data.GetProperty("message_id").GetString());
        Assert.Equal("text", data.GetProperty("msg_type").GetString());
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), data.GetProperty("create_time").GetString());
        Assert.False(data.GetProperty("deleted").GetBoolean());
        var sender = data.GetProperty("sender");
        Assert.Equal(SandboxSeed.AppId, sender.GetProperty("id").GetString());
        Assert.Equal("app_id", sender.GetProperty("id_type").GetString());
        Assert.Equal("app", sender.GetProperty("sender_type").GetString());
        Assert.Equal(content, data.GetProperty("body").GetProperty("content").GetString());
        var mention = Assert.Single(data.GetProperty("mentions").EnumerateArray());
        Assert.Equal(SandboxSeed.BobOpenId, mention.GetProperty("id").GetString());
        Assert.Equal("@_user_1", mention.GetProperty("key").GetString());
    }

    public static TheoryData<string, string> ValidContent => new()
    {
        { "text", """{"text":"line 1\nline 2 <at user_id=\"all\"></at>"}""" },
        { "post", """{"zh_cn":{"title":"标题","content":[[{"tag":"text","text":"a"},{"tag":"a","text":"link","href":"https://example.com"},{"tag":"at","user_id":"all"}],[{"tag":"img","image_key":"img_v3_x"}],[{"tag":"media","file_key":"file_v3_x"}],[{"tag":"emotion","emoji_type":"SMILE"},{"tag":"hr"},{"tag":"code_block","language":"GO","text":"x"}],[{"tag":"md","text":"**b**"}]]}}""" },
        { "post", """{"en_us":{"content":[[{"tag":"text","text":"no title is fine"}]]}}""" },
        { "image", """{"image_key":"img_v3_0abc"}""" },
        { "interactive", """{"schema":"2.0","header":{"title":{"tag":"plain_text","content":"t"}},"body":{"elements":[]}}""" },
        { "interactive", """{"header":{"title":{"tag":"plain_text","content":"t"}},"elements":[{"tag":"div","text":{"tag":"lark_md","content":"x"}}]}""" },
        { "interactive", """{"type":"template","data":{"template_id":"AAqk1234","template_variable":{"a":1}}}""" },
        { "interactive", """{"type":"card","data":{"card_id":"7355372766134157313"}}""" },
        { "share_chat", $$"""{"chat_id":"{{SandboxSeed.OpsChatId}}"}""" },
        { "share_user", $$"""{"user_id":"{{SandboxSeed.BobOpenId}}"}""" },
        { "audio", """{"file_key":"file_v3_audio"}""" },
        { "media", """{"file_key":"file_v3_video","image_key":"img_v3_cover"}""" },
        { "media", """{"file_key":"file_v3_video"}""" },
        { "file", """{"file_key":"file_v3_doc"}""" },
        { "sticker", """{"file_key":"file_v2_sticker"}""" },
    };

    [Theory]
    [MemberData(nameof(ValidContent))]
    public async Task Every_msg_type_with_valid_content_is_delivered(string msgType, string content)
    {
        var token = await GetTokenAsync();

        var (response, body) = await SendMessageAsync(token, "chat_id", SandboxSeed.GeneralChatId, msgType, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        var delivered = Assert.Single(Server.Inbox);
        Assert.Equal(msgType, delivered.MsgType);
        Assert.Equal(content, delivered.Content);
    }

    public static TheoryData<string, string, int> InvalidContent => new()
    {
        { "text", """{"txt":"typo"}""", 230001 },
        { "text", """{"text":""}""", 230001 },
        { "text", "not json", 230001 },
        { "text", "[\"an array\"]", 230001 },
        { "post", """{"title":"no locale","content":[[{"tag":"text","text":"a"}]]}""", 230001 },
        { "post", """{"zh_cn":{"title":"t"}}""", 230001 },
        { "post", """{"zh_cn":{"content":[[{"tag":"a","text":"no href"}]]}}""", 230001 },
        { "post", """{"zh_cn":{"content":[[{"tag":"blink","text":"x"}]]}}""", 230001 },
        { "post", "{}", 230001 },
        { "image", "{}", 230001 },
        { "image", """{"image_key":"abc"}""", 230001 },
        { "interactive", """{"header":{"title":{"tag":"plain_text","content":"t"}},"elements":{"tag":"div"}}""", 230099 },
        { "interactive", """{"schema":"2.0","header":{}}""", 230099 },
        { "interactive", """{"type":"template","data":{}}""", 230099 },
        { "interactive", "\"a string\"", 230001 },
        { "share_chat", """{"chat":"oc_x"}""", 230001 },
        { "share_user", "{}", 230001 },
        { "audio", "{}", 230001 },
        { "media", """{"image_key":"img_v3_cover"}""", 230001 },
        { "file", """{"file_key":""}""", 230001 },
        { "sticker", """{"file_key":42}""", 230001 },
    };

    [Theory]
    [MemberData(nameof(InvalidContent))]
    public async Task Every_msg_type_with_bad_content_is_refused_and_not_stored(string msgType, string content, int expectedCode)
    {
        var token = await GetTokenAsync();

        var (response, body) = await SendMessageAsync(token, "chat_id", SandboxSeed.GeneralChatId, msgType, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expectedCode, Code(body));
        Assert.True(body.GetProperty("error").TryGetProperty("log_id", out _));
        Assert.Empty(Server.Inbox);
    }

    [Fact]
    public async Task Content_sent_as_an_object_instead_of_a_string_is_230001_naming_content()
    {
        var token = await GetTokenAsync();
        var body = new JsonObject
        {
            ["receive_id"] = SandboxSeed.AliceOpenId,
            ["msg_type"] = "text",
            ["content"] = new JsonObject { ["text"] = "hi" },
        };

        var (response, answer) = await PostJsonAsync("open-apis/im/v1/messages?receive_id_type=open_id", body, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230001, Code(answer));
        Assert.Contains("content", answer.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal("content", answer.GetProperty("error").GetProperty("field_violations")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("receive_id_type=phone")]
    [InlineData("receive_id_type=")]
    [InlineData("")]
    public async Task Bad_receive_id_type_is_230001_with_a_field_violation(string query)
    {
        var token = await GetTokenAsync();
        var body = new JsonObject { ["receive_id"] = SandboxSeed.AliceOpenId, ["msg_type"] = "text", ["content"] = Text("x") };

        var (response, answer) = await PostJsonAsync("open-apis/im/v1/messages?" + query, body, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230001, Code(answer));
        Assert.Equal("receive_id_type", answer.GetProperty("error").GetProperty("field_violations")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"msg_type":"text","content":"{\"text\":\"x\"}"}""")]
    [InlineData("""{"receive_id":"ou_x","msg_type":"gif","content":"{}"}""")]
    [InlineData("""{"receive_id":"ou_x","content":"{\"text\":\"x\"}"}""")]
    [InlineData("""{"receive_id":"ou_x","msg_type":"text"}""")]
    [InlineData("not json at all")]
    public async Task Missing_or_bad_fields_are_230001(string json)
    {
        var token = await GetTokenAsync();

        var (response, answer) = await SendRawAsync(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=open_id", json, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230001, Code(answer));
        Assert.Empty(Server.Inbox);
    }

    [Theory]
    [InlineData("open_id", SandboxSeed.CarolOpenId, 230013)]
    [InlineData("email", SandboxSeed.CarolEmail, 230013)]
    [InlineData("open_id", SandboxSeed.DaveOpenId, 230029)]
    [InlineData("open_id", "ou_00000000000000000000000000000000", 230034)]
    [InlineData("email", "nobody@example.com", 230034)]
    [InlineData("union_id", "on_unknown", 230034)]
    [InlineData("user_id", "zzzz", 230034)]
    [InlineData("chat_id", "oc_00000000000000000000000000000000", 230034)]
    [InlineData("chat_id", SandboxSeed.NoBotChatId, 230002)]
    public async Task Receivers_lark_refuses_are_refused_with_its_code(string receiveIdType, string receiveId, int expectedCode)
    {
        var token = await GetTokenAsync();

        var (response, body) = await SendTextAsync(token, receiveId: receiveId, receiveIdType: receiveIdType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expectedCode, Code(body));
        Assert.Empty(Server.Inbox);
    }

    [Fact]
    public async Task Text_body_up_to_150_KB_is_accepted_and_above_is_230025()
    {
        var token = await GetTokenAsync();
        var overhead = BodyBytes("text", Text("")) ;

        var (fits, fitsBody) = await SendTextAsync(token, new string('a', (150 * 1024) - overhead));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(0, Code(fitsBody));

        var (tooLong, tooLongBody) = await SendTextAsync(token, new string('a', (150 * 1024) - overhead + 1));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(230025, Code(tooLongBody));
        Assert.Single(Server.Inbox);
    }

    [Theory]
    [InlineData("post")]
    [InlineData("interactive")]
    public async Task Post_and_card_bodies_above_30_KB_are_230025(string msgType)
    {
        var token = await GetTokenAsync();
        var content = msgType == "post"
            ? new JsonObject { ["zh_cn"] = new JsonObject { ["content"] = new JsonArray(new JsonArray(new JsonObject { ["tag"] = "text", ["text"] = new string('p', 31 * 1024) })) } }.ToJsonString()
            : new JsonObject { ["elements"] = new JsonArray(new JsonObject { ["tag"] = "markdown", ["content"] = new string('c', 31 * 1024) }) }.ToJsonString();

        var (response, body) = await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, msgType, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230025, Code(body));

        // The same size as text is fine: the 30 KB limit is for post and cards only.
        var (asText, asTextBody) = await SendTextAsync(token, new string('t', 31 * 1024), receiveId: SandboxSeed.OpsChatId, receiveIdType: "chat_id");
        Assert.Equal(HttpStatusCode.OK, asText.StatusCode);
        Assert.Equal(0, Code(asTextBody));
    }

    [Fact]
    public async Task Same_uuid_answers_the_first_message_and_delivers_once()
    {
        var token = await GetTokenAsync();

        var (_, first) = await SendTextAsync(token, "once", uuid: "dedup-1");
        var (secondResponse, second) = await SendTextAsync(token, "once", uuid: "dedup-1");
        var (_, other) = await SendTextAsync(token, "once", uuid: "dedup-2");

        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
        Assert.Equal(0, Code(second));
        Assert.Equal(MessageId(first), MessageId(second));
        Assert.NotEqual(MessageId(first), MessageId(other));
        Assert.Equal(2, Server.Inbox.Count);
        Assert.Equal(1, Server.Stats.DuplicatesSuppressed);
        Assert.Equal(2, Server.Stats.Sent);
    }

    [Fact]
    public async Task Uuid_memory_lasts_one_hour()
    {
        var token = await GetTokenAsync();
        var (_, first) = await SendTextAsync(token, uuid: "hourly");

        Clock.Advance(TimeSpan.FromMinutes(59));
        var (_, within) = await SendTextAsync(token, uuid: "hourly");
        Clock.Advance(TimeSpan.FromMinutes(2));
        var (_, after) = await SendTextAsync(await GetTokenAsync(), uuid: "hourly");

        Assert.Equal(MessageId(first), MessageId(within));
        Assert.NotEqual(MessageId(first), MessageId(after));
        Assert.Equal(2, Server.Inbox.Count);
    }

    [Fact]
    public async Task Uuid_longer_than_50_characters_is_230001()
    {
        var token = await GetTokenAsync();

        var (ok, _) = await SendTextAsync(token, uuid: new string('u', 50));
        var (response, body) = await SendTextAsync(token, uuid: new string('u', 51));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230001, Code(body));
        Assert.Single(Server.Inbox);
    }

    [Fact]
    public async Task Concurrent_sends_with_one_uuid_deliver_exactly_once()
    {
        var token = await GetTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => SendTextAsync(token, "race", uuid: "racing-uuid")));

        Assert.All(answers, a => Assert.Equal(0, Code(a.Body)));
        Assert.Single(answers.Select(a => MessageId(a.Body)).Distinct());
        Assert.Single(Server.Inbox);
        Assert.Equal(4, Server.Stats.DuplicatesSuppressed);
    }

    private static int BodyBytes(string msgType, string content) =>
        System.Text.Encoding.UTF8.GetByteCount(new JsonObject
        {
            ["receive_id"] = SandboxSeed.AliceOpenId,
            ["msg_type"] = msgType,
            ["content"] = content,
        }.ToJsonString());
}
