using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Security;
using System.Text;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Pacing;
using LarkPS.Session;
using Xunit;

namespace LarkPS.UnitTests.Api;

/// <summary>Pacing's one seam: the endpoint table gives each call its quota class, the choke point paces by it, and a refusal teaches the windows that counted it.</summary>
public class PacedChokePointTests
{
    private static readonly Uri Base = new("https://open.feishu.cn");

    [Fact]
    public void Every_operation_has_one_endpoint_row_and_the_quota_class_Lark_counts_it_in()
    {
        var rows = LarkEndpoints.Rows;

        Assert.Equal(Enum.GetValues<LarkOperation>().OrderBy(o => o), rows.Select(r => r.Operation));
        Assert.All(
            new[] { LarkOperation.Send, LarkOperation.Reply, LarkOperation.Edit, LarkOperation.UpdateCard, LarkOperation.Recall },
            op => Assert.Equal(QuotaClass.Messages, LarkEndpoints.Of(op).Quota));
        Assert.Equal(QuotaClass.ContactLookup, LarkEndpoints.Of(LarkOperation.LookupUsers).Quota);
        Assert.Equal(QuotaClass.ChatList, LarkEndpoints.Of(LarkOperation.ListChats).Quota);
        Assert.Equal(QuotaClass.Upload, LarkEndpoints.Of(LarkOperation.UploadImage).Quota);
        Assert.Equal(QuotaClass.Upload, LarkEndpoints.Of(LarkOperation.UploadFile).Quota);
        Assert.Equal(QuotaClass.Webhook, LarkEndpoints.Of(LarkOperation.Webhook).Quota);
        Assert.Equal(QuotaClass.None, LarkEndpoints.Of(LarkOperation.Token).Quota);

        // Only a hook and a batch send (issue 23) have no uuid; the request's default follows the row.
        Assert.Equal(new[] { LarkOperation.Webhook, LarkOperation.BatchSend }, rows.Where(r => !r.RetrySafe).Select(r => r.Operation));
        Assert.False(new LarkRequest(HttpMethod.Post, "x", LarkOperation.BatchSend, "batch").Idempotent);
        Assert.Equal(QuotaClass.BatchSend, LarkEndpoints.Of(LarkOperation.BatchSend).Quota);
        Assert.False(new LarkRequest(HttpMethod.Post, "x", LarkOperation.Webhook, "hook").Idempotent);
        Assert.True(new LarkRequest(HttpMethod.Post, "x", LarkOperation.Send, "send").Idempotent);
    }

    [Fact]
    public void The_requests_the_module_builds_match_their_rows()
    {
        Assert.Equal("/open-apis/im/v1/messages/{message_id}", "/" + MessageActions.MessagePath("{message_id}").Replace("%7B", "{").Replace("%7D", "}"));
        Assert.Equal(HttpMethod.Put, LarkEndpoints.Of(LarkOperation.Edit).Method);
        Assert.Equal("PATCH", LarkEndpoints.Of(LarkOperation.UpdateCard).Method.Method);
        Assert.Equal(HttpMethod.Delete, LarkEndpoints.Of(LarkOperation.Recall).Method);
        // Lark's API paths, and the long connection's address, which Lark serves outside /open-apis/ (LARK-API.md, Events).
        Assert.All(LarkEndpoints.Rows.Where(r => r.Operation is not (LarkOperation.Any or LarkOperation.EventEndpoint)), r => Assert.Contains("/open-apis/", r.Path));
        Assert.Equal("/callback/ws/endpoint", LarkEndpoints.Of(LarkOperation.EventEndpoint).Path);
    }

