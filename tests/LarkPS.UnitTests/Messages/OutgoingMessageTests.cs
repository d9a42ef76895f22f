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
    public void WithUuid_returns_a_copy()
    {
        var original = AssertValid(Validate("hi"));

        var copy = original.WithUuid("u-1");

        Assert.Null(original.Uuid);
        Assert.Equal("u-1", copy.Uuid);
        Assert.Equal(original.Content, copy.Content);
        Assert.Equal(original.ReceiveId, copy.ReceiveId);
        Assert.Throws<ArgumentException>(() => original.WithUuid(new string('u', 51)));
        Assert.Throws<ArgumentException>(() => original.WithUuid(""));
    }

    [Fact]
    public void A_phone_message_cannot_be_sent_until_resolved()
    {
        var pending = AssertValid(Validate("hi", receiveType: "phone", receiveId: "+1 415 555 0100", uuid: "u-2"));

        var error = Assert.Throws<InvalidOperationException>(() => pending.ToRequestBody());
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
        Assert.Throws<ArgumentException>(() => new OutgoingMessage("user", "open_id", null, "text", "{}"));

        var direct = new OutgoingMessage("chat", "chat_id", "oc_1", "text", "{\"text\":\"x\"}");
        Assert.Equal("text to chat_id 'oc_1'", direct.ToString());
    }
}
