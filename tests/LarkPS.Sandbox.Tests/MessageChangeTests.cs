using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Lark's refusals for acting on a sent message: messages the bot did not send (seeded through the control
/// API), messages past their windows (aged through it), card updates only for shared cards, at 5 a second.
/// </summary>
public sealed class MessageChangeTests : SandboxTestBase
{
    private const string SharedCard = """{"config":{"update_multi":true},"header":{"title":{"tag":"plain_text","content":"Disk 93%"},"template":"red"},"elements":[{"tag":"div","text":{"tag":"lark_md","content":"**db-02**"}}]}""";
    private const string ResolvedCard = """{"schema":"2.0","config":{"update_multi":true},"header":{"title":{"tag":"plain_text","content":"Resolved"},"template":"green"},"body":{"elements":[{"tag":"markdown","content":"back to 40%"}]}}""";
    private const string UnsharedCard = """{"header":{"title":{"tag":"plain_text","content":"Disk 93%"}},"elements":[{"tag":"div","text":{"tag":"lark_md","content":"x"}}]}""";

    [Fact]
    public async Task A_shared_card_is_updated_in_place_and_keeps_what_it_replaced()
    {
        var token = await GetTokenAsync();
        var id = await SendCardAsync(token, SharedCard);

        var (response, body) = await PatchAsync(token, id, ResolvedCard);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        Assert.Equal(JsonValueKind.Object, body.GetProperty("data").ValueKind);
        Assert.Empty(body.GetProperty("data").EnumerateObject());
        var card = Assert.Single(Server.Inbox);
        Assert.Equal(ResolvedCard, card.Content);
        Assert.Equal(1, card.CardUpdates);
        Assert.Equal(0, card.Edits);
        var revision = Assert.Single(card.Revisions);
        Assert.Equal(SharedCard, revision.Content);
        Assert.Equal("update", revision.How);
    }

    [Fact]
    public async Task A_card_update_needs_update_multi_before_and_after_and_a_card_target()
    {
        var token = await GetTokenAsync();
        var unshared = await SendCardAsync(token, UnsharedCard);
        var shared = await SendCardAsync(token, SharedCard);
        var (_, text) = await SendTextAsync(token);

        var (_, before) = await PatchAsync(token, unshared, ResolvedCard);
        var (_, after) = await PatchAsync(token, shared, UnsharedCard);
        var (_, notCard) = await PatchAsync(token, MessageId(text), ResolvedCard);
        var (_, unknown) = await PatchAsync(token, "om_00000000000000000000000000000000", ResolvedCard);
        var (_, badCard) = await PatchAsync(token, shared, """{"config":{"update_multi":true},"elements":{"tag":"div"}}""");

        Assert.Equal(230001, Code(before));
        Assert.Contains("update_multi", before.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal(230001, Code(after));
        Assert.Equal(230001, Code(notCard));
        Assert.Equal(99992354, Code(unknown));
        Assert.Equal(230099, Code(badCard));
        Assert.All(Server.Inbox, m => Assert.Equal(0, m.CardUpdates));
    }

    [Fact]
    public async Task A_schema_2_card_is_shared_without_declaring_update_multi()
    {
        // LARK-API.md: in 2.0, config.update_multi is true by default and cannot be false; every 2.0 card is PATCH-able.
        const string Plain2 = """{"schema":"2.0","header":{"title":{"tag":"plain_text","content":"Disk 93%"}},"body":{"elements":[{"tag":"markdown","content":"db-02"}]}}""";
        const string Resolved2 = """{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"back to 40%"}]}}""";
        var token = await GetTokenAsync();
        var plain = await SendCardAsync(token, Plain2);
        var unshared = await SendCardAsync(token, UnsharedCard);

        var (response, body) = await PatchAsync(token, plain, Resolved2);
        var (_, v1) = await PatchAsync(token, unshared, Resolved2);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        var card = Assert.Single(Server.Inbox, m => m.MessageId == plain);
        Assert.Equal(Resolved2, card.Content);
        Assert.Equal(1, card.CardUpdates);
        Assert.Equal(230001, Code(v1));
    }

    [Fact]
    public async Task A_card_older_than_14_days_is_230031_and_a_recalled_one_230011()
    {
        var token = await GetTokenAsync();
        var old = await SendCardAsync(token, SharedCard);
        var recalled = await SendCardAsync(token, SharedCard);
        await AgeAsync(old, new JsonObject { ["days"] = 14, ["minutes"] = 1 });
        await SendRawAsync(HttpMethod.Delete, $"open-apis/im/v1/messages/{recalled}", null, token);

        var (oldResponse, oldBody) = await PatchAsync(token, old, ResolvedCard);
        var (_, recalledBody) = await PatchAsync(token, recalled, ResolvedCard);

        Assert.Equal(HttpStatusCode.BadRequest, oldResponse.StatusCode);
        Assert.Equal(230031, Code(oldBody));
        Assert.Equal(230011, Code(recalledBody));
    }

    [Fact]
    public async Task One_message_takes_five_card_updates_a_second_and_the_sixth_is_230020()
    {
        var token = await GetTokenAsync();
        var first = await SendCardAsync(token, SharedCard);
        var other = await SendCardAsync(token, SharedCard);

        var codes = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            codes.Add(Code((await PatchAsync(token, first, ResolvedCard)).Body));
        }

        var (_, otherBody) = await PatchAsync(token, other, ResolvedCard);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var (_, laterBody) = await PatchAsync(token, first, ResolvedCard);

        Assert.Equal(new[] { 0, 0, 0, 0, 0, 230020 }, codes);
        Assert.Equal(0, Code(otherBody));
        Assert.Equal(0, Code(laterBody));
        Assert.Equal(6, Server.Inbox.Single(m => m.MessageId == first).CardUpdates);
    }

