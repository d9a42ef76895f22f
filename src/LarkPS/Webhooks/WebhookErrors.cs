using System;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Commands;

namespace LarkPS.Webhooks;

/// <summary>
/// The error records only a webhook send has: an attempt that may have arrived (a hook request has no uuid, so it is
/// reported, never resent) and a stop before the hook answered. Every other failure is the code table's, via SendErrors.
/// </summary>
internal static class WebhookErrors
{
    private const string CheckTheGroup =
        "Look in the group: if the message is not there, send the item again. LarkPS never resends a webhook request that may have arrived, because a hook has no uuid and Lark would post it twice.";

    /// <summary>The record for a failed or stopped webhook item; null for an app send or a failure the code table explains.</summary>
    public static ErrorRecord? For(WebhookMessage? hook, Exception error, object? target, string itemDescription)
    {
        if (hook is null)
        {
            return null;
        }

        switch (error)
        {
            case WebhookMayHaveArrivedException arrived:
                return ErrorRecords.WithFix(
                    arrived, ErrorIds.WebhookMayHaveArrived, ErrorCategory.OperationTimeout, target, CheckTheGroup,
                    $"Could not confirm {itemDescription}: it may have arrived ({arrived.Failure.Message}). It was not sent again.");
            case OperationCanceledException:
                return ErrorRecords.WithFix(
                    error, ErrorIds.SendStopped, ErrorCategory.OperationStopped, target, CheckTheGroup,
                    $"Could not confirm {itemDescription}: Send-LarkMessage was stopped before the hook answered; it may have arrived.");
            default:
                return null;
        }
    }

    /// <summary>Lark may have posted it: no answer after the request left, or a server error (the choke point decides).</summary>
    internal static bool MayHaveArrived(LarkApiException error) => error.MayHaveArrived;
}
