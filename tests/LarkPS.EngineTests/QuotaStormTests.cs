using System.Diagnostics;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 24 item 1 as users meet it: a quota refusal means "not yet". A storm of refusals longer than the old retry
/// count (8 attempts) still delivers every item once within its budget; a budget spent on refusals fails exactly those
/// items, with QuotaBudgetSpent and its fix. The sandbox injects the storm (faults refuseAppQuota, busyChat).
/// </summary>
public class QuotaStormTests
{
    private static readonly string[] Receivers = [SandboxSeed.AliceOpenId, SandboxSeed.BobOpenId, SandboxSeed.ErinOpenId];

    private readonly ITestOutputHelper _log;

    public QuotaStormTests(ITestOutputHelper log) => _log = log;

    private static List<(string Uuid, int Status, int? Code)> Sends(EngineWorld world) =>
        world.Sandbox.Requests
            .Where(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/open-apis/im/v1/messages", StringComparison.Ordinal))
            .Select(r => (System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("uuid").GetString()!, r.StatusCode, r.Code))
            .ToList();

    [Fact]
    public async Task A_storm_of_app_refusals_longer_than_the_retry_count_delivers_every_item_once()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        // 30 refusals for 3 items: each is refused about 10 times, past the 8 attempts that used to fail it.
        world.Sandbox.Faults.RefuseAppQuota = 30;
        var clock = Stopwatch.StartNew();
        var result = world.Session.Invoke(
            "$to = $args[0]; 0..2 | ForEach-Object { [pscustomobject]@{ receiveId = $to[$_]; content = \"storm #$_\"; uuid = \"storm-$_\" } } | Send-LarkMessage -Verbose",
            (object)Receivers);
        clock.Stop();

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Output.Count);
        Assert.Equal(0, world.Sandbox.Faults.RefuseAppQuota);
        var delivered = world.Sandbox.Inbox.Select(m => m.Uuid).OrderBy(u => u).ToList();
        Assert.Equal(new[] { "storm-0", "storm-1", "storm-2" }, delivered);

        var sends = Sends(world);
        var refusedPerItem = sends.Where(s => s.Code == 99991400).GroupBy(s => s.Uuid).ToDictionary(g => g.Key, g => g.Count());
        _log.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s; refusals per item: {string.Join(", ", refusedPerItem.Select(p => p.Key + "=" + p.Value))}");
        Assert.Equal(30, refusedPerItem.Values.Sum());
        Assert.Contains(refusedPerItem.Values, n => n >= 8);
        Assert.Contains(result.Verbose, v => v.Contains("quota refusals are retried until the item's deadline", StringComparison.Ordinal));

        // Within the default budget of 2 minutes, and each item sent once.
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), clock.Elapsed.ToString());
        Assert.Equal(3, world.Sandbox.Stats.Sent);
    }

    [Fact]
    public async Task A_budget_spent_on_refusals_fails_exactly_those_items_with_QuotaBudgetSpent()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        // Other bots keep the ops chat full: every send into it answers 230020.
        world.Sandbox.Faults.BusyChat = SandboxSeed.OpsChatId;
        var result = world.Session.Invoke(
            "$busy = $args[0]; $to = $args[1]; " +
            "@([pscustomobject]@{ receiveType = 'chat'; receiveId = $busy; content = 'busy a'; uuid = 'busy-a' }, " +
            "[pscustomobject]@{ receiveId = $to[0]; content = 'calm 0'; uuid = 'calm-0' }, " +
            "[pscustomobject]@{ receiveType = 'chat'; receiveId = $busy; content = 'busy b'; uuid = 'busy-b' }, " +
            "[pscustomobject]@{ receiveId = $to[1]; content = 'calm 1'; uuid = 'calm-1' }) | Send-LarkMessage -DeadlineSec 3",
            SandboxSeed.OpsChatId,
            Receivers);

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(new[] { "calm-0", "calm-1" }, world.Sandbox.Inbox.Select(m => m.Uuid).OrderBy(u => u).ToArray());
        Assert.Equal(2, result.Errors.Count);
        foreach (var error in result.Errors)
        {
            _log.WriteLine(error.Exception.Message);
            Assert.Equal("QuotaBudgetSpent,LarkPS.Commands.SendLarkMessageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
            Assert.Contains("time budget of 3.0 s (-DeadlineSec) is spent", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("It did not arrive", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("-DeadlineSec", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.Contains("-NoQuotaSharing", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        }

        var targets = result.Errors.Select(e => (string)((System.Management.Automation.PSObject)e.TargetObject).Properties["uuid"].Value).OrderBy(u => u);
        Assert.Equal(new[] { "busy-a", "busy-b" }, targets);

        // Retried while the budget lasted (more than once each), never counted out.
        var busySends = Sends(world).Where(s => s.Uuid.StartsWith("busy-", StringComparison.Ordinal)).ToList();
        Assert.All(busySends, s => Assert.Equal(230020, s.Code));
        Assert.True(busySends.Count(s => s.Uuid == "busy-a") >= 2, $"busy-a was sent {busySends.Count(s => s.Uuid == "busy-a")} time(s)");
    }
}
