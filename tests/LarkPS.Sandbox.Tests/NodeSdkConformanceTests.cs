using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Lark's official Node SDK, unmodified, against the sandbox: if the SDK's token flow, paging, sends,
/// uploads and error handling all see what they would see from Lark, the sandbox speaks Lark.
/// The script is tests/conformance/conformance.mjs; it prints one JSON report that this test reads.
/// </summary>
public sealed class NodeSdkConformanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Official_node_sdk_works_against_the_sandbox_and_sees_larks_error_codes()
    {
        var node = TestDependencies.RequireNode();
        await TestDependencies.EnsureConformanceModulesAsync();
        await using var sandbox = await SandboxServer.StartAsync();

        var seed = JsonSerializer.Serialize(new
        {
            visibleOpenId = SandboxSeed.AliceOpenId,
            visibleEmail = SandboxSeed.AliceEmail,
            visibleMobile = SandboxSeed.AliceMobile,
            hiddenOpenId = SandboxSeed.CarolOpenId,
            hiddenEmail = SandboxSeed.CarolEmail,
            chatId = SandboxSeed.OpsChatId,
            otherChatId = SandboxSeed.GeneralChatId,
            noBotChatId = SandboxSeed.NoBotChatId,
            botChatCount = 2,
        });
        var run = await TestDependencies.RunAsync(
            node,
            ["conformance.mjs", sandbox.BaseAddress.ToString()],
            TestDependencies.ConformanceDirectory,
            new Dictionary<string, string> { ["LARK_SANDBOX_SEED"] = seed },
            ScriptTimeout);

        var diagnostics = $"exit {run.ExitCode}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}";
        output.WriteLine(run.Stdout);
        Assert.True(run.ExitCode == 0, "conformance.mjs reported mismatches: " + diagnostics);

        using var report = JsonDocument.Parse(run.Stdout);
        var root = report.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean(), diagnostics);
        Assert.Equal(0, root.GetProperty("mismatches").GetArrayLength());
        var steps = root.GetProperty("steps");

        // Every step the script runs, with the Lark code the SDK must have seen.
        var expectedCodes = new Dictionary<string, int>
        {
            ["token"] = 0,
            ["chat_list_paged"] = 0,
            ["chat_list_iterator"] = 0,
            ["send_text"] = 0,
            ["send_post"] = 0,
            ["send_interactive_v2"] = 0,
            ["send_interactive_v1"] = 0,
            ["send_text_by_email"] = 0,
            ["send_duplicate_uuid"] = 0,
            ["reply"] = 0,
            ["edit_text"] = 0,
            ["recall"] = 0,
            ["upload_image_buffer"] = 0,
            ["upload_image_stream"] = 0,
            ["send_image"] = 0,
            ["upload_file_buffer"] = 0,
            ["upload_file_stream"] = 0,
            ["batch_get_id"] = 0,
            ["wrong_secret_token_call"] = 10014,
            ["wrong_secret_send"] = 10014,
            ["user_not_visible"] = 230013,
            ["bot_not_in_chat"] = 230002,
            ["bad_content"] = 230001,
        };
        foreach (var (name, code) in expectedCodes)
        {
            Assert.True(steps.TryGetProperty(name, out var stepResult), $"step {name} missing from the report");
            Assert.True(stepResult.GetProperty("ok").GetBoolean(), $"step {name}: {stepResult}");
            Assert.Equal(code, stepResult.GetProperty("code").GetInt32());
        }

        // Lark answers these with HTTP 400, which the SDK (axios) throws; the code still came through.
        foreach (var name in new[] { "user_not_visible", "bot_not_in_chat", "bad_content" })
        {
            Assert.Equal(400, steps.GetProperty(name).GetProperty("http").GetInt32());
        }

        // Paging with page_size 1 walked both chats with the bot, one page each, and never the chat without it.
        var pagedChats = steps.GetProperty("chat_list_paged").GetProperty("chatIds").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(new[] { SandboxSeed.OpsChatId, SandboxSeed.GeneralChatId }.Order(), pagedChats.Order());
        Assert.Equal(2, steps.GetProperty("chat_list_paged").GetProperty("pages").GetInt32());

        AssertInbox(sandbox.Inbox, root.GetProperty("runId").GetString()!, steps);
    }

    // What arrived is what the SDK sent: right chat, right type, content as sent, uuid deduplicated,
    // the reply edited and threaded, the recalled message marked, and nothing from the failed sends.
    private static void AssertInbox(IReadOnlyList<DeliveredMessage> inbox, string runId, JsonElement steps)
    {
        DeliveredMessage ByStep(string step)
        {
            var id = steps.GetProperty(step).GetProperty("messageId").GetString();
            return Assert.Single(inbox, m => m.MessageId == id);
        }

        var text = ByStep("send_text");
        Assert.Equal("text", text.MsgType);
        Assert.Equal("chat_id", text.ReceiveIdType);
        Assert.Equal(SandboxSeed.OpsChatId, text.ChatId);
        Assert.Equal(runId + "-text", text.Uuid);
        Assert.StartsWith("Deploy finished on web-01\nby <at user_id=", ContentField(text.Content, "text"), StringComparison.Ordinal);
        Assert.Single(inbox, m => m.Uuid == runId + "-text");

        var post = ByStep("send_post");
        Assert.Equal("post", post.MsgType);
        using (var content = JsonDocument.Parse(post.Content))
        {
            Assert.Equal("Daily report", content.RootElement.GetProperty("en_us").GetProperty("title").GetString());
            Assert.Equal("每日报告", content.RootElement.GetProperty("zh_cn").GetProperty("title").GetString());
        }

        var card = ByStep("send_interactive_v2");
        Assert.Equal("interactive", card.MsgType);
        using (var content = JsonDocument.Parse(card.Content))
        {
            Assert.Equal("2.0", content.RootElement.GetProperty("schema").GetString());
            Assert.Equal("Disk usage above 90%", content.RootElement.GetProperty("header").GetProperty("title").GetProperty("content").GetString());
        }

        Assert.Equal(SandboxSeed.GeneralChatId, ByStep("send_interactive_v1").ChatId);

        var byEmail = ByStep("send_text_by_email");
        Assert.Equal("email", byEmail.ReceiveIdType);
        Assert.Equal(SandboxSeed.AliceEmail, byEmail.ReceiveId);
        Assert.Equal(SandboxDirectory.P2pChatId(SandboxSeed.AliceOpenId), byEmail.ChatId);
        Assert.True(byEmail.Deleted, "the recall step recalled this message");

        var reply = ByStep("reply");
        Assert.Equal(text.MessageId, reply.ParentId);
        Assert.Equal(SandboxSeed.OpsChatId, reply.ChatId);
        Assert.Equal("Acknowledged (edited)", ContentField(reply.Content, "text"));
        Assert.Equal(1, reply.Edits);

        Assert.Equal("image", ByStep("send_image").MsgType);

        // Seven sends succeeded (text, post, two cards, email, reply, image); the duplicate uuid and the
        // refused sends delivered nothing.
        Assert.Equal(7, inbox.Count);
        Assert.DoesNotContain(inbox, m => m.ChatId == SandboxSeed.NoBotChatId);
        Assert.DoesNotContain(inbox, m => m.ReceiveId == SandboxSeed.CarolOpenId);
    }

    private static string? ContentField(string contentJson, string field)
    {
        using var document = JsonDocument.Parse(contentJson);
        return document.RootElement.GetProperty(field).GetString();
    }
}
