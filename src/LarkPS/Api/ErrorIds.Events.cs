namespace LarkPS.Api;

/// <summary>Error ids of the long connection (issue 21): Receive-LarkEvent and Wait-LarkCardAction.</summary>
internal static partial class ErrorIds
{
    public const string EventSubscriptionForbidden = "EventSubscriptionForbidden";
    public const string EventAuthenticationFailed = "EventAuthenticationFailed";
    public const string EventConnectionLimit = "EventConnectionLimit";
    public const string EventEndpointBusy = "EventEndpointBusy";
    public const string EventEndpointFailed = "EventEndpointFailed";
    public const string EventConnectionFailed = "EventConnectionFailed";
    public const string CardActionTimeout = "CardActionTimeout";
    public const string InvalidCardAnswer = "InvalidCardAnswer";
}
