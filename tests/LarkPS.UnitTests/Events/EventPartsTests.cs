using System.IO;
using System.Text;
using System.Text.Json;
using LarkPS.Events;
using Xunit;

namespace LarkPS.UnitTests.Events;

/// <summary>The long connection's plain parts: fragments, duplicate memory, ClientConfig, event parsing, the URL's secrets.</summary>
public class EventPartsTests
{
    private readonly FakeClock _clock = new();
    private readonly EventOptions _options = new();

    [Fact]
    public void Joins_fragments_in_seq_order_whatever_order_they_come_in()
    {
        var assembler = new FragmentAssembler(_clock, _options);

        Assert.Null(assembler.Add("m1", 3, 2, Encoding.UTF8.GetBytes("c")));
        Assert.Null(assembler.Add("m1", 3, 0, Encoding.UTF8.GetBytes("a")));
        var whole = assembler.Add("m1", 3, 1, Encoding.UTF8.GetBytes("b"));

        Assert.Equal("abc", Encoding.UTF8.GetString(whole!));
        Assert.Equal(0, assembler.PendingCount);
        Assert.Equal("x", Encoding.UTF8.GetString(assembler.Add("m2", 1, 0, Encoding.UTF8.GetBytes("x"))!));
        Assert.Equal("y", Encoding.UTF8.GetString(assembler.Add(null, null, null, Encoding.UTF8.GetBytes("y"))!));
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(3, -1)]
    [InlineData(0, 1)]
    public void Refuses_a_seq_outside_the_sum(int sum, int seq)
    {
        var assembler = new FragmentAssembler(_clock, _options);
        Assert.Throws<InvalidDataException>(() => assembler.Add("m1", sum, seq, new byte[1]));
    }

    [Fact]
    public void Refuses_a_sum_that_changes_and_drops_unfinished_events_after_their_lifetime()
    {
        var assembler = new FragmentAssembler(_clock, _options);
        assembler.Add("m1", 2, 0, new byte[1]);
        Assert.Throws<InvalidDataException>(() => assembler.Add("m1", 3, 1, new byte[1]));

        _clock.Advance(_options.FragmentLifetime + TimeSpan.FromSeconds(1));
        Assert.Null(assembler.Add("m3", 2, 0, new byte[1]));
        Assert.Equal(1, assembler.PendingCount);

        // m1's first half expired: its second half alone completes nothing.
        Assert.Null(assembler.Add("m1", 2, 1, new byte[1]));
    }

