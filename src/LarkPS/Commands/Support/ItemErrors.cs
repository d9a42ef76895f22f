using System;
using System.Management.Automation;
using LarkPS.Messages;
using LarkPS.Webhooks;
using LarkPS.Api;

namespace LarkPS.Commands.Support;

/// <summary>The error records of one message item: invalid, a uuid twice in a run, a failed or stopped send.</summary>
internal static class ItemErrors
{
    private const string CheckTheGroup =
        "Look in the group: if the message is not there, send the item again. LarkPS never resends a webhook request that may have arrived, because a hook has no uuid and Lark would post it twice.";

    /// <summary>The validation failure of one item as a non-terminating error.</summary>
    public static ErrorRecord Invalid(object? target, string description, MessageValidationResult result)
    {
        var problems = string.Join("; ", result.Problems);
        return ErrorRecords.WithFix(
            new ArgumentException($"{description} is not a valid Lark message: {problems}"), ErrorIds.InvalidMessage, ErrorCategory.InvalidData, target,
            result.RecommendedAction ?? "Fix the fields named above; Test-LarkMessage -Detailed shows every problem and the request that would be sent. The item was not sent.");
    }

    public static ErrorRecord DuplicateUuid(object? target, string description, string uuid, string firstItem) =>
        ErrorRecords.WithFix(
            new ArgumentException(
                $"{description} has uuid '{uuid}', which {firstItem} already carries in this run with another receiver or content. Lark sends "
                + "one message per uuid within an hour: this item would be reported sent with the other item's message and never arrive. It was not sent."),
            ErrorIds.DuplicateUuid,
            ErrorCategory.InvalidData,
            target,
            "Give every message its own uuid (for example the row's key plus the receiver), or leave uuid empty and LarkPS generates one per item.");

    /// <summary>A send that failed for good: the code table's id, category and fix; for a hook, "it may have arrived".</summary>
    public static ErrorRecord SendFailed(SendWork work, Exception error)
    {
        if (!work.Deduplicated && error is WebhookMayHaveArrivedException arrived)
        {
            return ErrorRecords.WithFix(
                arrived, ErrorIds.WebhookMayHaveArrived, ErrorCategory.OperationTimeout, work.Target, CheckTheGroup,
                $"Could not confirm {work.Description}: it may have arrived ({arrived.Failure.Message}). It was not sent again.");
        }

        if (!work.Deduplicated && error is OperationCanceledException)
        {
            return ErrorRecords.WithFix(
                error, ErrorIds.SendStopped, ErrorCategory.OperationStopped, work.Target, CheckTheGroup,
                $"Could not confirm {work.Description}: Send-LarkMessage was stopped before the hook answered; it may have arrived.");
        }

        // A hook item Lark refused did not arrive: nothing to check in the group, and no uuid to show.
        return SendErrors.For(error, work.Target, error is Delivery.ItemDeadlineException deadline && (work.Deduplicated || deadline.MayHaveArrived) ? work.Describe() : work.Description);
    }

    /// <summary>A send the pipeline's stop caught before Lark confirmed it.</summary>
    public static ErrorRecord Stopped(SendWork work)
    {
        var stopped = new OperationCanceledException("Send-LarkMessage was stopped before Lark confirmed this item.");
        return work.Deduplicated ? SendErrors.For(stopped, work.Target, work.Description + " (uuid " + work.Message.Uuid + ")") : SendFailed(work, stopped);
    }
}
