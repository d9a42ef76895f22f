using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using static LarkPS.Events.ReceivedContent;

namespace LarkPS.Events;

/// <summary>One event as the connection took it: its output object and what de-duplication and matching need.</summary>
internal sealed class ReceivedEvent
{
    public ReceivedEvent(object output, string? eventId, string? eventType, string? messageId, string? cardMessageId)
    {
        Output = output;
        EventId = eventId;
        EventType = eventType;
        MessageId = messageId;
        CardMessageId = cardMessageId;
    }

    /// <summary>A <see cref="LarkMessageEvent"/>, <see cref="LarkCardActionEvent"/> or <see cref="LarkEvent"/>.</summary>
    public object Output { get; }

    public string? EventId { get; }

    public string? EventType { get; }

    /// <summary>A message event's message_id (Lark's docs de-duplicate message events by it); null for other events.</summary>
    public string? MessageId { get; }

    /// <summary>A card action's card (context.open_message_id); null for other events.</summary>
    public string? CardMessageId { get; }

    /// <summary>When the event left Lark, for the benchmark; null where the payload does not say.</summary>
    public DateTimeOffset? CreateTime { get; set; }

    /// <summary>The acknowledgement held until the pipeline takes the event; null where none is held.</summary>
    public PendingAck? Ack { get; set; }

    /// <summary>The pipeline thread takes the event (its acknowledgement goes out now): false when it was refused, and must not be written.</summary>
    public bool Claim() => Ack?.Claim() ?? true;

    /// <summary>The command ends without writing the event: where it was not acknowledged yet, Lark is to push it again.</summary>
    public void Abandon() => Ack?.TryRefuse();
}

/// <summary>Reads a schema 2.0 event payload (LARK-API.md, "Payloads") into LarkPS's output objects.</summary>
internal static class EventParser
{
    /// <summary>Parses one whole event payload (UTF-8 JSON); throws <see cref="InvalidDataException"/> for one that is not an event.</summary>
    public static ReceivedEvent Parse(byte[] payload, DateTimeOffset receivedAt)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(payload);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("The event is not JSON: " + ex.Message, ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("The event is JSON but not an object.");
        }

        var header = Object(root, "header");
        var body = Object(root, "event");
        var eventId = Text(header, "event_id") ?? Text(root, "uuid");
        var eventType = Text(header, "event_type") ?? Text(body, "type");
        var created = Time(header, "create_time");
        ReceivedEvent received;
        switch (eventType)
        {
            case EventTypes.MessageReceive:
                var message = ReadMessage(body, eventId, receivedAt);
                received = new ReceivedEvent(message, eventId, eventType, message.MessageId, null);
                break;
            case EventTypes.CardAction:
                var action = ReadCardAction(body, eventId, created, receivedAt);
                received = new ReceivedEvent(action, eventId, eventType, null, action.MessageId);
                break;
            default:
                var other = new LarkEvent
                {
                    EventId = eventId,
                    EventType = eventType,
                    CreateTime = created,
                    Header = ToHashtable(header),
                    Event = ToHashtable(body),
                    ReceivedAt = receivedAt,
                };
                received = new ReceivedEvent(other, eventId, eventType, null, null);
                break;
        }

        received.CreateTime = created;
        return received;
    }

    /// <summary>A JSON value as PowerShell shows it: objects as case-insensitive hashtables, arrays as object[].</summary>
    public static object? ToPowerShell(JsonElement element) => ReceivedContent.ToPowerShell(element);

    private static LarkMessageEvent ReadMessage(JsonElement body, string? eventId, DateTimeOffset receivedAt)
    {
        var sender = Object(body, "sender");
        var message = Object(body, "message");
        var mentions = Array(message, "mentions").Select(m =>
        {
            var id = Object(m, "id");
            return new LarkMention { Key = Text(m, "key"), Name = Text(m, "name"), OpenId = Text(id, "open_id"), UnionId = Text(id, "union_id"), UserId = Text(id, "user_id") };
        }).ToArray();
        var type = Text(message, "message_type");
        var content = ParseContent(Text(message, "content"));
        return new LarkMessageEvent
        {
            EventId = eventId,
            MessageId = Text(message, "message_id"),
            ChatId = Text(message, "chat_id"),
            ChatType = Text(message, "chat_type"),
            SenderId = Text(Object(sender, "sender_id"), "open_id"),
            SenderType = Text(sender, "sender_type"),
            TenantKey = Text(sender, "tenant_key"),
            MessageType = type,
            Content = content is { } c ? ToHashtable(c) : null,
            Text = content is { } parsed ? PlainText(type, parsed, mentions) : null,
            Mentions = mentions,
            CreateTime = Time(message, "create_time"),
            RootId = Text(message, "root_id"),
            ParentId = Text(message, "parent_id"),
            ThreadId = Text(message, "thread_id"),
            ReceivedAt = receivedAt,
        };
    }

    private static LarkCardActionEvent ReadCardAction(JsonElement body, string? eventId, DateTimeOffset? created, DateTimeOffset receivedAt)
    {
        var action = Object(body, "action");
        var context = Object(body, "context");
        var value = action.ValueKind == JsonValueKind.Object && action.TryGetProperty("value", out var v) ? v : default;
        return new LarkCardActionEvent
        {
            EventId = eventId,
            MessageId = Text(context, "open_message_id") ?? Text(body, "open_message_id"),
            ChatId = Text(context, "open_chat_id") ?? Text(body, "open_chat_id"),
            OperatorId = Text(Object(body, "operator"), "open_id"),

            // Documented as an object; a doc demo sends a string: that comes as @{ value = '…' }.
            Value = value.ValueKind switch
            {
                JsonValueKind.Object => ToHashtable(value),
                JsonValueKind.Undefined or JsonValueKind.Null => null,
                _ => new Hashtable(StringComparer.OrdinalIgnoreCase) { ["value"] = ToPowerShell(value) },
            },
            FormValue = Object(action, "form_value") is { ValueKind: JsonValueKind.Object } form ? ToHashtable(form) : null,
            InputValue = Text(action, "input_value"),
            Option = Text(action, "option"),
            Tag = Text(action, "tag"),
            Name = Text(action, "name"),
            Token = Text(body, "token"),
            CreateTime = created,
            ReceivedAt = receivedAt,
        };
    }
}