    [Fact]
    public void Remembers_events_by_event_id_and_messages_by_message_id_for_the_retry_schedule()
    {
        var memory = new EventMemory(_clock, _options);
        memory.Remember("e1", "om_1");

        Assert.True(memory.WasSeen("e1", null));
        Assert.True(memory.WasSeen("e2", "om_1"));
        Assert.False(memory.WasSeen("e2", "om_2"));

        _clock.Advance(TimeSpan.FromHours(7));
        Assert.True(memory.WasSeen("e1", null), "Lark's last retry comes 6 h after the third: still a duplicate");
        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.False(memory.WasSeen("e1", null));
        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void Forgets_an_event_answered_not_handled_and_a_remembered_again_id_keeps_its_own_time()
    {
        var memory = new EventMemory(_clock, _options);
        memory.Remember("e1", "om_1");
        memory.Forget("e1", "om_1");

        Assert.False(memory.WasSeen("e1", "om_1"), "Lark's next push of an event refused at stop is taken");

        _clock.Advance(TimeSpan.FromHours(5));
        memory.Remember("e1", "om_1");
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.True(memory.WasSeen("e1", null), "the first, forgotten entry's expiry must not drop the later one");
        Assert.True(memory.WasSeen(null, "om_1"));
    }

    [Fact]
    public void Keeps_at_most_its_capacity()
    {
        var memory = new EventMemory(_clock, new EventOptions { DuplicateCapacity = 10 });
        for (var i = 0; i < 100; i++)
        {
            memory.Remember("e" + i, null);
        }

        Assert.Equal(10, memory.Count);
        Assert.True(memory.WasSeen("e99", null));
        Assert.False(memory.WasSeen("e0", null));
    }

    [Fact]
    public void Adopts_only_the_ClientConfig_fields_present_and_sane()
    {
        var config = new EventClientConfig();
        using var first = JsonDocument.Parse("{\"PingInterval\":30,\"ReconnectCount\":5,\"ReconnectInterval\":10,\"ReconnectNonce\":3}");
        Assert.True(config.Adopt(first.RootElement));
        Assert.False(config.Adopt(first.RootElement)); // nothing changed: a pong repeating the config is no news
        using var pong = JsonDocument.Parse("{\"PingInterval\":0,\"ReconnectNonce\":-4,\"ReconnectInterval\":2}");
        config.Adopt(pong.RootElement);

        Assert.Equal(30, config.PingInterval);   // 0 would flood the connection: ignored
        Assert.Equal(5, config.ReconnectCount);
        Assert.Equal(2, config.ReconnectInterval);
        Assert.Equal(3, config.ReconnectNonce);
        using var notObject = JsonDocument.Parse("[1]");
        Assert.False(config.Adopt(notObject.RootElement));
    }

    [Fact]
    public void Reads_a_message_event_with_mentions_resolved_and_milliseconds_time()
    {
        var json = "{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e1\",\"event_type\":\"im.message.receive_v1\",\"create_time\":\"1700000000000\"}," +
            "\"event\":{\"sender\":{\"sender_id\":{\"open_id\":\"ou_a\"},\"sender_type\":\"user\"},\"message\":{\"message_id\":\"om_1\",\"chat_id\":\"oc_1\"," +
            "\"chat_type\":\"p2p\",\"message_type\":\"text\",\"create_time\":\"1700000000123\",\"parent_id\":\"om_0\",\"content\":\"{\\\"text\\\":\\\"@_user_1 hi @_user_10\\\"}\"," +
            "\"mentions\":[{\"key\":\"@_user_1\",\"id\":{\"open_id\":\"ou_b\"},\"name\":\"Bob\"},{\"key\":\"@_user_10\",\"id\":{\"open_id\":\"ou_c\"},\"name\":\"Carol\"}]}}}";

        var received = EventParser.Parse(Encoding.UTF8.GetBytes(json), _clock.UtcNow);
        var message = Assert.IsType<LarkMessageEvent>(received.Output);

        Assert.Equal("@Bob hi @Carol", message.Text);
        Assert.Equal("om_1", message.MessageId);
        Assert.Equal("om_1", message.ReplyTo);
        Assert.Equal("om_0", message.ParentId);
        Assert.Equal("ou_a", message.SenderId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), message.CreateTime);
        Assert.Equal("om_1", received.MessageId);
        Assert.Null(received.CardMessageId);
    }

    [Fact]
    public void Reads_a_card_action_with_microseconds_time_and_a_string_value()
    {
        var json = "{\"schema\":\"2.0\",\"header\":{\"event_id\":\"e2\",\"event_type\":\"card.action.trigger\",\"create_time\":\"1603977298000000\"}," +
            "\"event\":{\"operator\":{\"open_id\":\"ou_b\"},\"token\":\"c-1\",\"action\":{\"value\":\"approve\",\"tag\":\"button\",\"form_value\":{\"reason\":\"ok\"}}," +
            "\"context\":{\"open_message_id\":\"om_card\",\"open_chat_id\":\"oc_1\"}}}";

        var received = EventParser.Parse(Encoding.UTF8.GetBytes(json), _clock.UtcNow);
        var action = Assert.IsType<LarkCardActionEvent>(received.Output);

        Assert.Equal("approve", action.Value!["value"]);
        Assert.Equal("ok", action.FormValue!["REASON"]);
        Assert.Equal("om_card", received.CardMessageId);
        Assert.Null(received.MessageId);   // a second click on one card is another action, never a duplicate
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1603977298000), action.CreateTime);
    }

    [Fact]
    public void Refuses_a_payload_that_is_not_an_event_object()
    {
        Assert.Throws<InvalidDataException>(() => EventParser.Parse(Encoding.UTF8.GetBytes("not json"), _clock.UtcNow));
        Assert.Throws<InvalidDataException>(() => EventParser.Parse(Encoding.UTF8.GetBytes("[]"), _clock.UtcNow));
    }

    [Fact]
    public void Never_shows_the_access_key_or_ticket_of_the_address()
    {
        var endpoint = new EventEndpoint(new Uri("wss://msg-frontier.feishu.cn/ws/v2?fpid=493&device_id=d1&access_key=SECRETKEY&service_id=12&ticket=SECRETTICKET"), "d1", 12);

        Assert.Equal("wss://msg-frontier.feishu.cn", endpoint.Masked);
        var scrubbed = LongConnection.Scrub("failed: " + endpoint.Url.AbsoluteUri + " and SECRETTICKET", endpoint);
        Assert.DoesNotContain("SECRETKEY", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETTICKET", scrubbed, StringComparison.Ordinal);
        Assert.Equal("12", EventEndpointClient.ParseQuery(endpoint.Url.Query)["service_id"]);
    }
}
