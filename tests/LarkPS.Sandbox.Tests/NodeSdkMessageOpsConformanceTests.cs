using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// The official Node SDK's reply, update (PUT), patch and delete calls against the sandbox
/// (tests/conformance/message-ops.mjs): answered with Lark's shapes and Lark's refusal codes.
/// </summary>
public sealed class NodeSdkMessageOpsConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Official_node_sdk_replies_edits_updates_and_recalls_as_against_lark()
    {
        var node = TestDependencies.RequireNode();
        await TestDependencies.EnsureConformanceModulesAsync();
        await using var sandbox = await SandboxServer.StartAsync();

        var seed = JsonSerializer.Serialize(new { chatId = SandboxSeed.OpsChatId, userOpenId = SandboxSeed.BobOpenId });
        var run = await TestDependencies.RunAsync(
            node,
            ["message-ops.mjs", sandbox.BaseAddress.ToString()],
            TestDependencies.ConformanceDirectory,
            new Dictionary<string, string> { ["LARK_SANDBOX_SEED"] = seed },
            TimeSpan.FromMinutes(2));

        var diagnostics = $"exit {run.ExitCode}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}";
        output.WriteLine(run.Stdout);
        Assert.True(run.ExitCode == 0, "message-ops.mjs reported mismatches: " + diagnostics);
        using var report = JsonDocument.Parse(run.Stdout);
        var steps = report.RootElement.GetProperty("steps");

        var expected = new Dictionary<string, (int Code, int Http)>
        {
            ["reply_in_thread"] = (0, 200),
            ["reply_duplicate_uuid"] = (0, 200),
            ["reply_nested"] = (0, 200),
            ["edit_text"] = (0, 200),
            ["patch_card"] = (0, 200),
            ["recall"] = (0, 200),
            ["patch_unshared_card"] = (230001, 400),
            ["patch_not_a_card"] = (230001, 400),
            ["recall_again"] = (230110, 400),
            ["edit_recalled"] = (230110, 400),
            ["reply_to_recalled"] = (230011, 400),
            ["reply_to_unknown"] = (99992354, 400),
            ["edit_unknown"] = (99992354, 400),
            ["patch_unknown"] = (99992354, 400),
            ["recall_unknown"] = (99992354, 400),
            ["edit_not_sender"] = (230071, 400),
            ["recall_not_own"] = (230026, 400),
            ["recall_past_window"] = (230009, 400),
            ["edit_past_window"] = (230075, 400),
            ["patch_past_14_days"] = (230031, 400),
        };
        foreach (var (name, (code, http)) in expected)
        {
            Assert.True(steps.TryGetProperty(name, out var result), $"step {name} missing from the report");
            Assert.True(result.GetProperty("ok").GetBoolean(), $"step {name}: {result}");
            Assert.Equal(code, result.GetProperty("code").GetInt32());
            Assert.Equal(http, result.GetProperty("http").GetInt32());
        }

        // What the sandbox holds is what the SDK did: the card updated in place, the text edited once,
        // two replies under the card (the duplicate uuid delivered nothing), the mistake recalled.
        var ids = report.RootElement.GetProperty("ids");
        DeliveredMessage ById(string key) => Assert.Single(sandbox.Inbox, m => m.MessageId == ids.GetProperty(key).GetString());
        var alert = ById("alert");
        Assert.Contains("Resolved: disk 40% on db-02", alert.Content, StringComparison.Ordinal);
        Assert.Equal(1, alert.CardUpdates);
        Assert.Equal(1, ById("text").Edits);
        Assert.True(ById("gone").Deleted);
        Assert.False(ById("old").Deleted);
        var replies = sandbox.Inbox.Where(m => m.RootId == alert.MessageId).ToList();
        Assert.Equal(2, replies.Count);
        Assert.All(replies, r => Assert.NotNull(r.ThreadId));
    }
}
