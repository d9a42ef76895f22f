using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Pacing;
using LarkPS.Uploads;

namespace LarkPS.Transports;

/// <summary>
/// A self-built app's Open API: every content type, to users and chats, replies, uploads; each attempt carries the
/// item's uuid, so Lark delivers it at most once however often it is retried.
/// </summary>
internal sealed class AppTransport : IMessageTransport
{
    private readonly MessageSender _sender;
    private readonly Uploader _uploads;

    public AppTransport(string appId, Uri baseUri, MessageSender sender, Uploader uploads)
    {
        Name = "app '" + (appId ?? throw new ArgumentNullException(nameof(appId))) + "' at " + (baseUri ?? throw new ArgumentNullException(nameof(baseUri))).Host;
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _uploads = uploads ?? throw new ArgumentNullException(nameof(uploads));
    }

    public string Name { get; }

    public bool DeduplicatesByUuid => true;

    public bool CanUpload => true;

    public bool HasOpenApi => true;

    /// <summary>The rules of the app API alone, for a check made with no connection at all (Test-LarkMessage offline).</summary>
    public static PreparedMessage PrepareOffline(MessageInput input, string? uuidIfNone) => new(MessageValidator.Validate(input, uuidIfNone));

    public PreparedMessage Prepare(MessageInput input, string? uuidIfNone) => PrepareOffline(input, uuidIfNone);

    public PreparedMessage WithUuid(PreparedMessage message, string uuid) => ChangeUuid(message, uuid);

    public string PacingKey(PreparedMessage message) => KeyOf(message);

    public string DescribeTarget(PreparedMessage message, string? givenReceiver) => TargetOf(message, givenReceiver);

    public string DescribeAction(PreparedMessage message, bool ownUuid) => ActionOf(message, ownUuid);

    public RequestPreview Preview(PreparedMessage message) => PreviewOf(message);

    internal static RequestPreview PreviewOf(PreparedMessage message)
    {
        var m = message.Message!;
        return new RequestPreview(
            m.ReceiveIdType,
            m.ReceiveId,
            m.ReplyTo is not null ? "/open-apis/im/v1/messages/" + m.ReplyTo + "/reply" : "/open-apis/im/v1/messages?receive_id_type=" + m.ReceiveIdType,
            m.NeedsResolution ? null : Encoding.UTF8.GetString(m.RequestBody));
    }

    internal static PreparedMessage ChangeUuid(PreparedMessage message, string uuid) =>
        new(new MessageValidationResult(message.Result.Input, message.Result.Problems, message.Message!.WithUuid(uuid)));

    internal static string KeyOf(PreparedMessage message)
    {
        // A reply's chat is known only from Lark's answer: its parent stands in for it as the receiver.
        var m = message.Message!;
        return m.ReplyTo is { } parent ? "reply:" + parent
            : m.NeedsResolution ? "phone:" + m.PhoneToResolve!.CanonicalKey
            : m.ReceiveIdType + ":" + m.ReceiveId;
    }

    internal static string TargetOf(PreparedMessage message, string? givenReceiver) =>
        message.Message!.ReplyTo is { } parent ? "reply to " + parent : message.Message.ReceiveType + " " + givenReceiver;

    internal static string ActionOf(PreparedMessage message, bool ownUuid) =>
        "Send " + ContentTypes.WithArticle(message.Message!.MsgType) + " message" + (ownUuid ? " (uuid " + message.Message.Uuid + ")" : string.Empty);

    public async Task<SentMessage> SendAsync(PreparedMessage message, ItemUploads? uploads, string givenReceiveId, PacingTicket ticket, CancellationToken cancellationToken)
    {
        var outgoing = message.Message ?? throw new ArgumentException("Only a valid message is sent.", nameof(message));
        if (uploads is not null)
        {
            // Uploaded once per content on the connection; the keys take the placeholders' places in the content.
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in uploads.Files)
            {
                keys[file.Key] = await _uploads.GetKeyAsync(file.Value, cancellationToken).ConfigureAwait(false);
            }

            outgoing = outgoing.WithContent(Encoding.UTF8.GetBytes(ItemUploads.Fill(outgoing.Content, keys)));
        }

        return await _sender.SendAsync(outgoing, givenReceiveId, ticket, cancellationToken).ConfigureAwait(false);
    }

    public string DescribeRun(int throttleLimit, bool throttleIsAuto, int perSecond, int perMinute, int perReceiverPerSecond) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "Sending through {0}: up to {1} requests in flight, {2}/s and {3}/min per app, {4}/s per receiver.",
            Name,
            throttleIsAuto ? "16-" + throttleLimit.ToString(CultureInfo.InvariantCulture) + " (following the round trip)" : throttleLimit.ToString(CultureInfo.InvariantCulture),
            perSecond,
            perMinute,
            perReceiverPerSecond);
}
