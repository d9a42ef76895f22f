using System.Net;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>Reply, edit and recall.</summary>
public sealed class MessageOperationsTests : SandboxTestBase
{
    [Fact]
    public async Task Reply_lands_in_the_parents_chat_with_parent_and_root_ids()
    {
        var token = await GetTokenAsync();
        var (_, parent) = await SendTextAsync(token, "question", receiveId: SandboxSeed.OpsChatId, receiveIdType: "chat_id");
        var parentId = MessageId(parent);

        var (response, reply) = await ReplyAsync(token, parentId, Text("answer"), inThread: true);
        var (_, nested) = await ReplyAsync(token, MessageId(reply), Text("follow-up"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = reply.GetProperty("data");
        Assert.Equal(parentId, data.GetProperty("parent_id").GetString());
        Assert.Equal(parentId, data.GetProperty("root_id").GetString());
        Assert.StartsWith("omt_", data.GetProperty("thread_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(SandboxSeed.OpsChatId, data.GetProperty("chat_id").GetString());
        Assert.Equal(parentId, nested.GetProperty("data").GetProperty("root_id").GetString());
        Assert.Equal(MessageId(reply), Server.Inbox[2].ParentId);
        Assert.Equal(3, Server.Stats.Sent);

        // A reply to a message in a thread joins that thread, asked to or not.
        Assert.Equal(data.GetProperty("thread_id").GetString(), nested.GetProperty("data").GetProperty("thread_id").GetString());
        Assert.Equal(data.GetProperty("thread_id").GetString(), Server.Inbox[2].ThreadId);
        Assert.Equal(parentId, Server.Inbox[2].RootId);
    }

    [Fact]
    public async Task Reply_without_reply_in_thread_has_no_thread_id()
    {
        var token = await GetTokenAsync();
        var (_, parent) = await SendTextAsync(token);

        var (_, reply) = await ReplyAsync(token, MessageId(parent), Text("plain reply"));

        var data = reply.GetProperty("data");
        Assert.False(data.TryGetProperty("thread_id", out _));
        Assert.Equal(MessageId(parent), data.GetProperty("parent_id").GetString());
        Assert.Null(Server.Inbox[1].ThreadId);
    }

    [Fact]
    public async Task Reply_can_carry_any_content_type_and_is_checked_like_a_send()
    {
        var token = await GetTokenAsync();
        var (_, parent) = await SendTextAsync(token);
        var card = """{"config":{"update_multi":true},"elements":[{"tag":"div","text":{"tag":"plain_text","content":"ok"}}]}""";

        var (ok, okBody) = await PostJsonAsync($"open-apis/im/v1/messages/{MessageId(parent)}/reply",
            new JsonObject { ["msg_type"] = "interactive", ["content"] = card }, token);
        var (bad, badBody) = await PostJsonAsync($"open-apis/im/v1/messages/{MessageId(parent)}/reply",
            new JsonObject { ["msg_type"] = "text", ["content"] = "not json" }, token);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("interactive", okBody.GetProperty("data").GetProperty("msg_type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(230001, Code(badBody));
        Assert.Equal(2, Server.Inbox.Count);
    }

    [Fact]
    public async Task Reply_honours_uuid_dedup()
    {
        var token = await GetTokenAsync();
        var (_, parent) = await SendTextAsync(token);

        var (_, first) = await ReplyAsync(token, MessageId(parent), Text("r"), uuid: "reply-uuid");
        var (_, second) = await ReplyAsync(token, MessageId(parent), Text("r"), uuid: "reply-uuid");

        Assert.Equal(MessageId(first), MessageId(second));
        Assert.Equal(2, Server.Inbox.Count);
    }

    [Fact]
    public async Task Reply_to_an_unknown_message_is_99992354_even_with_a_bad_body_and_to_a_recalled_one_230011()
    {
        var token = await GetTokenAsync();
        var (_, parent) = await SendTextAsync(token);
        await SendRawAsync(HttpMethod.Delete, $"open-apis/im/v1/messages/{MessageId(parent)}", null, token);

        var (unknown, unknownBody) = await ReplyAsync(token, "om_00000000000000000000000000000000", Text("x"));
        var (recalled, recalledBody) = await ReplyAsync(token, MessageId(parent), Text("x"));
        var (_, unknownBadBody) = await ReplyAsync(token, "om_00000000000000000000000000000000", """{"nope":1}""");

        // Lark's gateway resolves the message id first: "not a valid {open_message_id} or not exists".
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(99992354, Code(unknownBody));
        Assert.Contains("not exists", unknownBody.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal(99992354, Code(unknownBadBody));
        Assert.Equal(HttpStatusCode.BadRequest, recalled.StatusCode);
        Assert.Equal(230011, Code(recalledBody));
        Assert.Single(Server.Inbox);
    }

    [Fact]
    public async Task Edit_changes_text_counts_edits_and_stops_after_20()
    {
        var token = await GetTokenAsync();
        var (_, sent) = await SendTextAsync(token, "v0");
        var id = MessageId(sent);

        for (var i = 1; i <= 20; i++)
        {
            var (ok, okBody) = await EditAsync(token, id, "text", Text($"v{i}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.True(okBody.GetProperty("data").GetProperty("updated").GetBoolean());
        }

        var (refused, refusedBody) = await EditAsync(token, id, "text", Text("v21"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(230072, Code(refusedBody));
        var message = Assert.Single(Server.Inbox);
        Assert.Equal(20, message.Edits);
        Assert.Equal(Text("v20"), message.Content);

        // Each edit kept what it replaced, oldest first.
        Assert.Equal(20, message.Revisions.Count);
        Assert.Equal(Text("v0"), message.Revisions[0].Content);
        Assert.Equal(Text("v19"), message.Revisions[19].Content);
        Assert.All(message.Revisions, r => Assert.Equal("edit", r.How));
    }

    [Fact]
    public async Task Only_text_and_post_can_be_edited_and_the_type_cannot_change()
    {
        var token = await GetTokenAsync();
        var (_, text) = await SendTextAsync(token);
        var (_, image) = await SendMessageAsync(token, "open_id", SandboxSeed.BobOpenId, "image", """{"image_key":"img_v3_x"}""");
        var post = """{"zh_cn":{"content":[[{"tag":"text","text":"p"}]]}}""";

        var (_, imageEdit) = await EditAsync(token, MessageId(image), "image", """{"image_key":"img_v3_y"}""");
        var (_, typeChange) = await EditAsync(token, MessageId(text), "post", post);
        var (_, badContent) = await EditAsync(token, MessageId(text), "text", """{"nope":1}""");
        var (_, unknown) = await EditAsync(token, "om_00000000000000000000000000000000", "text", Text("x"));

        Assert.Equal(230001, Code(imageEdit));
        Assert.Equal(230001, Code(typeChange));
        Assert.Equal(230001, Code(badContent));
        Assert.Equal(99992354, Code(unknown));
        Assert.All(Server.Inbox, m => Assert.Equal(0, m.Edits));
    }

    [Fact]
    public async Task Recall_marks_the_message_deleted_and_a_second_recall_or_an_edit_after_it_is_230110()
    {
        var token = await GetTokenAsync();
        var (_, sent) = await SendTextAsync(token);
        var path = $"open-apis/im/v1/messages/{MessageId(sent)}";

        var (first, firstBody) = await SendRawAsync(HttpMethod.Delete, path, null, token);
        var (second, secondBody) = await SendRawAsync(HttpMethod.Delete, path, null, token);
        var (_, editAfter) = await EditAsync(token, MessageId(sent), "text", Text("too late"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(0, Code(firstBody));
        Assert.True(Assert.Single(Server.Inbox).Deleted);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(230110, Code(secondBody));
        Assert.Equal(230110, Code(editAfter));
        Assert.NotNull(Server.Inbox[0].RecallTime);
    }

    private Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> ReplyAsync(
        string token, string messageId, string content, bool inThread = false, string? uuid = null)
    {
        var body = new JsonObject { ["msg_type"] = "text", ["content"] = content, ["reply_in_thread"] = inThread };
        if (uuid is not null)
        {
            body["uuid"] = uuid;
        }

        return PostJsonAsync($"open-apis/im/v1/messages/{messageId}/reply", body, token);
    }

    private Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> EditAsync(string token, string messageId, string msgType, string content) =>
        SendRawAsync(HttpMethod.Put, $"open-apis/im/v1/messages/{messageId}", new JsonObject { ["msg_type"] = msgType, ["content"] = content }.ToJsonString(), token);
}
