using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using LarkPS.Commands.Support;
using LarkPS.Messages;

namespace LarkPS.Commands;

/// <summary>
/// The input both Send-LarkMessage and Test-LarkMessage take: pipeline objects (bound by property name, hashtables,
/// DataRows, the seed's JSON body as text) or one message given as parameters.
/// </summary>
public abstract class MessageCmdletBase : LarkCmdlet
{
    public const string PipelineSet = "Pipeline";
    public const string MessageSet = "Message";

    private int _itemNumber;

    /// <summary>
    /// An object with receiveType, receiveId, contentType, content and uuid properties (also Lark's receive_id_type,
    /// receive_id, msg_type), a hashtable with those keys, or the seed's JSON message body as a string.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>user (open_id, default), email, phone, chat (chat_id), or Lark's open_id, union_id, user_id, email, chat_id.</summary>
    [Parameter(ParameterSetName = MessageSet)]
    [Alias("receive_id_type")]
    public string? ReceiveType { get; set; }

    /// <summary>The receiver: an open_id (ou_…), e-mail address, phone number or chat_id (oc_…); none on a webhook connection.</summary>
    [Parameter(Position = 0, ParameterSetName = MessageSet)]
    [Alias("receive_id")]
    public string? ReceiveId { get; set; }

    /// <summary>text (default), post, image, interactive, share_chat, share_user, audio, media, file, sticker.</summary>
    [Parameter(ParameterSetName = MessageSet)]
    [Alias("msg_type", "MsgType")]
    [ArgumentCompleter(typeof(ContentTypeCompleter))]
    public string? ContentType { get; set; }

    /// <summary>The content: its JSON string, a hashtable or object (sent as JSON), or for text a plain string.</summary>
    [Parameter(Position = 1, ParameterSetName = MessageSet)]
    public object? Content { get; set; }

    /// <summary>A shortcut for a text message: the text itself.</summary>
    [Parameter(ParameterSetName = MessageSet)]
    public string? Text { get; set; }

    /// <summary>An idempotency key (≤ 50 characters): Lark delivers one message per uuid within an hour.</summary>
    [Parameter(ParameterSetName = MessageSet)]
    public string? Uuid { get; set; }

    /// <summary>
    /// The inputs of the current record, each with the object errors should name as TargetObject (a seed body
    /// string yields one input per message in it).
    /// </summary>
    private protected IEnumerable<(object? Target, MessageInput Input, string Description)> ReadCurrentInputs()
    {
        if (ParameterSetName == MessageSet)
        {
            // Nested PSObjects (ConvertFrom-Json, hashtables built in a pipeline) become plain dictionaries and lists.
            object? content;
            try
            {
                content = PSInputReader.UnwrapContent(Content);
            }
            catch (ArgumentException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, Content));
                yield break;
            }

            var input = new MessageInput
            {
                ReceiveType = ReceiveType,
                ReceiveId = ReceiveId,
                ContentType = ContentType,
                Content = content,
                Text = Text,
                Uuid = Uuid,
            };
            if (Content is not null && Text is not null)
            {
                WriteError(new ErrorRecord(
                    new ArgumentException("Give either -Content or -Text, not both."),
                    ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, ReceiveId));
                yield break;
            }

            yield return (ReceiveId, input, Describe(++_itemNumber, input));
            yield break;
        }

        // Errors name the item as the user holds it: the PSObject for a [pscustomobject] or CSV row, else the base object.
        object? target = InputObject?.BaseObject is PSCustomObject ? InputObject : InputObject?.BaseObject;

        // The reader never throws: what it cannot read becomes a problem the validator reports for that item.
        var inputs = PSInputReader.Read(InputObject);
        foreach (var input in inputs)
        {
            yield return (target, input, Describe(++_itemNumber, input));
        }
    }

    /// <summary>"item 3 (chat oc_…)": how errors and -WhatIf name an input.</summary>
    private protected static string Describe(int number, MessageInput input)
    {
        var receiver = string.IsNullOrWhiteSpace(input.ReceiveId) ? "no receiveId" : $"{(string.IsNullOrWhiteSpace(input.ReceiveType) ? "user" : input.ReceiveType!.Trim())} {input.ReceiveId!.Trim()}";
        return $"item {number.ToString(CultureInfo.InvariantCulture)} ({receiver})";
    }

    /// <summary>The validation failure of one item as a non-terminating error.</summary>
    private protected static ErrorRecord InvalidItemError(object? target, string description, MessageValidationResult result)
    {
        var problems = string.Join("; ", result.Problems);
        return ErrorRecords.WithFix(
            new ArgumentException($"{description} is not a valid Lark message: {problems}"), ErrorIds.InvalidMessage, ErrorCategory.InvalidData, target,
            "Fix the fields named above; Test-LarkMessage -Detailed shows every problem and the request that would be sent. The item was not sent.");
    }
}

/// <summary>Tab completion of -ContentType.</summary>
public sealed class ContentTypeCompleter : IArgumentCompleter
{
    private static readonly string[] Types = { "text", "post", "image", "interactive", "share_chat", "share_user", "audio", "media", "file", "sticker" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
    {
        foreach (var type in Types)
        {
            if (type.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(type);
            }
        }
    }
}
