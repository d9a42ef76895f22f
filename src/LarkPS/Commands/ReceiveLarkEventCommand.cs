using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using LarkPS.Events;

namespace LarkPS.Commands;

/// <summary>
/// Receive-LarkEvent: opens Lark's long connection (a WebSocket the app opens: no public URL, no firewall change) and
/// writes each event as it arrives, until Ctrl+C, -Count or -Timeout. Every event is acknowledged within Lark's 3 s
/// however slow the pipeline after it; an event Lark pushes again is written once; a dropped connection reconnects.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "LarkEvent")]
[OutputType(typeof(LarkMessageEvent), typeof(LarkCardActionEvent), typeof(LarkEvent))]
public sealed class ReceiveLarkEventCommand : EventCmdletBase
{
    private int _taken;
    private int _written;

    /// <summary>Only these event types (im.message.receive_v1, card.action.trigger, …; wildcards allowed); default: every event the app subscribes to.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EventTypeCompleter))]
    public string[]? EventType { get; set; }

    /// <summary>Stop after this many events (0: no limit). Events past the count are left for Lark to push again.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Stop after this many seconds (0: no limit), whether or not -Count was reached.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = EventType?.Select(t => WildcardPattern.Get(t, WildcardOptions.IgnoreCase)).ToArray();
        var timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null;
        var limit = Count;

        // On the connection's reader thread: only counting and matching, so the acknowledgement never waits.
        EventVerdict Decide(ReceivedEvent received)
        {
            if (patterns is not null && !patterns.Any(p => p.IsMatch(received.EventType ?? string.Empty)))
            {
                return EventVerdict.Declined;
            }

            if (limit > 0 && Interlocked.Increment(ref _taken) > limit)
            {
                return EventVerdict.Declined;
            }

            return EventVerdict.Taken;
        }

        var finished = Receive(Decide, timeout, () => limit > 0 && _written >= limit, received =>
        {
            _written++;
            WriteObject(received.Output);
        });
        if (!finished && NeverConnectedError(Timeout) is { } notConnected)
        {
            WriteError(notConnected);
        }
        else if (!finished)
        {
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "-Timeout {0} s passed: {1} event(s) received.", Timeout, _written));
        }
    }
}

/// <summary>Tab completion of -EventType: the events LarkPS gives a type of their own, and common others.</summary>
public sealed class EventTypeCompleter : IArgumentCompleter
{
    private static readonly string[] Known =
    {
        EventTypes.MessageReceive, EventTypes.CardAction, "im.message.reaction.created_v1", "im.message.message_read_v1",
        "im.chat.member.bot.added_v1", "im.chat.member.bot.deleted_v1", "im.chat.member.user.added_v1",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        Known.Where(k => k.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase)).Select(k => new CompletionResult(k));
}
