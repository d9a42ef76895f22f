using System.Text.Json;
using LarkPS.Messages;
using Xunit;
using static LarkPS.UnitTests.Messages.MessageTestHelpers;

namespace LarkPS.UnitTests.Messages;

public class OutgoingMessageTests
{
    [Fact]
    public void The_request_body_has_the_four_fields_and_content_as_a_string()
    {
        var message = AssertValid(Validate("Hello \"world\"\n中文", uuid: "a6f1c9e2-0000-4000-8000-000000000001"));

        var body = message.ToRequestBody();

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(new[] { "receive_id", "msg_type", "content", "uuid" }, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(OpenId, root.GetProperty("receive_id").GetString());
        Assert.Equal("text", root.GetProperty("msg_type").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("content").ValueKind);
        Assert.Equal("a6f1c9e2-0000-4000-8000-000000000001", root.GetProperty("uuid").GetString());
        using var content = JsonDocument.Parse(root.GetProperty("content").GetString()!);
        Assert.Equal("Hello \"world\"\n中文", content.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void The_body_is_compact_and_keeps_chinese_readable()
    {
        var message = AssertValid(Validate("中"));

        Assert.Equal(
            "{\"receive_id\":\"" + OpenId + "\",\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"中\\\"}\"}",
            message.ToRequestBody());
    }

    [Fact]
    public void The_uuid_is_left_out_when_there_is_none()
    {
        var body = AssertValid(Validate("hi")).ToRequestBody();

        using var document = JsonDocument.Parse(body);
        Assert.False(document.RootElement.TryGetProperty("uuid", out _));
        Assert.Equal(3, document.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void Content_with_control_characters_and_html_survives_the_round_trip()
    {
        const string text = "<script>&'\u2028\u0001\t\\";
        var body = AssertValid(Validate(text)).ToRequestBody();

        using var document = JsonDocument.Parse(body);
        using var content = JsonDocument.Parse(document.RootElement.GetProperty("content").GetString()!);
        Assert.Equal(text, content.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void A_generated_uuid_goes_into_the_one_body_and_an_items_own_uuid_wins()
    {
        var generated = MessageValidator.Validate(new MessageInput { ReceiveId = "ou_1", Content = "hi" }, "g-1").Message!;
        var own = MessageValidator.Validate(new MessageInput { ReceiveId = "ou_1", Content = "hi", Uuid = "mine" }, "g-2").Message!;
        var none = MessageValidator.Validate(new MessageInput { ReceiveId = "ou_1", Content = "hi" }).Message!;

        Assert.Equal("g-1", generated.Uuid);
        Assert.Equal("mine", own.Uuid);
        Assert.Null(none.Uuid);
        using var body = JsonDocument.Parse(generated.RequestBody);
        Assert.Equal("g-1", body.RootElement.GetProperty("uuid").GetString());

        // The body is made once and handed out as it is: the same bytes every time it is asked for.
        Assert.Same(generated.RequestBody, generated.RequestBody);
    }

    [Fact]
    public void Resolving_a_phone_number_fills_the_open_id_into_the_body_made_at_validation()
    {
        var pending = AssertValid(Validate("hi", receiveType: "phone", receiveId: "13800000001", uuid: "u-3"));

        var resolved = pending.WithResolvedReceiver("ou_0123456789abcdef0123456789abcdef");
        var odd = pending.WithResolvedReceiver("ou_short");

        using var a = JsonDocument.Parse(resolved.RequestBody);
        using var b = JsonDocument.Parse(odd.RequestBody);
        Assert.Equal("ou_0123456789abcdef0123456789abcdef", a.RootElement.GetProperty("receive_id").GetString());
        Assert.Equal("ou_short", b.RootElement.GetProperty("receive_id").GetString());
        Assert.Equal("{\"text\":\"hi\"}", a.RootElement.GetProperty("content").GetString());
        Assert.Equal("u-3", a.RootElement.GetProperty("uuid").GetString());
    }

    [Fact]
    public void A_phone_message_cannot_be_sent_until_resolved()
    {
        var pending = AssertValid(Validate("hi", receiveType: "phone", receiveId: "+1 415 555 0100", uuid: "u-2"));

        var error = Assert.Throws<InvalidOperationException>(() => pending.RequestBody);
        Assert.Contains("+14155550100", error.Message, StringComparison.Ordinal);
        Assert.Equal("text to phone '+14155550100' (unresolved)", pending.ToString());

        var resolved = pending.WithResolvedReceiver("ou_resolved");

        Assert.True(pending.NeedsResolution);
        Assert.False(resolved.NeedsResolution);
        Assert.Equal("ou_resolved", resolved.ReceiveId);
        Assert.Equal("open_id", resolved.ReceiveIdType);
        Assert.Equal("phone", resolved.ReceiveType);
        Assert.Equal("u-2", resolved.Uuid);
        Assert.Equal(pending.PhoneToResolve, resolved.PhoneToResolve);
        using var document = JsonDocument.Parse(resolved.ToRequestBody());
        Assert.Equal("ou_resolved", document.RootElement.GetProperty("receive_id").GetString());
    }

    [Fact]
    public void Only_a_phone_message_can_be_resolved()
    {
        var message = AssertValid(Validate("hi"));

        Assert.Throws<InvalidOperationException>(() => message.WithResolvedReceiver("ou_x"));
        var pending = AssertValid(Validate("hi", receiveType: "phone", receiveId: "13800000001"));
        Assert.Throws<ArgumentException>(() => pending.WithResolvedReceiver(" "));
    }

    [Fact]
    public void The_constructor_needs_a_receiver()
    {
        Assert.Throws<ArgumentException>(() => new OutgoingMessage("user", "open_id", null, "text", "{}"u8.ToArray()));

        var direct = new OutgoingMessage("chat", "chat_id", "oc_1", "text", "{\"text\":\"x\"}"u8.ToArray());
        Assert.Equal("text to chat_id 'oc_1'", direct.ToString());
    }
}
