using System;
using System.Collections.Generic;
using System.Linq;

namespace LarkPS.Messages;

/// <summary>
/// THE rule for an item with several receiver columns (issue 26: one input row is one message): the first present of
/// open_id, e-mail, phone, chat, and within one kind the column that comes first in the item. Send-LarkMessage,
/// Test-LarkMessage and Get-LarkUser all choose with it, so a CSV row reaches the same person whichever way it goes.
/// </summary>
internal static class ReceiverColumns
{
    /// <summary>The receiver kinds in the order the rule prefers them: an id needs no look-up, then the addresses.</summary>
    public static IReadOnlyList<string> Order { get; } = new[] { ReceiveTypes.User, ReceiveTypes.Email, ReceiveTypes.Phone, ReceiveTypes.Chat };

    /// <summary>The rule in words, for help, errors and verbose lines.</summary>
    public const string RuleText = "the first present of OpenId, Email, Phone, Chat";

    /// <summary>
    /// The column an item is sent to, and the ones left out. With a receiveType given (the item's or -ReceiveType),
    /// the columns of that kind come first; where none is of that kind the rule still picks one, and the
    /// receiveType check then says that they contradict.
    /// </summary>
    public static ReceiverChoice Pick(IEnumerable<ReceiverColumn> columns, string? givenType)
    {
        if (columns is null)
        {
            throw new ArgumentNullException(nameof(columns));
        }

        var present = columns.Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToList();
        if (present.Count == 0)
        {
            return new ReceiverChoice(null, Array.Empty<ReceiverColumn>(), null);
        }

        var normalized = string.IsNullOrWhiteSpace(givenType) ? null : ReceiveTypes.Normalize(givenType);
        var family = normalized is null ? null : ReceiveTypeInference.Family(normalized);

        // Stable: the item's own order breaks ties within one kind.
        var chosen = present
            .Select((column, index) => (column, index))
            .OrderBy(c => family is not null && c.column.ReceiveType == family ? 0 : 1)
            .ThenBy(c => Rank(c.column.ReceiveType))
            .ThenBy(c => c.index)
            .First().column;
        var ignored = present.Where(c => !ReferenceEquals(c, chosen)).ToList();
        return new ReceiverChoice(chosen, ignored, ignored.Count == 0 ? null : Describe(chosen, ignored, family));
    }

    private static int Rank(string receiveType)
    {
        for (var i = 0; i < Order.Count; i++)
        {
            if (Order[i] == receiveType)
            {
                return i;
            }
        }

        return Order.Count;
    }

    private static string Describe(ReceiverColumn chosen, IReadOnlyList<ReceiverColumn> ignored, string? family)
    {
        var why = family is not null && chosen.ReceiveType == family
            ? "the receiveType '" + family + "' was given"
            : "of several receiver columns, LarkPS uses " + RuleText;
        return "used column " + Name(chosen) + "; ignored " + string.Join(", ", ignored.Select(Name)) + " (" + why + ")";
    }

    private static string Name(ReceiverColumn column) => column.Column + " " + ValidationProblem.Quote(column.Value.Trim());
}

/// <summary>What <see cref="ReceiverColumns.Pick"/> chose: the column (null when the item has none) and the others.</summary>
internal sealed class ReceiverChoice
{
    public ReceiverChoice(ReceiverColumn? chosen, IReadOnlyList<ReceiverColumn> ignored, string? note)
    {
        Chosen = chosen;
        Ignored = ignored;
        Note = note;
    }

    public ReceiverColumn? Chosen { get; }

    /// <summary>The other receiver columns that had a value; empty when there was only one.</summary>
    public IReadOnlyList<ReceiverColumn> Ignored { get; }

    /// <summary>"used column Email 'a@example.com'; ignored Phone '138…' (…)" for a verbose line; null when nothing was ignored.</summary>
    public string? Note { get; }
}
