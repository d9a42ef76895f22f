using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 24 item 3 end to end: two PowerShell sessions (two engines, each its own Connect-Lark) send to one app on one
/// sandbox at once, each paced to the whole quota. Sharing the machine's file they draw no refusal together; with
/// -NoQuotaSharing the same run overruns the app's 50/s (the sandbox counts on arrival across connections).
/// </summary>
public class QuotaSharingEngineTests
{
    private readonly ITestOutputHelper _log;

    public QuotaSharingEngineTests(ITestOutputHelper log) => _log = log;

    private static (SandboxOptions Options, string[] Receivers) TwentyReceivers()
    {
        var options = new SandboxOptions();
        var receivers = Enumerable.Range(0, 20).Select(i => $"ou_{i:x32}").ToArray();
        options.Directory.Users.AddRange(receivers.Select((id, i) => new SandboxUser(id, $"on_{i:x32}", $"u{i}", $"User {i}", $"user{i}@example.com", null, Visible: true, Resigned: false)));
        return (options, receivers);
    }

    private async Task<(int Delivered, long Refused)> RunTwoAsync(bool share)
    {
        var (options, receivers) = TwentyReceivers();
        await using var world = await EngineWorld.StartAsync(options);
        using var second = new PowerShellSession();
        var connect = world.ConnectScript + (share ? string.Empty : " -NoQuotaSharing");
        Assert.Null(world.Session.Invoke(connect).Terminating);
        Assert.Null(second.Invoke(connect).Terminating);

        const string script = "$receivers = $args[0]; $tag = $args[1]; 1..150 | ForEach-Object { [pscustomobject]@{ receiveId = $receivers[$_ % 20]; content = \"$tag #$_\" } } | Send-LarkMessage";
        var one = Task.Run(() => world.Session.Invoke(script, receivers, "one"));
        var two = Task.Run(() => second.Invoke(script, receivers, "two"));
        var results = await Task.WhenAll(one, two);

        foreach (var result in results)
        {
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            Assert.Equal(150, result.Output.Count);
        }

        var delivered = world.Sandbox.Inbox.Select(m => m.Content).ToList();
        Assert.Equal(300, delivered.Distinct().Count());
        var refused = world.Sandbox.Stats.Refused429 + world.Sandbox.Stats.Refused230020;
        _log.WriteLine($"share={share}: {delivered.Count} delivered, {world.Sandbox.Stats.Refused429} × 429, {world.Sandbox.Stats.Refused230020} × 230020");
        return (delivered.Count, refused);
    }

    [Fact]
    public async Task Two_engines_on_one_app_share_the_quota_and_draw_no_refusal()
    {
        var (delivered, refused) = await RunTwoAsync(share: true);

        // Sharing leaves the sandbox (counting on arrival) nothing to refuse: 0 on a quiet machine and in the
        // benchmark's real pwsh processes. With 16 parallel test threads on 2 cores, two arrivals bunched by the
        // machine's scheduling were refused once; the bound is the 1 per 100, against about 136 unshared.
        Assert.Equal(300, delivered);
        Assert.True(refused <= 3, $"{refused} refusals for 300 shared sends (at most 3: 1 per 100)");
    }

    [Fact]
    public async Task Without_sharing_the_same_two_engines_overrun_the_app_and_still_deliver_everything_once()
    {
        var (delivered, refused) = await RunTwoAsync(share: false);

        Assert.Equal(300, delivered);
        Assert.True(refused > 0, "two unshared engines at 50/s each should overrun the app's 50/s");
    }
}
