using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Pacing;
using LarkPS.Uploads;
using LarkPS.Webhooks;

namespace LarkPS.Transports;

/// <summary>
/// A group's custom bot: posts into its own group only, five content types, 20 KB, no uploads, no Open API. A hook
/// request has no uuid, so an attempt that may have arrived is reported, never resent.
/// </summary>
internal sealed class WebhookTransport : IMessageTransport
{
    private readonly WebhookSender _sender;
    private readonly WebhookAddress _hook;

    public WebhookTransport(WebhookAddress hook, WebhookSender sender)
    {
        _hook = hook ?? throw new ArgumentNullException(nameof(hook));
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        Name = "the custom bot " + hook.Masked;
    }

    public string Name { get; }

    public bool DeduplicatesByUuid => false;

    public bool CanUpload => false;

    public bool HasOpenApi => false;

    public PreparedMessage Prepare(MessageInput input, string? uuidIfNone)
    {
        var check = WebhookRules.Check(input, _sender.IsSigned);
        return new PreparedMessage(check.Result, check.Message, check.UuidIgnored);
    }

    // A hook request carries no uuid: there is nothing to change.
    public PreparedMessage WithUuid(PreparedMessage message, string uuid) => message;

    // One hook is one receiver: its 5/s is the whole window.
    public string PacingKey(PreparedMessage message) => WebhookSender.ReceiverKey;

    public string DescribeTarget(PreparedMessage message, string? givenReceiver) => "the group of " + _hook.Masked;

    public string DescribeAction(PreparedMessage message, bool ownUuid) =>
        "Send " + ContentTypes.WithArticle(message.Message!.MsgType) + " message through the custom bot";

    // The body without timestamp and sign, which are made anew for every attempt.
    public RequestPreview Preview(PreparedMessage message) =>
        new(WebhookSender.ReceiverKey, null, _hook.Masked, (message.TransportBody as WebhookMessage)?.UnsignedBody);

    public Task<SentMessage> SendAsync(PreparedMessage message, ItemUploads? uploads, string givenReceiveId, PacingTicket ticket, CancellationToken cancellationToken)
    {
        if (uploads is not null)
        {
            throw new NotSupportedException("A custom-bot webhook cannot upload files.");
        }

        var body = message.TransportBody as WebhookMessage ?? throw new ArgumentException("Only a valid hook message is sent.", nameof(message));
        return _sender.SendAsync(body, ticket, cancellationToken);
    }

    public string DescribeRun(int throttleLimit, bool throttleIsAuto, int perSecond, int perMinute, int perReceiverPerSecond) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "Sending through {0}: up to {1} requests in flight, {2}/s and {3}/min per hook; an attempt that may have arrived is never resent.",
            Name,
            throttleLimit,
            perSecond,
            perMinute);
}
