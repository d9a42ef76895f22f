using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Issue 25: the official Node SDK's im.message.list (by hand and with listWithIterator), get, readUsers and
/// im.messageResource.get against the sandbox (tests/conformance/history.mjs): Lark's shapes, paging and codes.
/// </summary>
public sealed class NodeSdkHistoryConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Official_node_sdk_reads_history_receipts_and_resources_as_against_lark()
    {
        var node = TestDependencies.RequireNode();
        await TestDependencies.EnsureConformanceModulesAsync();
        await using var sandbox = await SandboxServer.StartAsync();

        var seed = JsonSerializer.Serialize(new { chatId = SandboxSeed.OpsChatId, noBotChatId = SandboxSeed.NoBotChatId, userOpenId = SandboxSeed.BobOpenId });
        var run = await TestDependencies.RunAsync(
            node, ["history.mjs", sandbox.BaseAddress.ToString()], TestDependencies.ConformanceDirectory,
            new Dictionary<string, string> { ["LARK_SANDBOX_SEED"] = seed }, TimeSpan.FromMinutes(2));
        output.WriteLine(run.Stdout);
        Assert.True(run.ExitCode == 0, $"history.mjs reported mismatches: exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        using var report = JsonDocument.Parse(run.Stdout);
        var steps = report.RootElement.GetProperty("steps");
        var expected = new Dictionary<string, int>
        {
            ["list_page_1"] = 0, ["list_page_3"] = 0, ["list_all_in_order"] = 0, ["list_with_iterator_time_range"] = 0,
            ["get_message"] = 0, ["read_users_none"] = 0, ["read_users_after_mark"] = 0, ["read_users_not_sender"] = 230012,
            ["read_users_past_7_days"] = 230033, ["read_users_recalled"] = 230110, ["get_message_unknown"] = 99992354, ["read_users_unknown"] = 99992354, ["list_bot_not_in_chat"] = 230002,
            ["resource_write_file"] = 0, ["resource_not_in_message"] = 234003, ["list_missing_scope"] = 230027,
        };
        foreach (var (name, code) in expected)
        {
            Assert.True(steps.TryGetProperty(name, out var result), $"step {name} missing from the report");
            Assert.True(result.GetProperty("ok").GetBoolean(), $"step {name}: {result}");
            Assert.Equal(code, result.GetProperty("code").GetInt32());
        }

        // What the sandbox saw: three hand-paged list requests of 50, each after the first with a page_token.
        var lists = sandbox.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/open-apis/im/v1/messages?", StringComparison.Ordinal)
            && r.PathAndQuery.Contains("page_size=50", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lists.Count);
        Assert.Equal(2, lists.Count(r => r.PathAndQuery.Contains("page_token=", StringComparison.Ordinal)));
    }
}
