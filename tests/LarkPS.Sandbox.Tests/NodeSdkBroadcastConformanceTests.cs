using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Issue 23: the official Node SDK against the sandbox's broadcast operations (tests/conformance/broadcast.mjs):
/// message v4 batch_send through client.request, im.v1 batchMessage getProgress / readUser / delete, contact
/// department children (paged) and get, user findByDepartment; answered with Lark's shapes and refusal codes.
/// </summary>
public sealed class NodeSdkBroadcastConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Official_node_sdk_broadcasts_follows_recalls_and_walks_departments_as_against_lark()
    {
        var node = TestDependencies.RequireNode();
        await TestDependencies.EnsureConformanceModulesAsync();
        await using var sandbox = await SandboxServer.StartAsync();

        var seed = JsonSerializer.Serialize(new
        {
            engineeringId = SandboxSeed.EngineeringDepartmentId,
            salesId = SandboxSeed.SalesDepartmentId,
            aliceOpenId = SandboxSeed.AliceOpenId,
        });
        var run = await TestDependencies.RunAsync(
            node,
            ["broadcast.mjs", sandbox.BaseAddress.ToString()],
            TestDependencies.ConformanceDirectory,
            new Dictionary<string, string> { ["LARK_SANDBOX_SEED"] = seed },
            TimeSpan.FromMinutes(2));

        var diagnostics = $"exit {run.ExitCode}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}";
        output.WriteLine(run.Stdout);
        Assert.True(run.ExitCode == 0, "broadcast.mjs reported mismatches: " + diagnostics);
        using var report = JsonDocument.Parse(run.Stdout);
        var steps = report.RootElement.GetProperty("steps");

        var expected = new Dictionary<string, (int Code, int Http)>
        {
            ["batch_send"] = (0, 200),
            // batch_send refuses with HTTP 200 and a code (LARK-API.md: over 200 ids is UNCONFIRMED; the sandbox says 10003).
            ["batch_send_201_open_ids"] = (10003, 200),
            ["batch_send_root_department"] = (10003, 200),
            ["batch_send_no_receivers"] = (10003, 200),
            ["batch_send_chat_type"] = (10003, 200),
            ["get_progress"] = (0, 200),
            ["read_user"] = (0, 200),
            ["recall"] = (0, 200),
            ["get_progress_unknown"] = (230030, 400),
            ["read_user_unknown"] = (230030, 400),
            ["recall_unknown"] = (230030, 400),
            ["children_page_1"] = (0, 200),
            ["children_page_2"] = (0, 200),
            ["children_page_size_51"] = (40011, 400),
            ["children_bad_page_token"] = (40012, 400),
            ["department_get"] = (0, 200),
            ["department_get_unknown"] = (40015, 400),
            ["find_by_department"] = (0, 200),
            ["find_by_department_unknown"] = (40015, 400),
        };
        foreach (var (name, (code, http)) in expected)
        {
            Assert.True(steps.TryGetProperty(name, out var result), $"step {name} missing from the report");
            Assert.True(result.GetProperty("ok").GetBoolean(), $"step {name}: {result}");
            Assert.Equal(code, result.GetProperty("code").GetInt32());
            Assert.Equal(http, result.GetProperty("http").GetInt32());
        }

        // What the SDK saw is the seed's tree: four departments in two pages of two, Engineering's subtree of
        // three (alice, bob, erin) pushed, read by one, recalled from all; Sales shows only Erin (Carol is outside
        // the app's range, Dave resigned).
        var facts = report.RootElement.GetProperty("facts");
        Assert.Equal(
            new[] { "Empty", "Engineering", "Platform", "Sales" },
            facts.GetProperty("departments").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2, facts.GetProperty("departmentPages").GetInt32());
        Assert.Equal(3, facts.GetProperty("engineering").GetProperty("member_count").GetInt32());
        Assert.Equal(["Erin"], facts.GetProperty("salesUsers").EnumerateArray().Select(u => u.GetString()!).ToArray());
        Assert.Equal("1", facts.GetProperty("readUser").GetProperty("read_count").GetString());
        Assert.Equal(3, facts.GetProperty("recall").GetProperty("recall_count").GetInt32());

        // The sandbox holds the one accepted batch (the refused requests left nothing), read by Alice, recalled.
        var batch = Assert.Single(sandbox.BatchMessages);
        Assert.Equal(facts.GetProperty("batchMessageId").GetString(), batch.MessageId);
        Assert.Equal([SandboxSeed.AliceOpenId], batch.Readers);
        Assert.NotNull(batch.RecalledAt);
    }
}
