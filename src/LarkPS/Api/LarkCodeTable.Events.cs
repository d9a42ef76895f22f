using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>Rows for issue 21: the long connection's endpoint, POST /callback/ws/endpoint (LARK-API.md, "Endpoint").</summary>
/// <remarks>
/// The codes and the SDKs' handling come from the official SDKs (node, go, python), which agree: 1 and 1000040343 are
/// retried, 403, 514 and 1000040350 stop the client. Which code Lark answers for a wrong secret, the long-connection
/// mode switched off or no event subscribed is UNCONFIRMED: the fixes name every console setting involved.
/// </remarks>
internal static partial class LarkCodeTable
{
    public const int EventSystemBusy = 1;
    public const int EventForbidden = 403;
    public const int EventAuthFailed = 514;
    public const int EventInternalError = 1000040343;
    public const int EventConnectionLimitCode = 1000040350;

    private const string LongConnectionSettingsFix =
        "In the developer console (open.feishu.cn/app or open.larksuite.com/app), open the app and check: Features > Bot is enabled; " +
        "Events & Callbacks > Event configuration uses 'Receive events through persistent connection' and lists the events " +
        "(im.message.receive_v1 for messages) with their scopes granted (im:message.p2p_msg:readonly, im:message.group_at_msg:readonly); " +
        "Events & Callbacks > Callback configuration uses the persistent connection too and lists card.action.trigger (for card buttons); " +
        "then create and publish a new app version. The app must be a self-built app.";

    private static LarkCode[] EventEndpointRows() => new[]
    {
        Row(UnknownCode, null, LarkOperation.EventEndpoint, "refused to open the long connection", RetryKind.Never, ErrorIds.EventEndpointFailed, ErrorCategory.InvalidOperation,
            LongConnectionSettingsFix + " If they are right, give Lark support the code and the log id."),
        Row(NoAnswer, null, LarkOperation.EventEndpoint, "could not be reached for the long connection's address", RetryKind.Transient, ErrorIds.LarkUnreachable, ErrorCategory.ConnectionError,
            "Check the network path to the host (proxy, firewall) and -Region / -BaseUri; LarkPS reconnects on its own while Lark's ClientConfig allows."),
        Row(EventSystemBusy, 200, LarkOperation.EventEndpoint, "is busy (system busy)", RetryKind.Transient, ErrorIds.EventEndpointBusy, ErrorCategory.ResourceBusy,
            "Lark stayed busy through every reconnect attempt; run the command again later."),
        Row(EventInternalError, 200, LarkOperation.EventEndpoint, "had an internal error", RetryKind.Transient, ErrorIds.EventEndpointBusy, ErrorCategory.ResourceBusy,
            "Lark kept failing through every reconnect attempt; run the command again later, and give Lark support the log id if it lasts."),
        Row(EventForbidden, 200, LarkOperation.EventEndpoint, "forbids this app a long connection", RetryKind.Never, ErrorIds.EventSubscriptionForbidden, ErrorCategory.PermissionDenied,
            LongConnectionSettingsFix),
        Row(EventAuthFailed, 200, LarkOperation.EventEndpoint, "refused the app's credentials for the long connection (auth failed)", RetryKind.Never, ErrorIds.EventAuthenticationFailed, ErrorCategory.AuthenticationError,
            "Copy the App ID and App Secret of the same app again from its 'Credentials & Basic Info' page (a reset secret must be the new one), and check the region. " + LongConnectionSettingsFix),
        Row(EventConnectionLimitCode, 200, LarkOperation.EventEndpoint, "refused: the app already has the most long connections Lark allows (50)", RetryKind.Never, ErrorIds.EventConnectionLimit, ErrorCategory.LimitsExceeded,
            "Stop other Receive-LarkEvent / Wait-LarkCardAction runs (and other SDK clients) of this app: Lark allows 50 connections per app, and gives each event to one of them."),
    };
}
