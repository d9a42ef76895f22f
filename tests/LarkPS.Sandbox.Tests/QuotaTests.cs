using System.Net;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>Quotas run on the frozen fake clock, so "within one second" is exact, not a race.</summary>
public sealed class QuotaTests : SandboxTestBase
{
    [Fact]
    public async Task App_limit_of_50_per_second_answers_429_with_ratelimit_headers_under_concurrency()
    {
        Server.Options.Quotas.ReceiverPerSecond = 10_000;
        var token = await GetTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => SendTextAsync(token, $"burst {i}")));

        var accepted = answers.Count(a => a.Response.StatusCode == HttpStatusCode.OK);
        var refused = answers.Where(a => a.Response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(50, accepted);
        Assert.Equal(30, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal(99991400, Code(r.Body));
            Assert.Equal("50", Assert.Single(r.Response.Headers.GetValues("x-ogw-ratelimit-limit")));
            Assert.Equal("1", Assert.Single(r.Response.Headers.GetValues("x-ogw-ratelimit-reset")));
        });
        Assert.Equal(50, Server.Inbox.Count);
        Assert.Equal(50, Server.Stats.Sent);
        Assert.Equal(30, Server.Stats.Refused429);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var (after, _) = await SendTextAsync(token, "after the reset");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task App_limit_per_minute_announces_the_seconds_until_a_slot_frees()
    {
        Server.Options.Quotas.AppPerMinute = 3;
        Server.Options.Quotas.ReceiverPerSecond = 100;
        var token = await GetTokenAsync();
        for (var i = 0; i < 3; i++)
        {
            var (ok, _) = await SendTextAsync(token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Clock.Advance(TimeSpan.FromSeconds(10));
        }

        // The oldest slot was taken 30 s ago: it frees in 30 s.
        var (refused, body) = await SendTextAsync(token);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(99991400, Code(body));
        Assert.Equal("3", Assert.Single(refused.Headers.GetValues("x-ogw-ratelimit-limit")));
        Assert.Equal("30", Assert.Single(refused.Headers.GetValues("x-ogw-ratelimit-reset")));

        Clock.Advance(TimeSpan.FromSeconds(30));
        var (again, _) = await SendTextAsync(token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(4, Server.Inbox.Count);
    }

    [Fact]
    public async Task Five_per_second_to_one_receiver_then_230020_while_others_still_get_through()
    {
        var token = await GetTokenAsync();
        for (var i = 0; i < 5; i++)
        {
            var (ok, _) = await SendTextAsync(token, $"alice {i}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // Same receiver by another id: still alice's chat.
        var (refused, body) = await SendTextAsync(token, "alice 6", receiveId: SandboxSeed.AliceEmail, receiveIdType: "email");
        var (bob, _) = await SendTextAsync(token, "bob", receiveId: SandboxSeed.BobOpenId);
        var (ops, _) = await SendTextAsync(token, "ops", receiveId: SandboxSeed.OpsChatId, receiveIdType: "chat_id");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(230020, Code(body));
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
        Assert.Equal(1, Server.Stats.Refused230020);
        Assert.Equal(7, Server.Inbox.Count);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var (later, _) = await SendTextAsync(token, "alice later");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task A_refused_send_does_not_consume_its_uuid()
    {
        Server.Options.Quotas.AppPerSecond = 1;
        var token = await GetTokenAsync();
        await SendTextAsync(token, "fills the second");

        var (refused, _) = await SendTextAsync(token, "refused", uuid: "kept-uuid");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var (retried, body) = await SendTextAsync(token, "retried", uuid: "kept-uuid");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(0, Server.Stats.DuplicatesSuppressed);
        Assert.Contains(Server.Inbox, m => m.MessageId == MessageId(body) && m.Content == Text("retried"));
    }

    [Fact]
    public async Task Disabled_quotas_let_everything_through()
    {
        Server.Options.Quotas.Enabled = false;
        var token = await GetTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => SendTextAsync(token, $"free {i}")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode));
        Assert.Equal(60, Server.Inbox.Count);
    }
}
