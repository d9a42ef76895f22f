using System.Linq;
using System.Management.Automation;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using LarkPS.Session;
using LarkPS.Webhooks;

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

    protected override void ProcessRecord() => Check(ReadCurrentInputs());

    // A JSON document piped line by line and never closed is reported once, at the end.
    protected override void EndProcessing() => Check(ReadRemainingInputs());

    private void Check(System.Collections.Generic.IEnumerable<(object? Target, MessageInput Input, string Description)> inputs)
    {
        var hook = (Connection ?? ConnectionStore.Current) is { Kind: LarkConnectionKind.Webhook } webhook ? webhook : null;
        foreach (var (target, input, description) in inputs)
        {
            if (hook is not null)
            {
                if (LocalFileRules.ProblemOnWebhook(input) is { } cannotUpload)
                {
                    input.ReadProblems.Add(cannotUpload);
                }

                var check = WebhookRules.Check(input, hook.IsSigned);
                if (!check.IsValid)
                {
                    WriteVerbose($"{description}: " + string.Join("; ", check.Result.Problems));
                }

                WriteObject(Detailed ? new MessageCheck(description, target, check, hook) : check.IsValid);
                continue;
            }

            // Offline (issue 11): local files are checked, nothing uploaded; a chat name is resolved only from a cached list.
            ApplyLocalFiles(input);
            if (ChatNameReceivers.IsChatName(input, out var chatName))
            {
                var connection = Connection ?? ConnectionStore.Current;
                ChatNameReceivers.ResolveOffline(input, chatName, connection, target, description,
                    error =>
                    {
                        input.ReadProblems.Add(new ValidationProblem("receiveId", error.Exception.Message.Substring(description.Length + 2), "the exact name of one of the bot's chats, or its chat_id (oc_…)", "string"));
                        input.ReceiveId = ChatNameReceivers.PlaceholderChatId;
                    },
                    WriteVerbose);
            }

            var result = ItemIsolation.Validate(input);
            if (!result.IsValid)
            {
                WriteVerbose($"{description}: " + string.Join("; ", result.Problems));
            }

            if (Detailed)
            {
                WriteObject(new MessageCheck(description, target, result));
            }
            else
            {
                WriteObject(result.IsValid);
            }
        }
    }
}

/// <summary>What Test-LarkMessage -Detailed says of one item.</summary>
public sealed class MessageCheck
{
    internal MessageCheck(string item, object? input, MessageValidationResult result)
    {
        Item = item;
        InputObject = input;
        IsValid = result.IsValid;
        Problems = result.Problems.Select(p => p.ToString()).ToArray();
        var message = result.Message;
        if (message is not null)
        {
            ReceiveIdType = message.ReceiveIdType;
            ReceiveId = message.ReceiveId;
            MsgType = message.MsgType;
            Content = message.Content;
            Uuid = message.Uuid;
            PhoneToResolve = message.PhoneToResolve?.CanonicalKey;
            RequestBody = message.NeedsResolution ? null : System.Text.Encoding.UTF8.GetString(message.RequestBody);
            RequestUri = message.ReplyTo is not null
                ? "/open-apis/im/v1/messages/" + message.ReplyTo + "/reply"
                : "/open-apis/im/v1/messages?receive_id_type=" + message.ReceiveIdType;
        }
    }

    internal MessageCheck(string item, object? input, WebhookValidation check, LarkConnection hook)
    {
        Item = item;
        InputObject = input;
        IsValid = check.IsValid;
        Problems = check.Result.Problems.Select(p => p.ToString()).ToArray();
        if (check.Message is { } message)
        {
            ReceiveIdType = WebhookSender.ReceiverKey;
            MsgType = message.MsgType;
            Content = message.Message.Content;

            // The address shown masked; the body without timestamp and sign, which are made anew for every attempt.
            RequestUri = hook.WebhookUri;
            RequestBody = message.UnsignedBody;
        }
    }

    /// <summary>"item 3 (chat oc_…)".</summary>
    public string Item { get; }

    /// <summary>The input item as given.</summary>
    public object? InputObject { get; }

    public bool IsValid { get; }

    /// <summary>Each problem: the field, what it holds and what is expected.</summary>
    public string[] Problems { get; }

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
