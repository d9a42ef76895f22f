using System;
using System.Management.Automation;

namespace LarkPS.Commands;

/// <summary>The one way LarkPS builds an ErrorRecord that tells the user what to do next.</summary>
internal static class ErrorRecords
{
    /// <summary>
    /// A record whose ErrorDetails carry <paramref name="message"/> (default: the exception's) and, where given,
    /// the RecommendedAction.
    /// </summary>
    public static ErrorRecord WithFix(Exception error, string errorId, ErrorCategory category, object? target, string? recommendedAction, string? message = null)
    {
        var record = new ErrorRecord(error, errorId, category, target)
        {
            ErrorDetails = new ErrorDetails(message ?? error.Message),
        };
        if (recommendedAction is not null)
        {
            record.ErrorDetails.RecommendedAction = recommendedAction;
        }

        return record;
    }
}
