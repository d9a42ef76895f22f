using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Issue 21: Lark's official Node SDK's long-connection client (WSClient + EventDispatcher), unmodified, against the
/// sandbox: it fetches the endpoint, opens the WebSocket, pings, receives a message event (whole and in fragments) and
/// a card action, and acknowledges them, the card action with its answer. The script is tests/conformance/events.mjs;
/// this test also reads the sandbox's own records of the acknowledgements.
/// </summary>
public sealed class NodeSdkEventsConformanceTests(ITestOutputHelper output)
{
    // The SDK refuses an app id that is not cli_ and 16 hex digits (^cli_[0-9a-fA-F]{16}$); the seed's cli_sandbox is not.
    private const string SdkAppId = "cli_0123456789abcdef";

    [Fact]
    public async Task Official_node_sdk_ws_client_receives_a_message_and_a_card_action_and_the_sandbox_records_its_acks()
    {
        var node = TestDependencies.RequireNode();
        await TestDependencies.EnsureConformanceModulesAsync();
        var options = new SandboxOptions { AppId = SdkAppId };
        await using var sandbox = await SandboxServer.StartAsync(options);

        var seed = JsonSerializer.Serialize(new { aliceOpenId = SandboxSeed.AliceOpenId, bobOpenId = SandboxSeed.BobOpenId, chatId = SandboxSeed.OpsChatId });
        var run = await TestDependencies.RunAsync(
            node,
            ["events.mjs", sandbox.BaseAddress.ToString()],
            TestDependencies.ConformanceDirectory,
            new Dictionary<string, string> { ["LARK_SANDBOX_SEED"] = seed, ["LARK_SANDBOX_APP_ID"] = SdkAppId },
            TimeSpan.FromMinutes(2));
        var diagnostics = $"exit {run.ExitCode}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}";
        output.WriteLine(run.Stdout);
        Assert.True(run.ExitCode == 0, "events.mjs reported mismatches: " + diagnostics);

        using var report = JsonDocument.Parse(run.Stdout);
        var steps = report.RootElement.GetProperty("steps");
        foreach (var name in new[] { "connect", "message_event", "fragmented_event", "card_action", "card_answer_seen_by_sandbox", "pings", "no_protocol_errors", "ack_message", "ack_fragmented", "ack_card", "ack_card_answer", "closed" })
        {
            Assert.True(steps.TryGetProperty(name, out var step), $"step {name} missing: {diagnostics}");
            Assert.True(step.GetProperty("ok").GetBoolean(), $"step {name}: {step}");
        }

        // The sandbox's own view, in-process: three events, each acknowledged once with code 200 within 3 s, by a
        // connection the SDK opened with a fresh ticket and closed with a close frame.
        var deliveries = sandbox.Events.Deliveries;
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal("acked", d.Status);
            var first = Assert.Single(d.Attempts);
            Assert.Equal(200, first.AckCode);
            Assert.True(first.AckedAt - first.SentAt <= TimeSpan.FromSeconds(3));
        });
        var card = Assert.Single(deliveries, d => d.EventType == "card.action.trigger");
        using (var answer = JsonDocument.Parse(card.Attempts[0].AnswerJson!))
        {
            Assert.Equal("Approved by the Node SDK", answer.RootElement.GetProperty("toast").GetProperty("content").GetString());
            Assert.Equal("raw", answer.RootElement.GetProperty("card").GetProperty("type").GetString());
        }

        Assert.Contains(deliveries, d => d.Attempts[0].Fragments > 1);
        var connection = Assert.Single(sandbox.Events.Connections);
        Assert.Equal("clean", connection.HowClosed);
        Assert.Empty(connection.ProtocolErrors);
        Assert.True(connection.Pings >= 2, "the SDK pings on opening and every PingInterval");

        // The clicked card was replaced by the SDK's answer, as Lark replaces it for the user.
        var clicked = Assert.Single(sandbox.Inbox, m => m.MsgType == "interactive");
        Assert.Contains("Approved (node)", clicked.Content, StringComparison.Ordinal);
        Assert.Equal(1, clicked.CardUpdates);
    }
}
