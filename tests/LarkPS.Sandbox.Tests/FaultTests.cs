using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

public sealed class FaultTests : SandboxTestBase
{
    [Fact]
    public async Task Latency_delays_open_api_answers_but_not_the_control_endpoints()
    {
        var token = await GetTokenAsync();
        // A latency far above what a loaded machine adds to a local call, so the two sides cannot be confused.
        Server.Faults.Latency = TimeSpan.FromMilliseconds(2000);

        var slow = Stopwatch.StartNew();
        var (response, _) = await SendTextAsync(token);
        slow.Stop();
        var quick = Stopwatch.StartNew();
        using var inbox = await Http.GetAsync("_sandbox/inbox");
        quick.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(slow.Elapsed >= TimeSpan.FromMilliseconds(1950), $"send took {slow.Elapsed}");
        Assert.True(quick.Elapsed < TimeSpan.FromMilliseconds(1950), $"inbox took {quick.Elapsed}");
    }

    [Fact]
    public async Task Latency_is_asynchronous_so_parallel_calls_overlap()
    {
        // One after another, 20 calls would take 20 x 1.5 s = 30 s; overlapping, about 1.5 s. The bound sits far from
        // both (a run with 16 parallel test threads on 2 cores took 2.15 s against the old 2 s bound).
        Server.Faults.Latency = TimeSpan.FromMilliseconds(1500);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Http.GetAsync("open-apis/im/v1/nothing")));
        clock.Stop();

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1450), $"20 delayed calls took {clock.Elapsed}, less than one latency");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"20 delayed calls took {clock.Elapsed}: they did not overlap");
    }

    [Fact]
    public async Task Fail_before_store_answers_500_and_stores_nothing()
    {
        var token = await GetTokenAsync();
        Server.Faults.FailBeforeStore = 2;

        var (first, firstBody) = await SendTextAsync(token, uuid: "fb");
        var (second, _) = await SendTextAsync(token, uuid: "fb");
        var (third, thirdBody) = await SendTextAsync(token, uuid: "fb");

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(1500, Code(firstBody));
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(MessageId(thirdBody), Assert.Single(Server.Inbox).MessageId);
        Assert.Equal(0, Server.Stats.DuplicatesSuppressed);
        Assert.Equal(0, Server.Faults.FailBeforeStore);
    }

    [Fact]
    public async Task Fail_after_store_delivers_then_500_and_a_retry_with_the_same_uuid_is_not_delivered_twice()
    {
        var token = await GetTokenAsync();
        Server.Faults.FailAfterStore = 1;

        var (failed, failedBody) = await SendTextAsync(token, "exactly once", uuid: "fa-1");
        var delivered = Assert.Single(Server.Inbox);
        var (retried, retriedBody) = await SendTextAsync(token, "exactly once", uuid: "fa-1");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(1500, Code(failedBody));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(delivered.MessageId, MessageId(retriedBody));
        Assert.Single(Server.Inbox);
        Assert.Equal(1, Server.Stats.DuplicatesSuppressed);
    }

    [Fact]
    public async Task Revoked_token_answers_99991663_after_n_uses_and_a_new_token_works()
    {
        var token = await GetTokenAsync();
        await SendTextAsync(token, "before the fault");
        Server.Faults.RevokeTokenAfterUses = 2;

        var (one, _) = await SendTextAsync(token, "1");
        var (two, _) = await SendTextAsync(token, "2");
        var (three, threeBody) = await SendTextAsync(token, "3");
        var fresh = await GetTokenAsync();
        var (withFresh, _) = await SendTextAsync(fresh, "4", receiveId: SandboxSeed.BobOpenId);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, two.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, three.StatusCode);
        Assert.Equal(99991663, Code(threeBody));
        Assert.NotEqual(token, fresh);
        Assert.Equal(HttpStatusCode.OK, withFresh.StatusCode);
        Assert.Equal(4, Server.Inbox.Count);

        // One revocation per setting: the fresh token outlives the limit.
        for (var i = 0; i < 3; i++)
        {
            var (again, _) = await SendTextAsync(fresh, "fresh " + i, receiveId: SandboxSeed.BobOpenId);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        // Revoked for good, even once the fault is lifted.
        Server.Faults.RevokeTokenAfterUses = null;
        var (stillRevoked, stillBody) = await SendTextAsync(token, "5", receiveId: SandboxSeed.BobOpenId);
        Assert.Equal(99991663, Code(stillBody));
        Assert.Equal(HttpStatusCode.BadRequest, stillRevoked.StatusCode);
    }

    [Fact]
    public async Task Dropped_connection_answers_nothing_and_stores_nothing()
    {
        var token = await GetTokenAsync();
        Server.Faults.DropConnections = 1;

        await Assert.ThrowsAsync<HttpRequestException>(() => SendTextAsync(token, uuid: "dropped"));
        var (after, _) = await SendTextAsync(token, uuid: "dropped");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Single(Server.Inbox);
        Assert.Equal(0, Server.Stats.DuplicatesSuppressed);
        Assert.Contains(Server.Requests, r => r.PathAndQuery.StartsWith("/open-apis/im/v1/messages", StringComparison.Ordinal) && r.StatusCode == 0);
    }

    [Fact]
    public async Task Faults_can_be_read_and_set_over_http()
    {
        using var set = await Http.PostAsync("_sandbox/faults", new StringContent(
            """{"latencyMs":25,"failBeforeStore":1,"failAfterStore":2,"revokeTokenAfterUses":7,"dropConnections":3}"""));
        using var get = await Http.GetAsync("_sandbox/faults");
        using var read = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
        using var bad = await Http.PostAsync("_sandbox/faults", new StringContent("""{"explode":1}"""));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(25), Server.Faults.Latency);
        Assert.Equal(1, Server.Faults.FailBeforeStore);
        Assert.Equal(2, Server.Faults.FailAfterStore);
        Assert.Equal(7, Server.Faults.RevokeTokenAfterUses);
        Assert.Equal(3, Server.Faults.DropConnections);
        Assert.Equal(25, read.RootElement.GetProperty("latencyMs").GetInt32());
        Assert.Equal(7, read.RootElement.GetProperty("revokeTokenAfterUses").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Faults_only_touch_send_calls_not_the_token_endpoint()
    {
        Server.Faults.FailBeforeStore = 1;
        Server.Faults.DropConnections = 1;

        var token = await GetTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "open-apis/im/v1/chats");
        request.Headers.Authorization = new("Bearer", token);
        using var chats = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, chats.StatusCode);
        Assert.Equal(1, Server.Faults.FailBeforeStore);
        Assert.Equal(1, Server.Faults.DropConnections);
    }
}
