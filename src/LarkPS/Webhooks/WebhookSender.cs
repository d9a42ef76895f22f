using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Pacing;
using LarkPS.Threading;

namespace LarkPS.Webhooks;

/// <summary>
/// Sends one validated message through a group's custom bot: one POST per attempt, signed anew on every attempt
/// (the signature's timestamp must be within an hour of Lark's clock). Success is Lark's code 0 (older hooks:
/// StatusCode 0), read by the one HTTP choke point; never HTTP 200 alone.
/// </summary>
internal sealed class WebhookSender
{
    /// <summary>Lark's custom-bot quota: 100 requests a minute per hook.</summary>
    public const int HookPerMinute = PacingOptions.LarkHookPerMinute;

    /// <summary>Lark's custom-bot quota: 5 requests a second per hook.</summary>
    public const int HookPerSecond = PacingOptions.LarkHookPerSecond;

    /// <summary>Added to the hook's rate windows (<see cref="PacingOptions.HookRateWindowMargin"/> says why).</summary>
    public static readonly TimeSpan RateWindowMargin = new PacingOptions().HookRateWindowMargin;

    /// <summary>What the delivery engine's limiter is keyed by: one hook is one receiver.</summary>
    public const string ReceiverKey = "webhook";

    private readonly LarkApiClient _client;
    private readonly WebhookAddress _hook;
    private readonly Func<string>? _secret;
    private readonly IClock _clock;

    /// <param name="secret">Unwraps the signing secret at the moment a request is signed; null for an unsigned hook.</param>
    public WebhookSender(LarkApiClient client, WebhookAddress hook, Func<string>? secret, IClock clock)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _hook = hook ?? throw new ArgumentNullException(nameof(hook));
        _secret = secret;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>The hook's quotas as delivery options (the "app" windows are the hook's own).</summary>
    public static DeliveryOptions DefaultQuotas() => new()
    {
        AppPerSecond = HookPerSecond,
        AppPerMinute = HookPerMinute,
        ReceiverPerSecond = HookPerSecond,
        RateWindowMargin = RateWindowMargin,
    };

    public bool IsSigned => _secret is not null;

    /// <summary>The exact body an attempt made now would send (signed with the current time where the hook is signed).</summary>
    public string BodyForNow(WebhookMessage message)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        if (_secret is null)
        {
            return message.Body(null, null);
        }

        var timestamp = WebhookSigner.Timestamp(_clock.UtcNow);
        return message.Body(timestamp, WebhookSigner.Sign(timestamp, _secret()));
    }

    /// <summary>One attempt, on the attempt's pacing ticket. A hook request has no uuid: the caller never repeats one that may have arrived.</summary>
    public async Task<SentMessage> SendAsync(WebhookMessage message, PacingTicket? ticket, CancellationToken cancellationToken)
    {
        var request = WebhookRequests.Create(_hook, Encoding.UTF8.GetBytes(BodyForNow(message)));
        request.Pacing = ticket;
        LarkResponse response;
        try
        {
            response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (LarkApiException ex) when (ex.MayHaveArrived)
        {
            // Lark may have posted it, and a hook cannot de-duplicate: final, whatever a retry policy would make of it.
            throw new WebhookMayHaveArrivedException(ex);
        }

        // A hook's answer carries no message id: the message is addressed by the group only.
        return new SentMessage(string.Empty, null, ReceiverKey, _hook.Masked, message.MsgType, string.Empty, _clock.UtcNow, response.LogId);
    }
}

/// <summary>The HTTP request of a hook call, as the one choke point sends it.</summary>
internal static class WebhookRequests
{
    public static LarkRequest Create(WebhookAddress hook, byte[] body) =>
        new(HttpMethod.Post, hook.RelativePath, LarkOperation.Webhook, "send a webhook message")
        {
            RequiresToken = false,

            // No uuid: a failure after which Lark may have posted it is final, never resent.
            Idempotent = false,
            JsonBody = body,
        };
}

/// <summary>
/// A hook request failed after Lark may have received it (no answer once the request was sent, a server error):
/// reported with the item, never resent, because a hook request has no uuid and Lark would post it twice.
/// </summary>
internal sealed class WebhookMayHaveArrivedException : Exception
{
    public WebhookMayHaveArrivedException(LarkApiException inner)
        : base("The message may have arrived: " + (inner ?? throw new ArgumentNullException(nameof(inner))).Message + " A webhook request has no uuid, so it was not sent again.", inner)
    {
    }

    public LarkApiException Failure => (LarkApiException)InnerException!;
}
