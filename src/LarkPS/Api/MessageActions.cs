using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Messages;
using LarkPS.Pacing;

namespace LarkPS.Api;

/// <summary>
/// Acting on a sent message, one HTTP attempt each, through the one choke point: edit (PUT, text and post), card
/// update (PATCH) and recall (DELETE) of /open-apis/im/v1/messages/{message_id}. Each is safe to repeat: the same
/// edit or update again leaves the same message, and a second recall only finds it gone.
/// </summary>
internal sealed class MessageActions
{
    // netstandard2.0 has no HttpMethod.Patch.
    private static readonly HttpMethod Patch = new("PATCH");

    private readonly LarkApiClient _client;
    private readonly PacingTicket? _ticket;

    /// <param name="client">The choke point.</param>
    /// <param name="ticket">The place the delivery scheduler reserved for this attempt in the message windows; null to let the choke point wait for one.</param>
    public MessageActions(LarkApiClient client, PacingTicket? ticket = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _ticket = ticket;
    }

    /// <summary>PUT: replaces a text or post message's content; Lark answers the message as it now is.</summary>
    public async Task<ChangedMessage> EditAsync(string messageId, string msgType, byte[] contentUtf8, CancellationToken cancellationToken)
    {
        var request = new LarkRequest(HttpMethod.Put, MessagePath(messageId), LarkOperation.Edit, "edit a message")
        {
            JsonBody = EditBody(msgType, contentUtf8),
            Pacing = _ticket,
        };
        var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var data = response.Data;
        return new ChangedMessage(messageId, ChangedMessage.Edited, msgType, Time(response.OptionalString(data, "update_time", request)), response.LogId)
        {
            ChatId = response.OptionalString(data, "chat_id", request),
        };
    }

    /// <summary>PATCH: replaces a shared card's content; Lark answers an empty data object.</summary>
    public async Task<ChangedMessage> UpdateCardAsync(string messageId, byte[] contentUtf8, CancellationToken cancellationToken)
    {
        var request = new LarkRequest(Patch, MessagePath(messageId), LarkOperation.UpdateCard, "update a card")
        {
            JsonBody = CardBody(contentUtf8),
            Pacing = _ticket,
        };
        var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return new ChangedMessage(messageId, ChangedMessage.Updated, ContentTypes.Interactive, null, response.LogId);
    }

    /// <summary>DELETE: recalls a message the bot sent.</summary>
    public async Task<RecalledMessage> RecallAsync(string messageId, CancellationToken cancellationToken)
    {
        var request = new LarkRequest(HttpMethod.Delete, MessagePath(messageId), LarkOperation.Recall, "recall a message") { Pacing = _ticket };
        var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return new RecalledMessage(messageId, response.LogId);
    }

    internal static string MessagePath(string messageId) => "open-apis/im/v1/messages/" + Uri.EscapeDataString(messageId);

    /// <summary>PUT's body: {"msg_type","content"}, the content escaped straight from its UTF-8 bytes.</summary>
    internal static byte[] EditBody(string msgType, byte[] contentUtf8) => Body(writer =>
    {
        writer.WriteString("msg_type", msgType);
        writer.WriteString("content", contentUtf8);
    });

    /// <summary>PATCH's body: {"content"}; the message is a card already.</summary>
    internal static byte[] CardBody(byte[] contentUtf8) => Body(writer => writer.WriteString("content", contentUtf8));

    private static byte[] Body(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, MessageJson.WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    // Lark sends milliseconds since the epoch as a string.
    private static DateTimeOffset? Time(string? ms) =>
        long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}

/// <summary>A message Set-LarkMessage changed: edited (text, post) or updated (a card).</summary>
public sealed class ChangedMessage
{
    internal const string Edited = "Edited";
    internal const string Updated = "Updated";

    internal ChangedMessage(string messageId, string action, string contentType, DateTimeOffset? updateTime, string? logId)
    {
        MessageId = messageId;
        Action = action;
        ContentType = contentType;
        UpdateTime = updateTime;
        LogId = logId;
    }

    /// <summary>Lark's message id (om_…): pipe it on to Set-LarkMessage or Remove-LarkMessage.</summary>
    public string MessageId { get; }

    /// <summary>Edited (PUT, text and post) or Updated (PATCH, a card).</summary>
    public string Action { get; }

    /// <summary>The message's msg_type.</summary>
    public string ContentType { get; }

    /// <summary>When Lark recorded the edit (Lark answers no time for a card update).</summary>
    public DateTimeOffset? UpdateTime { get; }

    /// <summary>The chat the message is in, where Lark said.</summary>
    public string? ChatId { get; internal set; }

    /// <summary>Lark's log id of the accepted request.</summary>
    public string? LogId { get; }

    /// <summary>How many HTTP attempts it took (1 unless retried).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <inheritdoc />
    public override string ToString() => MessageId;
}

/// <summary>A message Remove-LarkMessage recalled.</summary>
public sealed class RecalledMessage
{
    internal RecalledMessage(string messageId, string? logId)
    {
        MessageId = messageId;
        LogId = logId;
    }

    /// <summary>Lark's message id (om_…).</summary>
    public string MessageId { get; }

    /// <summary>
    /// Set where the first attempt's answer was lost and the retry found the message already gone: it was
    /// recalled, by that first attempt or by someone else.
    /// </summary>
    public string? Note { get; internal set; }

    /// <summary>Lark's log id of the accepted request.</summary>
    public string? LogId { get; }

    /// <summary>How many HTTP attempts it took (1 unless retried).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <inheritdoc />
    public override string ToString() => MessageId;
}
