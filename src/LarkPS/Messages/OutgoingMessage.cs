using System;
using System.Text;

namespace LarkPS.Messages;

/// <summary>A validated message as it goes on the wire to POST /open-apis/im/v1/messages.</summary>
internal sealed class OutgoingMessage
{
    /// <summary>
    /// Stands in for a phone number's open_id when sizing a body before resolution: "ou_" and 32 hex digits,
    /// the length of every open_id Lark issues.
    /// </summary>
    internal const string PlaceholderOpenId = "ou_00000000000000000000000000000000";

    public OutgoingMessage(
        string receiveType,
        string receiveIdType,
        string? receiveId,
        string msgType,
        string content,
        string? uuid = null,
        PhoneNumber? phoneToResolve = null)
    {
        if (string.IsNullOrEmpty(receiveId) && phoneToResolve is null)
        {
            throw new ArgumentException("A message needs a receive id or a phone number to resolve.", nameof(receiveId));
        }

        ReceiveType = receiveType ?? throw new ArgumentNullException(nameof(receiveType));
        ReceiveIdType = receiveIdType ?? throw new ArgumentNullException(nameof(receiveIdType));
        ReceiveId = string.IsNullOrEmpty(receiveId) ? null : receiveId;
        MsgType = msgType ?? throw new ArgumentNullException(nameof(msgType));
        Content = content ?? throw new ArgumentNullException(nameof(content));
        Uuid = uuid;
        PhoneToResolve = phoneToResolve;
    }

    /// <summary>The receiveType as the user gave it, normalized: user, email, phone, chat, open_id…</summary>
    public string ReceiveType { get; }

    /// <summary>The receive_id_type query value: open_id, union_id, user_id, email or chat_id (open_id for a phone).</summary>
    public string ReceiveIdType { get; }

    /// <summary>The receive_id; null while <see cref="PhoneToResolve"/> awaits its open_id.</summary>
    public string? ReceiveId { get; }

    /// <summary>Lark's msg_type.</summary>
    public string MsgType { get; }

    /// <summary>The content as compact serialized JSON: the string that goes in the body's "content".</summary>
    public string Content { get; }

    /// <summary>The item's own uuid, or the one the sender set with <see cref="WithUuid"/>; null for none.</summary>
    public string? Uuid { get; }

    /// <summary>The phone number whose open_id is the receiver; null unless receiveType was phone. Kept after resolution.</summary>
    public PhoneNumber? PhoneToResolve { get; }

    /// <summary>True while the receiver is a phone number not yet resolved to an open_id.</summary>
    public bool NeedsResolution => ReceiveId is null;

    /// <summary>A copy sent to <paramref name="openId"/>, the open_id found for <see cref="PhoneToResolve"/>.</summary>
    public OutgoingMessage WithResolvedReceiver(string openId)
    {
        if (string.IsNullOrWhiteSpace(openId))
        {
            throw new ArgumentException("The resolved open_id is empty.", nameof(openId));
        }

        if (PhoneToResolve is null)
        {
            throw new InvalidOperationException("Only a message to a phone number has a receiver to resolve.");
        }

        return new OutgoingMessage(ReceiveType, ReceiveIdTypes.OpenId, openId, MsgType, Content, Uuid, PhoneToResolve);
    }

    /// <summary>A copy carrying <paramref name="uuid"/> (at most 50 characters).</summary>
    public OutgoingMessage WithUuid(string uuid)
    {
        if (string.IsNullOrEmpty(uuid) || uuid.Length > MessageLimits.UuidMaxLength)
        {
            throw new ArgumentException("A uuid has 1 to 50 characters.", nameof(uuid));
        }

        return new OutgoingMessage(ReceiveType, ReceiveIdType, ReceiveId, MsgType, Content, uuid, PhoneToResolve);
    }

    /// <summary>The JSON request body: {"receive_id","msg_type","content","uuid"?}; throws while the phone is unresolved.</summary>
    public string ToRequestBody()
    {
        if (ReceiveId is null)
        {
            throw new InvalidOperationException(
                "The receiver " + PhoneToResolve + " is a phone number: resolve it to an open_id first (WithResolvedReceiver).");
        }

        return BuildBody(ReceiveId, MsgType, Content, Uuid);
    }

    /// <summary>The body's size in UTF-8 bytes, what Lark's limits count; a placeholder open_id stands in for an unresolved phone.</summary>
    public int GetRequestBodyByteCount() =>
        Encoding.UTF8.GetByteCount(BuildBody(ReceiveId ?? PlaceholderOpenId, MsgType, Content, Uuid));

    /// <summary>"text to open_id 'ou_…'", or "text to phone '+86…' (unresolved)".</summary>
    public override string ToString() =>
        ReceiveId is null
            ? MsgType + " to phone " + ValidationProblem.Quote(PhoneToResolve!.CanonicalKey) + " (unresolved)"
            : MsgType + " to " + ReceiveIdType + " " + ValidationProblem.Quote(ReceiveId);

    internal static string BuildBody(string receiveId, string msgType, string content, string? uuid) =>
        MessageJson.WriteToString(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("receive_id", receiveId);
            writer.WriteString("msg_type", msgType);
            writer.WriteString("content", content);
            if (uuid is not null)
            {
                writer.WriteString("uuid", uuid);
            }

            writer.WriteEndObject();
        });
}
