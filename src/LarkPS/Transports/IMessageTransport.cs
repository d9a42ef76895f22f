using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Pacing;
using LarkPS.Uploads;

namespace LarkPS.Transports;

/// <summary>
/// One way of delivering a message, chosen once when the connection is made (the app's Open API, or a group's custom
/// bot): what it can send, how an item is keyed for pacing, whether a retry is safe, and the send itself. Nothing
/// downstream asks which kind of connection it has; it asks the transport.
/// </summary>
internal interface IMessageTransport
{
    /// <summary>"app 'cli_…' at open.feishu.cn" or "the custom bot https://…/hook/********1d0c", for messages.</summary>
    string Name { get; }

    /// <summary>
    /// True when every attempt carries Lark's uuid, so a retry after a lost answer cannot double a message (and a
    /// -Journal can resend safely); false for a hook request, which Lark cannot de-duplicate.
    /// </summary>
    bool DeduplicatesByUuid { get; }

    /// <summary>True when local files can be uploaded and sent (an app can; a custom bot cannot).</summary>
    bool CanUpload { get; }

    /// <summary>True when the Open API is reachable: chat and user look-ups, replies, edits, recalls.</summary>
    bool HasOpenApi { get; }

    /// <summary>
    /// Checks one item's receiver and content against what this transport can send and makes the request body once
    /// (with <paramref name="uuidIfNone"/> where the item has no uuid of its own).
    /// </summary>
    PreparedMessage Prepare(MessageInput input, string? uuidIfNone);

    /// <summary>The same message with another uuid (a -Journal resend): the body is rewritten, the content not re-parsed.</summary>
    PreparedMessage WithUuid(PreparedMessage message, string uuid);

    /// <summary>What the pacer keys the receiver's own window by (a chat, a user, a hook).</summary>
    string PacingKey(PreparedMessage message);

    /// <summary>ShouldProcess's target: "chat oc_…", "reply to om_…", "the group of https://…/hook/****".</summary>
    string DescribeTarget(PreparedMessage message, string? givenReceiver);

    /// <summary>ShouldProcess's action: "Send a text message", with the item's own uuid where it has one.</summary>
    string DescribeAction(PreparedMessage message, bool ownUuid);

    /// <summary>One attempt: uploads its files first (where it has any), then one send request through the choke point.</summary>
    Task<SentMessage> SendAsync(PreparedMessage message, ItemUploads? uploads, string givenReceiveId, PacingTicket ticket, CancellationToken cancellationToken);

    /// <summary>What Test-LarkMessage -Detailed shows of the request an attempt would make (the hook's address masked).</summary>
    RequestPreview Preview(PreparedMessage message);

    /// <summary>The verbose line that opens a run: where it sends and at what pace.</summary>
    string DescribeRun(int throttleLimit, bool throttleIsAuto, int perSecond, int perMinute, int perReceiverPerSecond);
}

/// <summary>
/// One item as a transport will send it: the validator's verdict, the message in the app API's form (also the
/// description every error and output uses), and for a hook its own body.
/// </summary>
internal sealed class PreparedMessage
{
    public PreparedMessage(MessageValidationResult result, object? transportBody = null, bool uuidIgnored = false)
    {
        Result = result;
        TransportBody = result.IsValid ? transportBody : null;
        UuidIgnored = uuidIgnored;
    }

    public MessageValidationResult Result { get; }

    public bool IsValid => Result.IsValid && Result.Message is not null;

    /// <summary>The message (receiver, msg_type, content, uuid); null when invalid.</summary>
    public OutgoingMessage? Message => Result.Message;

    /// <summary>What only this transport needs to send it (a hook's own body); null for the app API.</summary>
    public object? TransportBody { get; }

    /// <summary>The item had a uuid that this transport cannot carry.</summary>
    public bool UuidIgnored { get; }
}

/// <summary>The request one item would make, as a check shows it: nothing secret, nothing sent.</summary>
internal sealed class RequestPreview
{
    public RequestPreview(string receiveIdType, string? receiveId, string uri, string? body)
    {
        ReceiveIdType = receiveIdType;
        ReceiveId = receiveId;
        Uri = uri;
        Body = body;
    }

    public string ReceiveIdType { get; }

    public string? ReceiveId { get; }

    /// <summary>The path and query (app), or the hook's masked address.</summary>
    public string Uri { get; }

    /// <summary>The exact body; null where it is known only at send time (a phone number's open_id).</summary>
    public string? Body { get; }
}
