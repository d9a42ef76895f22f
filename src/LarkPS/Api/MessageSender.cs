using System;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Messages;
using LarkPS.Pacing;

namespace LarkPS.Api;

/// <summary>Sends one validated message: resolves a phone receiver first, then makes one send-message call.</summary>
internal sealed class MessageSender
{
    private readonly LarkApiClient _client;
    private readonly PhoneDirectory _phones;

    public MessageSender(LarkApiClient client, PhoneDirectory phones)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _phones = phones ?? throw new ArgumentNullException(nameof(phones));
    }

    /// <summary>One attempt, on the attempt's pacing ticket. Every attempt of the same message carries the same uuid, so Lark delivers it once.</summary>
    public async Task<SentMessage> SendAsync(OutgoingMessage message, string givenReceiveId, PacingTicket? ticket, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        string? resolvedOpenId = null;
        if (message.PhoneToResolve is not null)
        {
            resolvedOpenId = await _phones.ResolveAsync(message.PhoneToResolve.LookupValue, cancellationToken).ConfigureAwait(false)
                ?? throw new PhoneNotResolvedException(givenReceiveId, message.PhoneToResolve.LookupValue);
            message = message.WithResolvedReceiver(resolvedOpenId);
        }

        // A reply (issue 12) goes to the message it answers, which decides the chat; its retries carry the same uuid.
        var request = message.ReplyTo is not null
            ? new LarkRequest(HttpMethod.Post, "open-apis/im/v1/messages/" + Uri.EscapeDataString(message.ReplyTo) + "/reply", LarkOperation.Reply, "reply to a message")
            : new LarkRequest(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=" + Uri.EscapeDataString(message.ReceiveIdType), LarkOperation.Send, "send a message");
        request.JsonBody = message.RequestBody;
        request.Pacing = ticket;
        var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var data = response.Data;
        var messageId = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("message_id", out var id) ? id.GetString() : null;
        if (string.IsNullOrEmpty(messageId))
        {
            throw new LarkApiException($"Lark accepted the message but returned no message_id (log id {response.LogId ?? "none"}).", 0, null, response.Status, response.LogId);
        }

        return new SentMessage(
            messageId!,
            StringOf(data, "chat_id"),
            message.ReceiveType,
            message.ReplyTo ?? givenReceiveId,
            message.MsgType,
            message.Uuid ?? string.Empty,
            TimeOf(data, "create_time"),
            response.LogId)
        {
            ResolvedOpenId = resolvedOpenId,
            ParentId = StringOf(data, "parent_id") ?? message.ReplyTo,
            RootId = StringOf(data, "root_id"),
            ThreadId = StringOf(data, "thread_id"),
        };
    }

    private static string? StringOf(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? TimeOf(JsonElement data, string name)
    {
        // Lark sends milliseconds since the epoch as a string.
        var text = StringOf(data, name);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }
}

/// <summary>A phone number that Lark's contact look-up did not resolve to a user the app can see.</summary>
public sealed class PhoneNotResolvedException : Exception
{
    internal PhoneNotResolvedException(string givenNumber, string lookedUp)
        : base($"No user the app can see has the phone number '{givenNumber}' (looked up as '{lookedUp}' with contact batch_get_id): " +
               "the number is wrong, the user has resigned, or the user is outside the app's availability (visible) range.")
    {
        GivenNumber = givenNumber;
        LookedUp = lookedUp;
    }

    public string GivenNumber { get; }

    public string LookedUp { get; }
}
