using System;
using LarkPS.Api;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using LarkPS.Commands.Support;
using LarkPS.Events;
using LarkPS.Messages;

namespace LarkPS.Commands;

/// <summary>
/// Wait-LarkCardAction: waits for the first click or form submission on a card the app sent (Send-LarkMessage's
/// output, or -MessageId), or for -Count of them, and returns it. -Toast and -Card go to Lark in the acknowledgement,
/// so the user who clicked sees the answer at once. A -Timeout that passes is a terminating CardActionTimeout error.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "LarkCardAction")]
[OutputType(typeof(LarkCardActionEvent))]
public sealed class WaitLarkCardActionCommand : EventCmdletBase
{
    private readonly HashSet<string> _messageIds = new(StringComparer.Ordinal);
    private int _taken;
    private int _written;

    /// <summary>The card's message (om_…): Send-LarkMessage's MessageId, by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("message_id", "open_message_id")]
    [ValidateNotNullOrEmpty]
    public string[]? MessageId { get; set; }

    /// <summary>How many actions to wait for (default 1).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    /// <summary>Seconds to wait (0, the default: no limit); when they pass, a CardActionTimeout error.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>A toast the clicking user sees at once.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Toast { get; set; }

    /// <summary>The toast's kind: info (default), success, warning or error.</summary>
    [Parameter]
    [ValidateSet("info", "success", "warning", "error")]
    public string ToastType { get; set; } = "info";

    /// <summary>A card (hashtable, object or JSON) that replaces the clicked one at once; a 2.0 card only replaces a 2.0 card.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Card { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var id in MessageId ?? Array.Empty<string>())
        {
            var trimmed = id?.Trim() ?? string.Empty;
            if (!trimmed.StartsWith("om_", StringComparison.Ordinal))
            {
                WriteError(ErrorRecords.WithFix(
                    new ArgumentException($"'{trimmed}' is not a message id: a card's MessageId starts with om_."),
                    ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, id,
                    "Pipe Send-LarkMessage's output (a card sent by the app), or give -MessageId om_…."));
                continue;
            }

            _messageIds.Add(trimmed);
        }
    }

    protected override void EndProcessing()
    {
        if (_messageIds.Count == 0)
        {
            return;
        }

        var answer = BuildAnswer();
        var timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null;
        var limit = Count;
        var note = Toast is null && Card is null ? null : "answered with " + (Toast is null ? string.Empty : "the toast '" + Toast + "'") + (Toast is not null && Card is not null ? " and " : string.Empty) + (Card is null ? string.Empty : "a new card");

        EventVerdict Decide(ReceivedEvent received)
        {
            if (received.EventType != EventTypes.CardAction || received.CardMessageId is null || !_messageIds.Contains(received.CardMessageId)
                || Interlocked.Increment(ref _taken) > limit)
            {
                return EventVerdict.Declined;
            }

            var action = (LarkCardActionEvent)received.Output;
            action.AnsweredToast = Toast;
            action.AnsweredCard = Card is not null;
            return new EventVerdict(true, answer, note);
        }

        var finished = Receive(Decide, timeout, () => _written >= limit, received =>
        {
            _written++;
            WriteObject(received.Output);
        });
        if (!finished && NeverConnectedError(Timeout) is { } notConnected)
        {
            ThrowTerminatingError(notConnected);
        }
        else if (!finished)
        {
            var ids = string.Join(", ", _messageIds);
            ThrowTerminatingError(ErrorRecords.WithFix(
                new TimeoutException(string.Format(CultureInfo.InvariantCulture, "No action on card {0} within {1} s ({2} of {3} received).", ids, Timeout, _written, limit)),
                ErrorIds.CardActionTimeout, ErrorCategory.OperationTimeout, ids,
                "Give people longer (-Timeout), or go on without an answer: catch the error (try/catch) and decide what the script does then."));
        }
    }

    // {"toast":{type,content},"card":{"type":"raw","data":{…}}} (or "card":{"type":"template","data":{template_id,…}}),
    // made once: the acknowledgement only copies it. The card is checked by Send-LarkMessage's interactive rules, so a
    // card Lark would refuse (the clicker would see 200673) is an error here, before the connection opens.
    private byte[]? BuildAnswer()
    {
        if (Toast is null && Card is null)
        {
            return null;
        }

        byte[]? card = null;
        string? template = null;
        if (Card is not null)
        {
            try
            {
                var value = PSInputReader.UnwrapContent(Card);
                card = value is string json ? JsonDocumentBytes(json) : MessageJson.SerializeToUtf8(value);
                template = CheckCard(card);
            }
            catch (Exception ex) when (ex is ArgumentException or JsonException)
            {
                ThrowTerminatingError(ErrorRecords.WithFix(
                    new ArgumentException("-Card is not a card: " + ex.Message, ex), ErrorIds.InvalidCardAnswer, ErrorCategory.InvalidArgument, Card,
                    "Give -Card as a hashtable (@{ schema = '2.0'; body = @{ elements = @(…) } }), its JSON, or a template (@{ type = 'template'; data = @{ template_id = '…' } }), as for Send-LarkMessage -ContentType interactive; Test-LarkMessage -ContentType interactive -Content <card> -Detailed shows every problem."));
            }
        }

        return MessageJson.WriteToUtf8(w =>
        {
            w.WriteStartObject();
            if (Toast is not null)
            {
                w.WriteStartObject("toast");
                w.WriteString("type", ToastType.ToLowerInvariant());
                w.WriteString("content", Toast);
                w.WriteEndObject();
            }

            if (card is not null)
            {
                using var document = JsonDocument.Parse(card);
                w.WriteStartObject("card");
                w.WriteString("type", template ?? "raw");
                w.WritePropertyName("data");
                (template is null ? document.RootElement : document.RootElement.GetProperty("data")).WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    // Null for a card JSON (answered as "raw"), "template" for a template reference; throws for what Lark would refuse.
    private static string? CheckCard(byte[] card)
    {
        using var check = JsonDocument.Parse(card);
        var root = check.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("the card is JSON " + root.ValueKind.ToString().ToLowerInvariant() + ", not an object");
        }

        var problems = new List<ValidationProblem>();
        ContentRules.Check(ContentTypes.Interactive, root, problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems.Select(p => p.ToString())));
        }

        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type == "card")
        {
            // Lark documents two answers to a callback: a card's JSON ("raw") and a template.
            throw new ArgumentException("a card entity ({type='card'; data=@{card_id=…}}) is not an answer Lark takes in a callback: give the card's JSON or a template");
        }

        return type == "template" ? "template" : null;
    }

    private static byte[] JsonDocumentBytes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return MessageJson.ToUtf8(document.RootElement);
    }
}
