using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>The inbox page in headless Chromium shows a custom bot's messages under the group chat it posts into.</summary>
public sealed class HookInboxPageTests
{
    [Fact]
    public async Task A_hook_message_is_shown_in_its_group_chat_not_as_a_conversation_of_its_own()
    {
        TestDependencies.RequireChromium();
        await using var sandbox = await SandboxServer.StartAsync();
        using (var http = new HttpClient { BaseAddress = sandbox.BaseAddress })
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(timestamp + "\n" + SandboxSeed.OpsHookSecret));
            var answer = await http.PostAsJsonAsync("open-apis/bot/v2/hook/" + SandboxSeed.OpsHookToken, new
            {
                timestamp,
                sign = Convert.ToBase64String(hmac.ComputeHash([])),
                msg_type = "text",
                content = new { text = "Hook says: disk full on db-01" },
            });
            Assert.Equal(0, (await answer.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["code"]!.GetValue<int>());
        }

        var dump = await TestDependencies.RunHeadlessChromiumAsync(
            sandbox.BaseAddress.ToString(),
            ["--virtual-time-budget=5000", "--window-size=1280,900", "--dump-dom"],
            TimeSpan.FromSeconds(90));
        Assert.True(dump.ExitCode == 0, $"chromium --dump-dom exited {dump.ExitCode}\n{dump.Stderr}");
        var dom = dump.Stdout;

        Assert.Contains("Hook says: disk full on db-01", dom, StringComparison.Ordinal);
        Assert.Contains($"href=\"#chat%3A{SandboxSeed.OpsChatId}\">{"# Ops alerts"}</a>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("@ Ops alert bot", dom, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxSeed.OpsHookToken, dom, StringComparison.Ordinal);
    }
}
