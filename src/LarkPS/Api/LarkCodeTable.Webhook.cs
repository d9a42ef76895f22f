using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>Rows for issue 13: custom-bot webhooks (POST {host}/open-apis/bot/v2/hook/{token}).</summary>
/// <remarks>
/// Hooks answer every refusal with HTTP 200 and a code in the body; success is code 0 (older hooks: StatusCode 0).
/// The msg texts behind these rows are the ones real hooks answer (Lark's custom bot guide and clients quoting it);
/// 9499's causes and the 20 KB answer are unconfirmed. A hook request has no uuid: the choke point makes any failure
/// after which Lark may have acted final (the request is marked not idempotent), whatever the row's retry kind.
/// </remarks>
internal static partial class LarkCodeTable
{
    public const int WebhookTokenInvalid = 19001;
    public const int WebhookSignatureInvalid = 19021;
    public const int WebhookIpNotAllowed = 19022;
    public const int WebhookKeywordMissing = 19024;
    public const int WebhookBadRequest = 9499;
    public const int WebhookFrequencyLimited = 11232;

    private const string WebhookAddressFix =
        "Copy the webhook address again from the group's settings (Group bots > the custom bot > Webhook address; the bot may have been removed or its address reset) and run Connect-Lark -WebhookUri with it.";

    private static LarkCode[] WebhookRows() => new[]
    {
        Row(WebhookSignatureInvalid, 200, LarkOperation.Webhook, "rejected the signature: the secret is wrong or the timestamp is more than an hour from Lark's clock", RetryKind.Never,
            ErrorIds.WebhookSignatureRejected, ErrorCategory.AuthenticationError,
            "Check the secret first: copy it again from the custom bot's settings (Security settings > Signature verification) and give it with -WebhookSecret (or -Credential, or the LARK_WEBHOOK_SECRET environment variable, which Connect-Lark reads when neither is given). If it is right, check this machine's clock: Lark refuses a timestamp more than one hour from its own time."),
        Row(WebhookIpNotAllowed, 200, LarkOperation.Webhook, "refused this machine's IP address (the custom bot's IP allow-list)", RetryKind.Never,
            ErrorIds.WebhookIpNotAllowed, ErrorCategory.PermissionDenied,
            "Add this machine's public (egress) IP address to the custom bot's IP allow-list (Security settings > IP allow-list), or send from a machine on the list."),
        Row(WebhookKeywordMissing, 200, LarkOperation.Webhook, "found none of the group's keywords in the message", RetryKind.Never,
            ErrorIds.WebhookKeywordMissing, ErrorCategory.InvalidData,
            "The group's custom bot takes only messages holding one of its keywords: put a keyword in the message's text or title (a post's or card's title counts; links do not). The keywords are in the custom bot's settings (Security settings > Custom keywords)."),
        Row(WebhookTokenInvalid, 200, LarkOperation.Webhook, "does not know the webhook token", RetryKind.Never,
            ErrorIds.WebhookTokenInvalid, ErrorCategory.AuthenticationError, WebhookAddressFix),
        Row(WebhookBadRequest, 200, LarkOperation.Webhook, "refused the request as malformed", RetryKind.Never,
            ErrorIds.WebhookBadRequest, ErrorCategory.InvalidData,
            "Check the item with Test-LarkMessage -Detailed on this connection (it shows the body sent); if it passes, give Lark support the log id."),
        Row(WebhookFrequencyLimited, 200, LarkOperation.Webhook, "refused for the custom bot's rate limit (100 a minute, 5 a second)", RetryKind.ReceiverQuota,
            ErrorIds.RateLimited, ErrorCategory.LimitsExceeded,
            "Lark kept refusing for the custom bot's rate limit after every retry: send fewer messages through this hook (100 a minute, 5 a second, shared with anyone else using it), or lower -QuotaPerMinute / -QuotaPerSecond on Connect-Lark."),

        // Answers without a code of their own, as a hook call sees them.
        Row(NoAnswer, null, LarkOperation.Webhook, "gave no answer (timeout, reset or refused connection)", RetryKind.Transient,
            ErrorIds.LarkUnreachable, ErrorCategory.ConnectionError,
            "Check the network path to the hook's host (proxy, firewall). A hook request that may have arrived is never sent again: look in the group before sending the item again."),
        Row(UnknownCode, null, LarkOperation.Webhook, "refused the message", RetryKind.Never,
            ErrorIds.SendFailed, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's custom bot guide (open.feishu.cn > Custom bot guide); if the cause is unclear, give Lark support the log id."),
        Row(NotLarkApi, 404, LarkOperation.Webhook, "does not know this path", RetryKind.Never,
            ErrorIds.InvalidWebhookUri, ErrorCategory.InvalidArgument, WebhookAddressFix),
    };
}
