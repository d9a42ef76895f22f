using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Remove-LarkMessage: recalls messages the bot sent. A recall cannot be undone, so it asks first (ConfirmImpact
/// High); a piped batch is collected and asked about once. Writes each recalled message; each one Lark refused
/// (not the bot's own, past the recall window, already gone) is an error with the reason and the fix.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LarkMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RecalledMessage))]
public sealed class RemoveLarkMessageCommand : LarkCmdlet
{
    private const string RecallAction = "Recall (cannot be undone)";

    private readonly List<RecallWork> _batch = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private LarkConnection? _connection;
    private MessageChangeRun<RecallWork, RecalledMessage>? _run;

    /// <summary>The message to recall (om_…): Send-LarkMessage's MessageId, by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("message_id")]
    [AllowEmptyString]
    public string? MessageId { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void BeginProcessing() =>
        _connection = MessageChangeInput.ForChanges(this, Connection, RequireConnection, "recall");

    protected override void ProcessRecord()
    {
        var target = (object?)MessageId;
        var id = MessageChangeInput.CheckMessageId(MessageId, target, out var problem);
        if (id is null)
        {
            WriteError(problem!);
            return;
        }

        // The same id twice in one batch is recalled once; the second would only meet "already gone".
        if (_seen.Add(id))
        {
            _batch.Add(new RecallWork(id, target));
        }
    }

    protected override void EndProcessing()
    {
        if (_batch.Count == 0 || !Confirmed())
        {
            return;
        }

        _run = new MessageChangeRun<RecallWork, RecalledMessage>(
            this, _connection ??= RequireConnection(Connection), RecallOnceAsync, (result, attempts) => result.Attempts = attempts, StopToken);
        foreach (var work in _batch)
        {
            _run.Submit(work);
        }

        var (recalled, refused) = _run.Complete();
        WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Remove-LarkMessage: {0} recalled, {1} not.", recalled, refused));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _run?.Dispose();
        }

        base.Dispose(disposing);
    }

    // One question for the whole batch: -WhatIf lists every message, -Confirm asks once, -Confirm:$false never.
    private bool Confirmed()
    {
        if (MessageChangeInput.IsWhatIf(this))
        {
            foreach (var work in _batch)
            {
                ShouldProcess(work.Description, RecallAction);
            }

            return false;
        }

        var what = _batch.Count == 1
            ? _batch[0].Description
            : string.Format(CultureInfo.InvariantCulture, "{0} messages ({1}{2})", _batch.Count, string.Join(", ", _batch.Take(5).Select(w => w.MessageId)), _batch.Count > 5 ? ", …" : string.Empty);
        return ShouldProcess(what, RecallAction);
    }

    // A recall is safe to repeat, but a repeat after a lost answer meets "already gone": that recall did happen.
    private static async Task<RecalledMessage> RecallOnceAsync(MessageActions actions, RecallWork work, CancellationToken ct)
    {
        var attempt = Interlocked.Increment(ref work.AttemptsMade);
        try
        {
            return await actions.RecallAsync(work.MessageId, ct).ConfigureAwait(false);
        }
        catch (LarkApiException ex) when (attempt > 1 && ex.ErrorId == ErrorIds.MessageRecalled)
        {
            return new RecalledMessage(work.MessageId, ex.LogId)
            {
                Note = "Lark's answer to an earlier attempt was lost; the retry found the message already recalled.",
            };
        }
    }

    /// <summary>One message to recall.</summary>
    internal sealed class RecallWork : IMessageWork
    {
        // Counted by the one attempt in flight at a time; read by the next.
        public int AttemptsMade;

        public RecallWork(string messageId, object? target)
        {
            MessageId = messageId;
            Target = target;
        }

        public string MessageId { get; }

        public object? Target { get; }

        public string Description => "message " + MessageId;

        public string Verb => "recall";

        public string? ReceiverKey => null;
    }
}
