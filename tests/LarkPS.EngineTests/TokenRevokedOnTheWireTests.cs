using System.Text.Json;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 8: a token revoked mid-run costs exactly one token request and one resend per affected item, counted on the
/// wire (the sandbox's request log), with every message delivered once. The HTTP choke point refreshes once; the
/// delivery scheduler must not add a retry of its own.
/// </summary>
public class TokenRevokedOnTheWireTests
{
    [Fact]
    public async Task A_revoked_token_costs_one_token_request_and_one_resend_per_affected_item()
    {
        var receivers = new[] { SandboxSeed.OpsChatId, SandboxSeed.GeneralChatId, SandboxSeed.AliceOpenId, SandboxSeed.BobOpenId, SandboxSeed.ErinOpenId };
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        world.Sandbox.Faults.Latency = TimeSpan.FromMilliseconds(20);
        var tokenRequestsBefore = world.Sandbox.Stats.TokenRequests;
        world.Sandbox.Faults.RevokeTokenAfterUses = 20;

        var result = world.Session.Invoke(
            "$receivers = $args[0]; 1..60 | ForEach-Object { $to = $receivers[$_ % $receivers.Count]; " +
            "[pscustomobject]@{ receiveType = $(if ($to.StartsWith('oc_')) { 'chat' } else { 'user' }); receiveId = $to; content = \"wire #$_\" } } | Send-LarkMessage",
            (object)receivers);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(60, result.Output.Count);
        Assert.Equal(60, world.Sandbox.Inbox.Select(m => m.Content).Distinct().Count());
        Assert.Equal(60, world.Sandbox.Inbox.Count);

        // On the wire: one token request for the whole run, and per message either one send (before the revocation or
        // after the refresh) or exactly two (refused with 99991663, then resent once with the fresh token).
        Assert.Equal(1, world.Sandbox.Stats.TokenRequests - tokenRequestsBefore);
        // A quota refusal (and its resend) is pacing, not the token: on a heavily loaded machine one can come, and the
        // benchmark is where pacing is measured. Left out here, the token's own cost is counted exactly.
        var sends = world.Sandbox.Requests
            .Where(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/open-apis/im/v1/messages", StringComparison.Ordinal))
            .Where(r => r.Code is not (230020 or 99991400))
            .Select(r => (Uuid: Uuid(r.Body), r.Code))
            .ToList();
        var byItem = sends.GroupBy(s => s.Uuid).ToList();
        Assert.Equal(60, byItem.Count);
        var affected = byItem.Where(g => g.Any(s => s.Code == 99991663)).ToList();
        Assert.NotEmpty(affected);
        Assert.All(affected, g =>
        {
            Assert.Equal(2, g.Count());
            Assert.Equal(new int?[] { 99991663, 0 }, g.Select(s => s.Code));
        });
        Assert.All(byItem.Except(affected), g => Assert.Single(g));
        Assert.Equal(60 + affected.Count, sends.Count);
    }

    private static string Uuid(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("uuid").GetString()!;
    }
}
