using System;
using System.Management.Automation;
using LarkPS.Api;

namespace LarkPS.Commands;

/// <summary>Turns a failed send into the ErrorRecord users see: the code table's id, category and fix.</summary>
internal static class SendErrors
{
    public static ErrorRecord For(Exception error, object? target, string itemDescription, string verb = "send")
    {
        string id;
        ErrorCategory category;
        string? action;
        switch (error)
        {
            case PhoneNotResolvedException:
                id = ErrorIds.PhoneNotResolved;
                category = ErrorCategory.ObjectNotFound;
                action = "Check the number (mainland China: 11 digits or +86…; elsewhere + and the country code). If it is right, " +
                    "in the developer console, add the user to the app's availability (visible) range (App Versions > Version Management & Release > Availability), then create and publish a new app version.";
                break;
            case LarkApiException lark:
                id = lark.Row.ErrorId;
                category = lark.Row.Category;
                action = WithLogId(lark.Row.Fix, lark);
                break;
            case Delivery.ItemDeadlineException late:
                id = late.ErrorId;
                category = late.ErrorId == ErrorIds.QuotaBudgetSpent ? ErrorCategory.LimitsExceeded : ErrorCategory.OperationTimeout;
                action = late.Advice;
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

        return ErrorRecords.WithFix(error, id, category, target, action, $"Could not {verb} {itemDescription}: {error.Message}");
    }

    private static string? WithLogId(string? fix, LarkApiException error) =>
        error.LogId is null || fix is null || fix.IndexOf("log id", StringComparison.Ordinal) < 0
            ? fix
            : fix + " (log id " + error.LogId + ")";
}
