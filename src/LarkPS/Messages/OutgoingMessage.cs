using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>A validated message as it goes on the wire to POST /open-apis/im/v1/messages.</summary>
/// <remarks>
/// Made once per item from the one parse of its content: the compact content and the request body are UTF-8 bytes
/// written once (for a phone number, once the open_id is known) and sent as they are.
/// </remarks>
internal sealed class OutgoingMessage
{
    /// <summary>
    /// Stands in for a phone number's open_id when sizing a body before resolution: "ou_" and 32 hex digits,
    /// the length of every open_id Lark issues.
    /// </summary>
    internal const string PlaceholderOpenId = "ou_00000000000000000000000000000000";

    /// <summary>The bytes a generated uuid (32 hex digits) adds to a body: <c>,"uuid":"…"</c>.</summary>
    internal const int GeneratedUuidBytes = 9 + 32 + 1;

    private readonly byte[] _body;
    private string? _content;

    public OutgoingMessage(
        string receiveType,
        string receiveIdType,
        string? receiveId,
        string msgType,
        byte[] contentUtf8,
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
        ContentUtf8 = contentUtf8 ?? throw new ArgumentNullException(nameof(contentUtf8));
        Uuid = uuid;
        PhoneToResolve = phoneToResolve;
        _body = BuildBody(ReceiveId ?? PlaceholderOpenId, MsgType, ContentUtf8, Uuid);
    }

    private OutgoingMessage(OutgoingMessage unresolved, string openId, byte[] body)
    {
        ReceiveType = unresolved.ReceiveType;
        ReceiveIdType = ReceiveIdTypes.OpenId;
        ReceiveId = openId;
        MsgType = unresolved.MsgType;
        ContentUtf8 = unresolved.ContentUtf8;
        Uuid = unresolved.Uuid;
        PhoneToResolve = unresolved.PhoneToResolve;
        _content = unresolved._content;
        _body = body;
    }

    // A reply (issue 12): POST /open-apis/im/v1/messages/{parent}/reply with {"msg_type","content","reply_in_thread"?,"uuid"?}.
    private OutgoingMessage(string parentId, bool inThread, string msgType, byte[] contentUtf8, string? uuid)
    {
        ReceiveType = ReplyReceiveType;
        ReceiveIdType = ReplyReceiveType;
        ReceiveId = parentId ?? throw new ArgumentNullException(nameof(parentId));
        MsgType = msgType ?? throw new ArgumentNullException(nameof(msgType));
        ContentUtf8 = contentUtf8 ?? throw new ArgumentNullException(nameof(contentUtf8));
        Uuid = uuid;
        ReplyTo = parentId;
        ReplyInThread = inThread;
        _body = BuildReplyBody(MsgType, ContentUtf8, inThread, Uuid);
    }

    /// <summary>What a reply reports as its receiveType (a reply has no receiver: it lands in its parent's chat).</summary>
    internal const string ReplyReceiveType = "reply";

    /// <summary>A reply to <paramref name="parentId"/> (om_…): it lands in that message's chat, in its thread where <paramref name="inThread"/>.</summary>
    internal static OutgoingMessage Reply(string parentId, bool inThread, string msgType, byte[] contentUtf8, string? uuid) =>
        new(parentId, inThread, msgType, contentUtf8, uuid);

    /// <summary>For a reply: the message it answers (om_…); null for a send to a receiver.</summary>
    public string? ReplyTo { get; }

    /// <summary>For a reply: whether it opens (or joins) the parent's thread (reply_in_thread).</summary>
    public bool ReplyInThread { get; }

    /// <summary>The receiveType as the user gave it, normalized: user, email, phone, chat, open_id…</summary>
    public string ReceiveType { get; }

    /// <summary>The receive_id_type query value: open_id, union_id, user_id, email or chat_id (open_id for a phone).</summary>
    public string ReceiveIdType { get; }

    /// <summary>The receive_id; null while <see cref="PhoneToResolve"/> awaits its open_id.</summary>
    public string? ReceiveId { get; }

    /// <summary>Lark's msg_type.</summary>
    public string MsgType { get; }

    /// <summary>The content as compact serialized JSON, UTF-8: what goes, escaped, in the body's "content".</summary>
    public byte[] ContentUtf8 { get; }

    /// <summary>The content as text, for display (Test-LarkMessage -Detailed); decoded on first use only.</summary>
    public string Content => _content ??= Encoding.UTF8.GetString(ContentUtf8);

    /// <summary>The item's own uuid, or the one Send-LarkMessage generated for it; null for none (Test-LarkMessage).</summary>
    public string? Uuid { get; }