    // Phone numbers and e-mail addresses to open_ids were not paced before: now every call is, by its class, apart from sends.
    [Fact]
    public async Task A_call_nobody_reserved_for_waits_at_the_choke_point_for_its_own_class_and_leaves_the_others_alone()
    {
        var clock = new FakeClock();
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-1\",\"expire\":7200}");
        for (var i = 0; i < 3; i++)
        {
            handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"user_list\":[]}}");
        }

        using var connection = new LarkConnection("cli_x", Secret(), Base, clock, () => handler, quotas: new DeliveryOptions { AppPerSecond = 2 });
        var lookups = connection.Pacer.For(QuotaClass.ContactLookup);

        await connection.Client.SendAsync(Lookup(), CancellationToken.None);
        await connection.Client.SendAsync(Lookup(), CancellationToken.None);
        var third = connection.Client.SendAsync(Lookup(), CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal(3, handler.Requests.Count);
        Assert.True(lookups.TimeUntilAvailable(null) > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, connection.RateLimiter.TimeUntilAvailable(null));
        Assert.Equal(TimeSpan.Zero, connection.Pacer.For(QuotaClass.ChatList).TimeUntilAvailable(null));
        // The window frees a second (plus the connection's 5 ms margin) after the first two arrived.
        clock.Advance(TimeSpan.FromSeconds(1) + new PacingOptions().RateWindowMargin);
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_quota_refusal_teaches_the_windows_that_counted_the_refused_request_not_the_sends()
    {
        // An upload inside a send attempt is refused for the upload quota: the send's verdict slows the uploads down.
        var clock = new FakeClock();
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-1\",\"expire\":7200}");
        handler.Answer((HttpStatusCode)429, "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}", headers: new() { ["x-ogw-ratelimit-reset"] = "1" });
        using var connection = new LarkConnection("cli_x", Secret(), Base, clock, () => handler);
        var upload = new LarkRequest(HttpMethod.Post, "open-apis/im/v1/images", LarkOperation.UploadImage, "upload the image 'a.png'") { ContentFactory = () => new ByteArrayContent(new byte[] { 1 }) };

        var refused = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(upload, CancellationToken.None));
        var decision = new RetryPolicy(new PacingOptions()).Decide(refused, 1, TimeSpan.Zero, connection.RateLimiter, "chat_id:oc_1", CancellationToken.None);

        Assert.Same(connection.Pacer.For(QuotaClass.Upload), refused.Pacing!.Limiter);
        Assert.True(decision.ShouldRetry);
        Assert.Matches(@": waiting [0-9.]+ (ms|s) until the app's windows have room \(x-ogw-ratelimit-reset 1(\.0)? s\), then sending a little slower \(attempt 2 of 8\)$", decision.Reason);
        Assert.Equal(1, connection.Pacer.For(QuotaClass.Upload).Refusals);
        Assert.Equal(0, connection.RateLimiter.Refusals);
        Assert.True(connection.Pacer.For(QuotaClass.Upload).TimeUntilAvailable(null) > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, connection.RateLimiter.TimeUntilAvailable(null));
    }

    [Fact]
    public async Task A_reserved_ticket_is_used_as_it_is_and_the_choke_point_takes_no_second_place()
    {
        var clock = new FakeClock();
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"tenant_access_token\":\"t-1\",\"expire\":7200}");
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"message_id\":\"om_1\"}}");
        using var connection = new LarkConnection("cli_x", Secret(), Base, clock, () => handler, quotas: new DeliveryOptions { AppPerSecond = 1 });
        Assert.True(connection.RateLimiter.TryReserve("chat_id:oc_1", null, out var ticket, out _));
        var send = TestConnections.Send();
        send.Pacing = ticket;

        var sending = connection.Client.SendAsync(send, CancellationToken.None);

        // The only place of the second is the ticket's: a second place would wait a whole second on the fake clock.
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ticket!.Record.LeftAt > 0);
        Assert.True(ticket.Record.HeadersAt > 0);

        // The place is the scheduler's to end, when it settles the attempt.
        Assert.Equal(0, ticket.Record.AnsweredAt);
    }

    [Fact]
    public void Nothing_in_the_module_keeps_ambient_state_for_the_HTTP_layer()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        var ambient = typeof(LarkApiClient).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(all).Select(f => (Type: t, Field: f)))
            .Where(x => x.Field.FieldType.IsGenericType && x.Field.FieldType.GetGenericTypeDefinition() == typeof(AsyncLocal<>))
            .Select(x => x.Type.Name + "." + x.Field.Name)
            .ToList();

        Assert.Empty(ambient);
    }

    private static LarkRequest Lookup() =>
        new(HttpMethod.Post, "open-apis/contact/v3/users/batch_get_id?user_id_type=open_id", LarkOperation.LookupUsers, "look up users by phone number")
        {
            JsonBody = Encoding.UTF8.GetBytes("{\"mobiles\":[\"13800000001\"]}"),
        };

    private static SecureString Secret()
    {
        var secret = new SecureString();
        foreach (var c in "s3cret")
        {
            secret.AppendChar(c);
        }

        return secret;
    }
}
