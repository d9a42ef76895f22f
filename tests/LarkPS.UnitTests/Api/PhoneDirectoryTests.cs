using LarkPS.Api;
using Xunit;
using LarkPS.Threading;

namespace LarkPS.UnitTests.Api;

public class PhoneDirectoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 20000)]
    public async Task Lookups_that_arrive_together_become_one_call_of_at_most_50()
    {
        var calls = new List<IReadOnlyList<string>>();
        var directory = new PhoneDirectory(
            (mobiles, _) => { lock (calls) { calls.Add(mobiles.ToList()); } return Task.FromResult<IReadOnlyDictionary<string, string?>>(mobiles.ToDictionary(m => m, m => (string?)("ou_" + m))); },
            LarkPS.Threading.SystemClock.Instance, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(200));

        var numbers = Enumerable.Range(0, 120).Select(i => "138" + i.ToString("00000000")).ToArray();
        var answers = await Task.WhenAll(numbers.Select(n => Task.Run(() => directory.ResolveAsync(n, CancellationToken.None))));

        Assert.Equal(numbers.Select(n => "ou_" + n), answers);
        Assert.All(calls, c => Assert.InRange(c.Count, 1, 50));
        Assert.Equal(120, calls.Sum(c => c.Count));
        Assert.InRange(calls.Count, 3, 5);
    }

    [Fact(Timeout = 20000)]
    public async Task Answers_are_cached_until_they_expire_and_misses_for_a_shorter_time()
    {
        var clock = new FakeClock(Start);
        var asked = 0;
        var directory = new PhoneDirectory(
            (mobiles, _) => { asked++; return Task.FromResult<IReadOnlyDictionary<string, string?>>(mobiles.ToDictionary(m => m, m => m == "13800000001" ? "ou_alice" : null)); },
            clock, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.Zero);

        Assert.Equal("ou_alice", await directory.ResolveAsync("13800000001", CancellationToken.None));
        Assert.Null(await directory.ResolveAsync("13800000009", CancellationToken.None));
        Assert.Equal("ou_alice", await directory.ResolveAsync("13800000001", CancellationToken.None));
        Assert.Null(await directory.ResolveAsync("13800000009", CancellationToken.None));
        Assert.Equal(2, asked);

        clock.Advance(TimeSpan.FromMinutes(6)); // the miss expired, the hit did not
        await directory.ResolveAsync("13800000009", CancellationToken.None);
        await directory.ResolveAsync("13800000001", CancellationToken.None);
        Assert.Equal(3, asked);

        clock.Advance(TimeSpan.FromHours(1)); // now the hit expired too: people change numbers
        await directory.ResolveAsync("13800000001", CancellationToken.None);
        Assert.Equal(4, asked);
    }

    [Fact(Timeout = 20000)]
    public async Task An_unexpected_failure_of_the_lookup_reaches_the_waiters_instead_of_leaving_them_hanging()
    {
        var directory = new PhoneDirectory(
            (_, _) => Task.FromException<IReadOnlyDictionary<string, string?>>(new OverflowException("absurd header")),
            new FakeClock(Start), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.Zero);

        await Assert.ThrowsAsync<OverflowException>(() => directory.ResolveAsync("13800000001", CancellationToken.None));
    }

    [Fact(Timeout = 20000)]
    public async Task A_failed_lookup_fails_its_waiters_and_is_not_cached()
    {
        var attempt = 0;
        var directory = new PhoneDirectory(
            (mobiles, _) => ++attempt == 1
                ? Task.FromException<IReadOnlyDictionary<string, string?>>(new LarkApiException("boom", 1500, "internal", System.Net.HttpStatusCode.InternalServerError, null))
                : Task.FromResult<IReadOnlyDictionary<string, string?>>(mobiles.ToDictionary(m => m, _ => (string?)"ou_x")),
            new FakeClock(Start), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.Zero);

        await Assert.ThrowsAsync<LarkApiException>(() => directory.ResolveAsync("13800000001", CancellationToken.None));
        Assert.Equal("ou_x", await directory.ResolveAsync("13800000001", CancellationToken.None));
    }
}
