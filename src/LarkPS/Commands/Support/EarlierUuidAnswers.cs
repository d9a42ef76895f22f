using System;
using System.Globalization;
using LarkPS.Api;

namespace LarkPS.Commands.Support;

/// <summary>
/// Sends Lark answered with a message an earlier send under the same uuid had made: Lark keeps a uuid for an hour
/// and answers a repeat with the first message, so a -Uuid (or uuid column) reused by a later run delivers nothing new.
/// </summary>
internal sealed class EarlierUuidAnswers
{
    // One created this long before the run started (a margin for the two clocks) was an earlier run's.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(2);

    private readonly DateTimeOffset _started;
    private int _count;

    /// <param name="started">When the run started, on the connection's clock.</param>
    public EarlierUuidAnswers(DateTimeOffset started) => _started = started;

    /// <summary>Marks <paramref name="sent"/> AlreadySent when Lark made it before the run; the verbose line says so.</summary>
    public void Check(SentMessage? sent, string description, Action<string> writeVerbose)
    {
        if (sent is { AlreadySent: false, CreateTime: { } created } && created < _started - Margin)
        {
            sent.AlreadySent = true;
            _count++;
            writeVerbose($"{description}: Lark answered uuid {sent.Uuid} with message {sent.MessageId}, created {created:u}, before this run: it was not delivered again.");
        }
    }

    /// <summary>The run's one warning about them; null when there were none.</summary>
    public string? Warning() => _count == 0 ? null : string.Format(
        CultureInfo.InvariantCulture,
        "{0} {1} not delivered again: Lark answered {2} with the message it had sent under the same uuid before this run (Lark keeps a uuid for an hour); they come out with AlreadySent = True. " +
            "If they were meant as new messages, give each its own uuid, or leave -Uuid (and any uuid column) out and LarkPS makes one per message.",
        _count,
        _count == 1 ? "message was" : "messages were",
        _count == 1 ? "it" : "them");
}
