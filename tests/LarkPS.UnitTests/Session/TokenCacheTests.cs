using Xunit;
using LarkPS.Session;
using LarkPS.Api;

namespace LarkPS.UnitTests.Session;

public class TokenCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reuses_the_token_until_the_margin_before_expiry_then_refreshes()
    {
        var clock = new FakeClock(Start);
        var issued = 0;
        var cache = new TokenCache(
            _ => Task.FromResult(new TenantToken("t-" + ++issued, clock.UtcNow.AddHours(2))),
            clock,
            TimeSpan.FromMinutes(5));

        var first = await cache.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(114)); // 6 minutes left: still outside the margin
        var second = await cache.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(61)); // inside the 5-minute margin
        var third = await cache.GetAsync(CancellationToken.None);

        Assert.Equal("t-1", first.Value);
        Assert.Same(first, second);
        Assert.Equal("t-2", third.Value);
        Assert.Equal(2, cache.FetchCount);
        Assert.Equal(third.ExpiresAt, cache.ExpiresAt);
    }

    [Fact]
    public async Task Many_concurrent_callers_share_one_token_request()
    {
        var clock = new FakeClock(Start);
        var release = new TaskCompletionSource<TenantToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var cache = new TokenCache(_ => { Interlocked.Increment(ref calls); return release.Task; }, clock, TimeSpan.FromMinutes(5));

        // Each caller signals once GetAsync has handed it its task: it has then joined the request under way (or made it).
        using var joined = new CountdownEvent(100);
        var waiting = Enumerable.Range(0, 100).Select(_ => Task.Run(() =>
        {
            var token = cache.GetAsync(CancellationToken.None);
            joined.Signal();
            return token;
        })).ToArray();
        Assert.True(joined.Wait(TimeSpan.FromSeconds(30)), "the callers did not all ask");
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        release.SetResult(new TenantToken("t-shared", Start.AddHours(2)));
        var tokens = await Task.WhenAll(waiting);

        Assert.Equal(1, calls);
        Assert.All(tokens, t => Assert.Equal("t-shared", t.Value));
    }

    [Fact]
    public async Task Invalidate_drops_only_the_token_it_names()
    {
        var clock = new FakeClock(Start);
        var issued = 0;
        var cache = new TokenCache(_ => Task.FromResult(new TenantToken("t-" + ++issued, Start.AddHours(2))), clock, TimeSpan.FromMinutes(5));

        var old = await cache.GetAsync(CancellationToken.None);
        cache.Invalidate(old);
        var fresh = await cache.GetAsync(CancellationToken.None);
        cache.Invalidate(old); // a late failure on the old token must not throw away the fresh one
        var again = await cache.GetAsync(CancellationToken.None);

        Assert.Equal("t-2", fresh.Value);
        Assert.Same(fresh, again);
        Assert.Equal(2, cache.FetchCount);
    }

    [Fact]
    public async Task A_failed_fetch_is_not_cached_and_the_next_call_tries_again()
    {
        var clock = new FakeClock(Start);
        var attempts = 0;
        var cache = new TokenCache(
            _ => ++attempts == 1 ? Task.FromException<TenantToken>(new InvalidOperationException("boom")) : Task.FromResult(new TenantToken("t-ok", Start.AddHours(2))),
            clock,
            TimeSpan.FromMinutes(5));

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(CancellationToken.None));
        var token = await cache.GetAsync(CancellationToken.None);

        Assert.Equal("t-ok", token.Value);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_without_cancelling_the_shared_request()
    {
        var clock = new FakeClock(Start);
        var release = new TaskCompletionSource<TenantToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new TokenCache(_ => release.Task, clock, TimeSpan.FromMinutes(5));
        using var cts = new CancellationTokenSource();

        var impatient = cache.GetAsync(cts.Token);
        var patient = cache.GetAsync(CancellationToken.None);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        release.SetResult(new TenantToken("t-late", Start.AddHours(2)));

        Assert.Equal("t-late", (await patient).Value);
        Assert.Equal(1, cache.FetchCount);
    }

    [Fact]
    public void The_token_text_never_shows_in_ToString()
    {
        var token = new TenantToken("t-very-secret", Start);

        Assert.DoesNotContain("t-very-secret", token.ToString(), StringComparison.Ordinal);
    }
}
