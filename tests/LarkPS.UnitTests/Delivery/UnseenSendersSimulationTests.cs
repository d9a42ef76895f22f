using System.Globalization;
using LarkPS.Delivery;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.UnitTests.Delivery;

/// <summary>
/// Several senders on one app that cannot see each other (processes with -NoQuotaSharing, or other machines; issue 24)
/// against one model of Lark that counts the app's and the chats' quotas across them on arrival, on a fake clock. The
/// model's figures follow the benchmark's real pwsh processes (`--only shared`, 100 ms, 150 ms handshake: 3 unshared
/// 144 refusals and 0.86 of the limit there, 143-148 and 0.82-0.86 here), so pacing changes can be tried here first.
/// Each run repeats exactly for its seed (the limiters' spacing jitter is seeded too).
/// </summary>
public class UnseenSendersSimulationTests
{
    private readonly ITestOutputHelper _output;

    public UnseenSendersSimulationTests(ITestOutputHelper output) => _output = output;

    // The least share of the limit each run must reach: the pacing before the window's slack, the steeper cut and the
    // margin kept at foreign refusals reached 0.776 and 0.793 with 3 senders, 0.946 with 5; it reaches 0.858, 0.823, 0.964.
    [Theory]
    [InlineData(3, 1, 0.80)]
    [InlineData(3, 2, 0.80)]
    [InlineData(5, 1, 0.95)]
    public void Senders_that_cannot_see_each_other_deliver_every_message_once_and_converge_to_the_shared_quota(int senders, int seed, double least)
    {
        var lark = new LarkSimulation(seed)
        {
            Latency = TimeSpan.FromMilliseconds(100), Jitter = TimeSpan.FromMilliseconds(20), Handshake = TimeSpan.FromMilliseconds(150), HandshakeHidden = true,
        };
        var items = Enumerable.Range(0, senders)
            .Select(p => (IReadOnlyList<string>)Enumerable.Range(0, 300).Select(i => $"oc_{i % 20}#p{p}-{i}").ToList())
            .ToList();

        var times = lark.RunMany(items, new DeliveryOptions());

        var all = items.SelectMany(x => x).ToList();
        var limit = LarkSimulation.Limit(all, 50, 1000, 5, lark.Latency);
        var slowest = times.Max();
        var refused = lark.Refused429 + lark.Refused230020;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{senders} senders: {refused} refusals ({lark.Refused429} app, {lark.Refused230020} chat), slowest {slowest.TotalSeconds:0.00} s, limit {limit.TotalSeconds:0.00} s ({limit / slowest:0.000}); each {string.Join(" ", times.Select(t => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s"));

        // Every message once, none failed: refusals are "not yet", and the items' budgets outlast them.
        Assert.Empty(lark.Failures);
        Assert.Equal(all.OrderBy(w => w, StringComparer.Ordinal), lark.Delivered.Select(d => d.Work).OrderBy(w => w, StringComparer.Ordinal));

        // They cannot see each other, so Lark refuses some (the model counts across senders)...
        Assert.True(refused > 0, "senders that cannot see each other drew no refusal: the model does not count across them");

        // ...but they learn the shared quota from the refusals: a limiter that ignored them (each pacing to the whole
        // quota) draws several per message sent (1564 for 3 x 300), and the slowest finishes late.
        Assert.True(refused <= all.Count * 3 / 10, $"{refused} refusals for {all.Count} messages");
        Assert.True(limit / slowest >= least, $"the slowest took {slowest.TotalSeconds:0.00} s, the limit {limit.TotalSeconds:0.00} s: {limit / slowest:0.000} of it, below {least}");
    }
}
