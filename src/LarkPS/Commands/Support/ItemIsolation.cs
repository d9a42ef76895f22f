using System;
using System.Collections.Generic;
using System.Management.Automation;
using LarkPS.Messages;
using LarkPS.Transports;

namespace LarkPS.Commands.Support;

/// <summary>
/// One bad item never ends a run: any failure while reading, validating or serializing one item (text that is not
/// valid Unicode, a ScriptProperty that throws, anything) becomes a validation problem of that item, so
/// Send-LarkMessage writes one error for it and Test-LarkMessage says $false, and the other items go on.
/// </summary>
internal static class ItemIsolation
{
    private const string Expected =
        "an item PowerShell can read: valid JSON and Unicode text (no lone surrogate such as \\ud800), properties whose getters do not fail";

    /// <summary>Failures that belong to the item, not the run: everything but a stop request and the runtime running out.</summary>
    public static bool IsItemFailure(Exception error) =>
        error is not (PipelineStoppedException or OutOfMemoryException or StackOverflowException or OperationCanceledException);

    /// <summary>The inputs of one pipeline item; what cannot be read becomes one input carrying the reason.</summary>
    public static IReadOnlyList<MessageInput> Read(object? pipelineItem)
    {
        try
        {
            return PSInputReader.Read(pipelineItem);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            var input = new MessageInput
            {
                // Errors still name the receiver, where it can be read on its own.
                ReceiveType = TryReadText(pipelineItem, "receiveType", "receive_id_type"),
                ReceiveId = TryReadText(pipelineItem, "receiveId", "receive_id"),
            };
            input.ReadProblems.Add(new ValidationProblem("message", "could not be read: " + Reason(ex), Expected));
            return new[] { input };
        }
    }

    /// <summary>
    /// <see cref="MessageValidator.Validate"/> (which also builds the request body once), with any failure it did not
    /// foresee turned into a problem of this item.
    /// </summary>
    public static MessageValidationResult Validate(MessageInput input, string? uuidIfNone = null)
    {
        try
        {
            return MessageValidator.Validate(input, uuidIfNone);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            return new MessageValidationResult(
                input,
                new[] { new ValidationProblem("message", "could not be validated or serialized: " + Reason(ex), Expected) },
                null);
        }
    }

    /// <summary>A transport's preparation of one item, with any failure it did not foresee turned into a problem of this item.</summary>
    public static PreparedMessage Prepare(MessageInput input, string? uuidIfNone, Func<MessageInput, string?, PreparedMessage> prepare)
    {
        try
        {
            return prepare(input, uuidIfNone);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            return new PreparedMessage(new MessageValidationResult(
                input,
                new[] { new ValidationProblem("message", "could not be validated or serialized: " + Reason(ex), Expected) },
                null));
        }
    }

    private static string? TryReadText(object? item, params string[] names)
    {
        foreach (var name in names)
        {
            try
            {
                var value = item switch
                {
                    PSObject { BaseObject: System.Collections.IDictionary dictionary } => dictionary[name],
                    System.Collections.IDictionary dictionary => dictionary[name],
                    PSObject psObject => psObject.Properties[name]?.Value,
                    _ => null,
                };
                if (value is not null)
                {
                    return LanguagePrimitives.ConvertTo<string>(value);
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                // This one cannot be read either: the item is described without it.
            }
        }

        return null;
    }

    // The innermost message says what went wrong ("Cannot read incomplete UTF-16 JSON text", the getter's own error).
    private static string Reason(Exception error)
    {
        var inner = error;
        while (inner.InnerException is not null && (inner is GetValueException or System.Reflection.TargetInvocationException || inner.Message.Length == 0))
        {
            inner = inner.InnerException;
        }

        return inner == error ? error.Message : error.Message + " (" + inner.Message + ")";
    }
}
