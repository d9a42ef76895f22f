using System;
using System.Management.Automation;
using LarkPS.Api;

namespace LarkPS.Commands;

/// <summary>Turns a failed send into the ErrorRecord users see: a stable id, a fitting category, and the fix.</summary>
internal static class SendErrors
{
    private const string VisibleRangeFix =
        "in the developer console, add the user to the app's availability (visible) range (App Versions > Version Management & Release > Availability), then create and publish a new app version.";

    public static ErrorRecord For(Exception error, object? target, string itemDescription)
    {
        string id;
        ErrorCategory category;
        string? action;
        switch (error)
        {
            case PhoneNotResolvedException:
                id = ErrorIds.PhoneNotResolved;
                category = ErrorCategory.ObjectNotFound;
                action = "Check the number (mainland China: 11 digits or +86…; elsewhere + and the country code). If it is right, " + VisibleRangeFix;
                break;
            case LarkApiException lark:
                (id, category, action) = Classify(lark);
                break;
            case OperationCanceledException:
                id = ErrorIds.SendStopped;
                category = ErrorCategory.OperationStopped;
                action = "The pipeline was stopped before Lark answered: the message may or may not have arrived. Send the item again with the same uuid; Lark delivers a uuid at most once within an hour.";
                break;
            default:
                id = ErrorIds.SendFailed;
                category = ErrorCategory.NotSpecified;
                action = null;
                break;
        }

        return ErrorRecords.WithFix(error, id, category, target, action, $"Could not send {itemDescription}: {error.Message}");
    }

    private static (string Id, ErrorCategory Category, string? Action) Classify(LarkApiException error)
    {
        switch (error.Code)
        {
            case LarkErrorCodes.UserOutsideVisibleRange:
                return (ErrorIds.ReceiverOutsideVisibleRange, ErrorCategory.PermissionDenied, "The user is outside the app's availability range: " + VisibleRangeFix);
            case LarkErrorCodes.BotNotInChat:
                return (ErrorIds.BotNotInChat, ErrorCategory.PermissionDenied, "Add the bot to the chat (chat settings > Group bots > Add bot), or send to a chat the bot is in.");
            case LarkErrorCodes.BotCapabilityDisabled:
                return (ErrorIds.BotCapabilityDisabled, ErrorCategory.PermissionDenied, "In the developer console, enable the Bot feature of the app (Features > Bot), then create and publish a new app version.");
            case LarkErrorCodes.MissingPermission:
            case LarkErrorCodes.MissingScope:
                return (ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, "In the developer console, grant the app the scopes it needs (im:message:send_as_bot to send; contact:user.id:readonly to look up phone numbers) under Permissions & Scopes, then publish a new app version.");
            case LarkErrorCodes.UserResigned:
            case LarkErrorCodes.ReceiveIdInvalid:
            case LarkErrorCodes.OpenIdNotExist:
            case LarkErrorCodes.OpenIdOtherApp:
                return (ErrorIds.ReceiverInvalid, ErrorCategory.InvalidArgument, "Check receiveId and receiveType: an open_id (ou_…) belongs to one app, so ids copied from another app do not work here.");
            case LarkErrorCodes.UserBlockedBot:
            case LarkErrorCodes.UserStoppedBot:
                return (ErrorIds.ReceiverInvalid, ErrorCategory.PermissionDenied, "The user has blocked or stopped the bot; only the user can allow it again.");
            case LarkErrorCodes.InvalidParameter:
            case LarkErrorCodes.ContentTooLong:
            case LarkErrorCodes.CardContentInvalid:
            case LarkErrorCodes.FileKeyTypeMismatch:
                return (ErrorIds.InvalidMessage, ErrorCategory.InvalidData, "Check the item with Test-LarkMessage -Detailed; Lark's msg above names the field it refused.");
            case LarkErrorCodes.AppFrequencyLimit:
            case LarkErrorCodes.ReceiverFrequencyLimit:
                return (ErrorIds.RateLimited, ErrorCategory.LimitsExceeded, "Lark kept refusing for its rate limit after every retry; send fewer messages to this receiver per second, or lower the quotas on Connect-Lark if the tenant has a lower tier.");
        }

        if (error.IsTransport || (error.HttpStatus is { } status && (int)status >= 500) || error.Code is LarkErrorCodes.InternalError or LarkErrorCodes.ServerError)
        {
            return (ErrorIds.LarkServerError, ErrorCategory.ConnectionError, "Lark or the network kept failing after every retry; send the item again later (its uuid keeps it from arriving twice within an hour).");
        }

        return (ErrorIds.SendFailed, ErrorCategory.InvalidOperation, error.LogId is null ? null : "If the cause is unclear, give Lark support the log id " + error.LogId + ".");
    }
}
