using System;
using System.Collections.Generic;

namespace LarkPS.Messages;

/// <summary>
/// The fields of a reply (issue 12): replyTo is a message id (om_…), and a reply has no receiver of its own (it
/// goes to the chat of the message it answers); replyInThread is true or false, and only with replyTo.
/// </summary>
internal static class ReplyChecks
{
    /// <summary>Reads replyInThread (true/false, 1/0, yes/no; empty is false), noting a value that is none of these.</summary>
    public static bool InThread(MessageInput input, string? replyTo, List<ValidationProblem> problems)
    {
        var text = input.ReplyInThread?.Trim();
        bool inThread;
        switch (text?.ToLowerInvariant())
        {
            case null:
            case "":
            case "false":
            case "0":
            case "no":
                inThread = false;
                break;
            case "true":
            case "1":
            case "yes":
                inThread = true;
                break;
            default:
                problems.Add(new ValidationProblem("replyInThread", "is " + ValidationProblem.Quote(text!), "true or false", "string"));
                return false;
        }

        if (inThread && replyTo is null)
        {
            problems.Add(new ValidationProblem("replyInThread", "is given without replyTo", "replyTo: the MessageId (om_…) of the message to answer in its thread", "string"));
        }

        return inThread;
    }

    public static void Check(MessageInput input, string? replyTo, List<ValidationProblem> problems)
    {
        if (replyTo is null)
        {
            return;
        }

        if (!replyTo.StartsWith("om_", StringComparison.Ordinal))
        {
            problems.Add(new ValidationProblem("replyTo", ValidationProblem.Quote(replyTo) + " is not a message id", "the MessageId (om_…) that Send-LarkMessage wrote for the message to answer", "string"));
        }

        if (!string.IsNullOrWhiteSpace(input.ReceiveId))
        {
            problems.Add(new ValidationProblem("receiveId", "is given together with replyTo", "no receiveId: a reply goes to the chat of the message it answers", "string"));
        }
        else if (!string.IsNullOrWhiteSpace(input.ReceiveType))
        {
            problems.Add(new ValidationProblem("receiveType", "is given together with replyTo", "no receiveType: a reply goes to the chat of the message it answers", "string"));
        }
    }
}