    [Fact]
    public async Task Editing_a_message_the_bot_did_not_send_is_230071_and_one_past_the_edit_window_230075()
    {
        var token = await GetTokenAsync();
        var userMessage = await SeedUserMessageAsync(SandboxSeed.BobOpenId, chatId: SandboxSeed.OpsChatId);
        var (_, sent) = await SendTextAsync(token, "v0");
        await AgeAsync(MessageId(sent), new JsonObject { ["hours"] = 24, ["seconds"] = 1 });

        var (notSender, notSenderBody) = await EditAsync(token, userMessage, Text("mine now"));
        var (_, late) = await EditAsync(token, MessageId(sent), Text("too late"));

        Assert.Equal(HttpStatusCode.BadRequest, notSender.StatusCode);
        Assert.Equal(230071, Code(notSenderBody));
        Assert.Equal(230075, Code(late));
        Assert.All(Server.Inbox, m => Assert.Equal(0, m.Edits));
    }

    [Fact]
    public async Task The_edit_window_is_a_setting_and_an_edit_inside_it_works()
    {
        Server.Options.MessageLimits.EditWindow = TimeSpan.FromHours(48);
        var token = await GetTokenAsync();
        var (_, sent) = await SendTextAsync(token, "v0");
        await AgeAsync(MessageId(sent), new JsonObject { ["hours"] = 30 });

        var (_, body) = await EditAsync(token, MessageId(sent), Text("v1"));

        Assert.Equal(0, Code(body));
        var data = body.GetProperty("data");
        Assert.True(data.GetProperty("updated").GetBoolean());
        Assert.Equal(Text("v1"), data.GetProperty("body").GetProperty("content").GetString());
        Assert.True(long.Parse(data.GetProperty("update_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(data.GetProperty("create_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Recalling_a_message_the_bot_did_not_send_is_230026_and_one_past_the_window_230009()
    {
        var token = await GetTokenAsync();
        var userMessage = await SeedUserMessageAsync(SandboxSeed.AliceOpenId);
        var (_, old) = await SendTextAsync(token, "yesterday");
        var (_, fresh) = await SendTextAsync(token, "now");
        await AgeAsync(MessageId(old), new JsonObject { ["hours"] = 25 });

        var (notOwn, notOwnBody) = await RecallAsync(token, userMessage);
        var (_, lateBody) = await RecallAsync(token, MessageId(old));
        var (_, freshBody) = await RecallAsync(token, MessageId(fresh));

        Assert.Equal(HttpStatusCode.BadRequest, notOwn.StatusCode);
        Assert.Equal(230026, Code(notOwnBody));
        Assert.Equal(230009, Code(lateBody));
        Assert.Equal(0, Code(freshBody));
        Assert.Equal(new[] { false, false, true }, Server.Inbox.Select(m => m.Deleted));
    }

    [Fact]
    public async Task Edits_updates_and_recalls_count_against_the_apps_quota()
    {
        var token = await GetTokenAsync();
        var (_, text) = await SendTextAsync(token);
        var card = await SendCardAsync(token, SharedCard);
        Server.Options.Quotas.AppPerSecond = 2;
        Clock.Advance(TimeSpan.FromSeconds(1));

        var (_, edit) = await EditAsync(token, MessageId(text), Text("edited"));
        var (_, update) = await PatchAsync(token, card, ResolvedCard);
        var (refused, refusedBody) = await RecallAsync(token, MessageId(text));

        Assert.Equal(0, Code(edit));
        Assert.Equal(0, Code(update));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(99991400, Code(refusedBody));
        Assert.True(refused.Headers.Contains("x-ogw-ratelimit-reset"));
        Assert.False(Server.Inbox.Single(m => m.MessageId == MessageId(text)).Deleted);
    }

    [Fact]
    public async Task A_change_answered_500_after_it_was_made_is_safe_to_repeat()
    {
        var token = await GetTokenAsync();
        var card = await SendCardAsync(token, SharedCard);
        Server.Faults.FailAfterStore = 1;

        var (first, _) = await PatchAsync(token, card, ResolvedCard);
        var (again, againBody) = await PatchAsync(token, card, ResolvedCard);

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(0, Code(againBody));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(ResolvedCard, Server.Inbox[0].Content);
    }

    [Fact]
    public async Task The_control_api_seeds_user_messages_and_ages_only_known_ones()
    {
        var id = await SeedUserMessageAsync(SandboxSeed.BobOpenId);
        var (unknownUser, _) = await PostJsonAsync("_sandbox/messages", new JsonObject { ["sender_id"] = "ou_nobody", ["content"] = Text("x") });
        var (unknownAge, _) = await PostJsonAsync("_sandbox/messages/om_missing/age", new JsonObject { ["days"] = 1 });
        var (badAge, _) = await PostJsonAsync($"_sandbox/messages/{id}/age", new JsonObject { ["weeks"] = 1 });

        var seeded = Assert.Single(Server.Inbox);
        Assert.Equal("user", seeded.SenderType);
        Assert.Equal(SandboxSeed.BobOpenId, seeded.SenderId);
        Assert.Equal(SandboxDirectory.P2pChatId(SandboxSeed.BobOpenId), seeded.ChatId);
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAge.StatusCode);
    }

    private async Task<string> SendCardAsync(string token, string card, string chatId = SandboxSeed.OpsChatId)
    {
        var (_, body) = await SendMessageAsync(token, "chat_id", chatId, "interactive", card);
        Assert.Equal(0, Code(body));
        return MessageId(body);
    }

    private async Task<string> SeedUserMessageAsync(string senderId, string? chatId = null)
    {
        var body = new JsonObject { ["sender_id"] = senderId, ["msg_type"] = "text", ["content"] = Text("from a person") };
        if (chatId is not null)
        {
            body["chat_id"] = chatId;
        }

        var (response, answer) = await PostJsonAsync("_sandbox/messages", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("user", answer.GetProperty("sender").GetProperty("sender_type").GetString());
        return answer.GetProperty("message_id").GetString()!;
    }

    private async Task AgeAsync(string messageId, JsonObject by)
    {
        var (response, _) = await PostJsonAsync($"_sandbox/messages/{messageId}/age", by);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<(HttpResponseMessage Response, JsonElement Body)> PatchAsync(string token, string messageId, string card) =>
        SendRawAsync(HttpMethod.Patch, $"open-apis/im/v1/messages/{messageId}", new JsonObject { ["content"] = card }.ToJsonString(), token);

    private Task<(HttpResponseMessage Response, JsonElement Body)> EditAsync(string token, string messageId, string content) =>
        SendRawAsync(HttpMethod.Put, $"open-apis/im/v1/messages/{messageId}", new JsonObject { ["msg_type"] = "text", ["content"] = content }.ToJsonString(), token);

    private Task<(HttpResponseMessage Response, JsonElement Body)> RecallAsync(string token, string messageId) =>
        SendRawAsync(HttpMethod.Delete, $"open-apis/im/v1/messages/{messageId}", null, token);
}