    /// <summary>The phone number whose open_id is the receiver; null unless receiveType was phone. Kept after resolution.</summary>
    public PhoneNumber? PhoneToResolve { get; }

    /// <summary>True while the receiver is a phone number not yet resolved to an open_id.</summary>
    public bool NeedsResolution => ReceiveId is null;

    /// <summary>The request body's size as it will be sent: a placeholder open_id stands in for an unresolved phone, and a generated uuid is counted where none is set yet.</summary>
    public int SentBodyByteCount => _body.Length + (Uuid is null ? GeneratedUuidBytes : 0);

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

        // The body was written with a placeholder of an open_id's length in first place: an open_id of that length
        // (ou_ and 32 hex digits, ASCII, nothing to escape) takes its bytes in place, so the body is still written once.
        if (openId.Length == PlaceholderOpenId.Length && IsPlainAscii(openId))
        {
            var body = (byte[])_body.Clone();
            Encoding.ASCII.GetBytes(openId, 0, openId.Length, body, ReceiveIdOffset);
            return new OutgoingMessage(this, openId, body);
        }

        return new OutgoingMessage(this, openId, BuildBody(openId, MsgType, ContentUtf8, Uuid));
    }

    /// <summary>
    /// The same message with other content bytes (upload keys filled in at send time): a reply stays a reply, a phone
    /// receiver stays to be resolved; only the body is written again, the content is not parsed again.
    /// </summary>
    public OutgoingMessage WithContent(byte[] contentUtf8) =>
        ReplyTo is not null
            ? Reply(ReplyTo, ReplyInThread, MsgType, contentUtf8, Uuid)
            : new OutgoingMessage(ReceiveType, ReceiveIdType, ReceiveId, MsgType, contentUtf8, Uuid, PhoneToResolve);

    /// <summary>The same message carrying <paramref name="uuid"/> (a -Journal resend keeps the uuid an earlier run sent).</summary>
    public OutgoingMessage WithUuid(string uuid) =>
        ReplyTo is not null
            ? Reply(ReplyTo, ReplyInThread, MsgType, ContentUtf8, uuid)
            : new OutgoingMessage(ReceiveType, ReceiveIdType, ReceiveId, MsgType, ContentUtf8, uuid, PhoneToResolve);

    /// <summary>The UTF-8 JSON request body {"receive_id","msg_type","content","uuid"?}; throws while the phone is unresolved.</summary>
    public byte[] RequestBody =>
        ReceiveId is null
            ? throw new InvalidOperationException("The receiver " + PhoneToResolve + " is a phone number: resolve it to an open_id first (WithResolvedReceiver).")
            : _body;

    /// <summary>"text to open_id 'ou_…'", "text to phone '+86…' (unresolved)", or "text reply to 'om_…'".</summary>
    public override string ToString() =>
        ReplyTo is not null
            ? MsgType + " reply to " + ValidationProblem.Quote(ReplyTo) + (ReplyInThread ? " in its thread" : string.Empty)
            : ReceiveId is null
            ? MsgType + " to phone " + ValidationProblem.Quote(PhoneToResolve!.CanonicalKey) + " (unresolved)"
            : MsgType + " to " + ReceiveIdType + " " + ValidationProblem.Quote(ReceiveId);

    // {"receive_id":" is 15 bytes: where the receive id starts in every body BuildBody writes.
    private const int ReceiveIdOffset = 15;

    internal static byte[] BuildBody(string receiveId, string msgType, byte[] contentUtf8, string? uuid)
    {
        using var stream = new MemoryStream(contentUtf8.Length + 128);
        using (var writer = new Utf8JsonWriter(stream, MessageJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("receive_id", receiveId);
            writer.WriteString("msg_type", msgType);

            // The content is a JSON string holding JSON: escaped straight from its UTF-8 bytes, never decoded.
            writer.WriteString("content", contentUtf8);
            if (uuid is not null)
            {
                writer.WriteString("uuid", uuid);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    internal static byte[] BuildReplyBody(string msgType, byte[] contentUtf8, bool inThread, string? uuid)
    {
        using var stream = new MemoryStream(contentUtf8.Length + 128);
        using (var writer = new Utf8JsonWriter(stream, MessageJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("msg_type", msgType);
            writer.WriteString("content", contentUtf8);
            if (inThread)
            {
                writer.WriteBoolean("reply_in_thread", true);
            }

            if (uuid is not null)
            {
                writer.WriteString("uuid", uuid);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static bool IsPlainAscii(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '\'' || c == '+' || c == '`')
            {
                return false;
            }
        }

        return true;
    }
}
