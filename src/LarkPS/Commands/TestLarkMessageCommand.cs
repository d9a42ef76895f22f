using System.Linq;
using System.Management.Automation;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using LarkPS.Session;
using LarkPS.Transports;

namespace LarkPS.Commands;

/// <summary>
/// Test-LarkMessage: validates the input Send-LarkMessage takes, with the same validator, and sends nothing, not
/// even a token request. $true/$false per item, or with -Detailed the problems and the exact request.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LarkMessage", DefaultParameterSetName = PipelineSet)]
[OutputType(typeof(bool), typeof(MessageCheck))]
public sealed class TestLarkMessageCommand : MessageCmdletBase
{
    /// <summary>Return one object per item with IsValid, the problems and the request it would send.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <summary>
    /// The connection whose rules apply; default: this session's. A webhook connection checks what its custom bot can
    /// send (no receiver, five content types, 20 KB). Nothing is sent either way.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    private ItemPreparer? _preparer;

    // Connected, chat names are looked up (read-only, cached) so the verdict is the send's; offline they are resolved when sent.
    protected override void BeginProcessing() => _preparer = CreatePreparer(Connection ?? ConnectionStore.Current, sending: false);

    protected override void ProcessRecord() => Check(ReadCurrentInputs());

    // A JSON document piped line by line and never closed is reported once, at the end.
    protected override void EndProcessing() => Check(ReadRemainingInputs());

    private void Check(System.Collections.Generic.IEnumerable<InputItem> items)
    {
        foreach (var item in items)
        {
            var prepared = _preparer!.Prepare(item, null);
            var message = prepared.Message!;

            // What does not stop the send but would surprise its reader (a heading Lark's post shows as typed).
            foreach (var note in item.Input.Notes)
            {
                WriteWarning($"{item.Description}: {note}");
            }

            if (!message.Result.IsValid)
            {
                WriteVerbose($"{item.Description}: " + string.Join("; ", message.Result.Problems));
            }

            WriteObject(Detailed ? new MessageCheck(prepared, _preparer.Transport) : message.Result.IsValid);
        }
    }
}

/// <summary>What Test-LarkMessage -Detailed says of one item.</summary>
public sealed class MessageCheck
{
    internal MessageCheck(PreparedItem prepared, IMessageTransport transport)
    {
        Item = prepared.Item.Description;
        InputObject = prepared.Item.Target;
        var result = prepared.Message!.Result;
        IsValid = result.IsValid;
        Problems = result.Problems.Select(p => p.ToString()).ToArray();
        Notes = prepared.Item.Input.Notes.Select(p => p.ToString()).ToArray();
        if (result.Message is { } message)
        {
            var preview = transport.Preview(prepared.Message);
            ReceiveIdType = preview.ReceiveIdType;
            MsgType = message.MsgType;
            Content = message.Content;
            Uuid = message.Uuid;
            PhoneToResolve = message.PhoneToResolve?.CanonicalKey;
            RequestUri = preview.Uri;

            // A chat name with no connection to look it up: the id is not invented, the name waits for the send.
            ReceiveId = prepared.ResolvedWhenSent is { } name ? "'" + name + "' (resolved when sent)" : preview.ReceiveId;
            RequestBody = prepared.ResolvedWhenSent is null ? preview.Body : null;
        }
    }

    /// <summary>"item 3 (chat oc_…)".</summary>
    public string Item { get; }

    /// <summary>The input item as given.</summary>
    public object? InputObject { get; }

    public bool IsValid { get; }

    /// <summary>Each problem: the field, what it holds and what is expected.</summary>
    public string[] Problems { get; }

    /// <summary>
    /// What does not make the item invalid but changes what its reader sees: markdown Lark's post does not show (it
    /// arrives as typed), a mention looked up only when sent.
    /// </summary>
    public string[] Notes { get; }

    /// <summary>Lark's receive_id_type (a phone number is sent as open_id after the look-up).</summary>
    public string? ReceiveIdType { get; }

    /// <summary>Lark's receive_id (empty for a phone number until Send-LarkMessage looks it up).</summary>
    public string? ReceiveId { get; }

    /// <summary>Lark's msg_type.</summary>
    public string? MsgType { get; }

    /// <summary>The content string that would be sent.</summary>
    public string? Content { get; }

    /// <summary>The item's own uuid; Send-LarkMessage generates one where it has none.</summary>
    public string? Uuid { get; }

    /// <summary>The number Send-LarkMessage would look up with contact batch_get_id.</summary>
    public string? PhoneToResolve { get; }

    /// <summary>The request path and query.</summary>
    public string? RequestUri { get; }

    /// <summary>The exact JSON body (for a phone number: known only after the look-up).</summary>
    public string? RequestBody { get; }
}
