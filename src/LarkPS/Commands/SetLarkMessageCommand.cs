using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Set-LarkMessage: changes a message the bot sent. Text and post are edited (PUT, at most 20 times); a card is
/// updated in place (PATCH), which Lark allows only for cards sent with config.update_multi:true
/// (Send-LarkMessage -Updatable). MessageId and ContentType bind by property name from Send-LarkMessage's output.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LarkMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ChangedMessage))]
public sealed class SetLarkMessageCommand : LarkCmdlet
{
    private LarkConnection? _connection;
    private MessageChangeRun<ChangeWork, ChangedMessage>? _run;

    /// <summary>The message to change (om_…): Send-LarkMessage's MessageId, by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("message_id")]
    [AllowEmptyString]
    public string? MessageId { get; set; }

    /// <summary>The new content: its JSON string, a hashtable or object, or for text a plain string; by property name from a card New-LarkCard or ConvertTo-LarkCard made.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    public object? Content { get; set; }

    /// <summary>The new text of a text message (a shortcut for -Content with -ContentType text).</summary>
    [Parameter]
    public string? Text { get; set; }

    /// <summary>text or post (edited), interactive (a card, updated); default text. Binds from Send-LarkMessage's output.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("msg_type", "MsgType")]
    [ArgumentCompleter(typeof(ChangeableTypeCompleter))]
    public string? ContentType { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    /// <summary>
    /// How many cards the piped card's table took (ConvertTo-LarkCard's Parts), by property name: one message holds one
    /// card, so a part of a split table would replace the others' update and only the last part would show.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public int Parts { get; set; }

    protected override void BeginProcessing() =>
        _connection = MessageChangeInput.ForChanges(this, Connection, RequireConnection, "edit or update");

    protected override void ProcessRecord()
    {
        var target = (object?)MessageId;
        var id = MessageChangeInput.CheckMessageId(MessageId, target, out var idProblem);
        if (id is null)
        {
            WriteError(idProblem!);
            return;
        }

        var description = "message " + id;
        if (Content is not null && Text is not null)
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException($"Give either -Content or -Text for {description}, not both."),
                ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, target,
                "Use -Text for a text message, -Content (with -ContentType post or interactive) for the others. Nothing was sent."));
            return;
        }

        object? content;
        try
        {
            content = PSInputReader.UnwrapContent(Content);
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorRecords.WithFix(ex, ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, target, "Give the content as a JSON string, a hashtable or an object. Nothing was sent."));
            return;
        }

        var change = MessageChange.Prepare(ContentType, content, Text);
        if (change.Problem is not null)
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException($"Cannot change {description}: {change.Problem}."), ErrorIds.InvalidMessage, ErrorCategory.InvalidData, target, change.Fix));
            return;
        }

        if (change.IsCardUpdate && Parts > 1)
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "Cannot update {0} with this card: it is one of {1} cards ConvertTo-LarkCard split the table into, and a message holds one card, so each part would replace the one before and only the last would show.",
                    description, Parts)),
                ErrorIds.CardSplit, ErrorCategory.LimitsExceeded, target,
                "Update the message with a table that fits one card (fewer rows with Select-Object -First, or fewer columns with -Property), or send all the parts as new messages with Send-LarkMessage (and recall the old one with Remove-LarkMessage). Nothing was sent."));
            return;
        }

        var action = change.IsCardUpdate
            ? "Update the card in place (PATCH)"
            : string.Format(CultureInfo.InvariantCulture, "Edit the {0} message (PUT; Lark allows 20 edits)", change.MsgType);
        if (!ShouldProcess(description, action))
        {
            return;
        }

        EnsureRun().Submit(new ChangeWork(id, target, description, change));
    }

    protected override void EndProcessing() => _run?.Complete();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _run?.Dispose();
        }

        base.Dispose(disposing);
    }

    private MessageChangeRun<ChangeWork, ChangedMessage> EnsureRun() =>
        _run ??= new MessageChangeRun<ChangeWork, ChangedMessage>(
            this,
            _connection ??= RequireConnection(Connection),
            (actions, work, ct) => work.Change.IsCardUpdate
                ? actions.UpdateCardAsync(work.MessageId, work.Change.ContentUtf8, ct)
                : actions.EditAsync(work.MessageId, work.Change.MsgType, work.Change.ContentUtf8, ct),
            (result, attempts) => result.Attempts = attempts,
            StopToken);

    /// <summary>One accepted change: what goes to Lark and what errors name.</summary>
    internal sealed class ChangeWork : IMessageWork
    {
        public ChangeWork(string messageId, object? target, string description, MessageChange change)
        {
            MessageId = messageId;
            Target = target;
            Description = description;
            Change = change;
        }

        public string MessageId { get; }

        public object? Target { get; }

        public string Description { get; }

        public MessageChange Change { get; }

        public string Verb => Change.IsCardUpdate ? "update" : "edit";

        // Lark takes at most 5 updates a second of one card: the limiter's per-receiver window, keyed by the message.
        public string? ReceiverKey => Change.IsCardUpdate ? "card:" + MessageId : null;
    }
}

/// <summary>Tab completion of Set-LarkMessage -ContentType: the types Lark can change.</summary>
public sealed class ChangeableTypeCompleter : IArgumentCompleter
{
    private static readonly string[] Types = { ContentTypes.Text, ContentTypes.Post, ContentTypes.Interactive };

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
