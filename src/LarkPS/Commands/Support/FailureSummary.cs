using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using LarkPS.Api;

namespace LarkPS.Commands.Support;

/// <summary>
/// The one warning at the end of a run whose items failed alike (issue 26): N rows outside the availability range
/// are N errors, and then one line that says "12 items failed: code 230013 (…)" with the fix once. Fed each error
/// record as it is written; asked once at the end. Knows nothing of the run: a plain class, tested alone.
/// </summary>
internal sealed class FailureSummary
{
    /// <summary>Causes listed by name in the warning; the rest are counted.</summary>
    public const int MaxCausesListed = 5;

    private static readonly System.Text.RegularExpressions.Regex LogId = new(@"\s*\(log id [^)]*\)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private readonly Dictionary<(string ErrorId, string Reason), Cause> _causes = new();
    private int _order;

    /// <summary>How many failures were added.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Adds one failure: its FullyQualifiedErrorId, the reason it shares with failures of the same cause (a Lark code
    /// and its meaning, never the item's own receiver or text), and the fix, once per cause.
    /// </summary>
    public void Add(string fullyQualifiedErrorId, string? reason, string? fix = null)
    {
        if (string.IsNullOrWhiteSpace(fullyQualifiedErrorId))
        {
            throw new ArgumentException("A failure needs its FullyQualifiedErrorId.", nameof(fullyQualifiedErrorId));
        }

        var errorId = ShortId(fullyQualifiedErrorId);
        var key = (errorId, reason?.Trim() ?? string.Empty);
        if (!_causes.TryGetValue(key, out var cause))
        {
            cause = new Cause(errorId, key.Item2, fix, _order++);
            _causes.Add(key, cause);
        }

        cause.Count++;
        Count++;
    }

    /// <summary>Adds an error record as written: its id, the Lark code and meaning its exception carries, its RecommendedAction.</summary>
    public void Add(ErrorRecord record)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        Add(record.FullyQualifiedErrorId, ReasonOf(record.Exception), record.ErrorDetails?.RecommendedAction);
    }

    /// <summary>
    /// The warning for the run's end, or null when no cause failed more than once (each error already says it all).
    /// One line per run, the most frequent cause first.
    /// </summary>
    public string? Warning()
    {
        if (!_causes.Values.Any(c => c.Count > 1))
        {
            return null;
        }

        var causes = _causes.Values.OrderByDescending(c => c.Count).ThenBy(c => c.Order).ToList();
        var builder = new StringBuilder();
        builder.Append(Items(Count)).Append(" failed");
        if (causes.Count == 1)
        {
            builder.Append(", all for one cause: ").Append(Describe(causes[0]));
            if (causes[0].Fix is { } fix)
            {
                builder.Append(". Fix: ").Append(fix.TrimEnd('.')).Append('.');
            }

            return builder.ToString();
        }

        builder.Append(": ");
        builder.Append(string.Join("; ", causes.Take(MaxCausesListed).Select(c => c.Count.ToString("N0", CultureInfo.InvariantCulture) + " with " + Describe(c))));
        if (causes.Count > MaxCausesListed)
        {
            var rest = causes.Skip(MaxCausesListed).Sum(c => c.Count);
            builder.Append("; ").Append(Items(rest)).Append(" for ").Append((causes.Count - MaxCausesListed).ToString(CultureInfo.InvariantCulture)).Append(" other causes");
        }

        return builder.Append(". Each error above has its fix.").ToString();
    }

    /// <summary>"code 230013 (the user is outside the app's availability range)", from the Lark failure inside; null for others.</summary>
    internal static string? ReasonOf(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is LarkApiException lark)
            {
                var meaning = lark.Row.Meaning.StartsWith("refused: ", StringComparison.Ordinal) ? lark.Row.Meaning.Substring("refused: ".Length) : lark.Row.Meaning;
                return lark.Code != 0
                    ? "code " + lark.Code.ToString(CultureInfo.InvariantCulture) + " (" + meaning + ")"
                    : "Lark " + meaning;
            }
        }

        return null;
    }

    // "ReceiverOutsideVisibleRange,LarkPS.Commands.SendLarkMessageCommand" → "ReceiverOutsideVisibleRange".
    private static string ShortId(string fullyQualifiedErrorId)
    {
        var comma = fullyQualifiedErrorId.IndexOf(',');
        return comma > 0 ? fullyQualifiedErrorId.Substring(0, comma) : fullyQualifiedErrorId;
    }

    private static string Describe(Cause cause) =>
        cause.Reason.Length == 0 ? cause.ErrorId : cause.Reason + " [" + cause.ErrorId + "]";

    private static string Items(int count) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + (count == 1 ? " item" : " items");

    private sealed class Cause
    {
        public Cause(string errorId, string reason, string? fix, int order)
        {
            ErrorId = errorId;
            Reason = reason;
            // The fix is written once for every item of the cause: without the first item's own log id.
            Fix = string.IsNullOrWhiteSpace(fix) ? null : LogId.Replace(fix!, string.Empty).Trim();
            Order = order;
        }

        public string ErrorId { get; }

        public string Reason { get; }

        public string? Fix { get; }

        public int Order { get; }

        public int Count { get; set; }
    }
}
