using System;
using System.Collections.Generic;
using System.Linq;

namespace LarkPS.Api;

/// <summary>
/// The names an error offers when a chat or department name matches none: names that contain the one given (ignoring
/// case), then names a few typing slips away ("Enginering", "Ops alrets"), then names inside the one given.
/// </summary>
internal static class NearNames
{
    /// <summary>
    /// The entries of <paramref name="entries"/> whose <paramref name="name"/> is like <paramref name="given"/>, the
    /// closest first (in their own order among equals), at most <paramref name="most"/>.
    /// </summary>
    public static List<T> Find<T>(IEnumerable<T> entries, Func<T, string> name, string given, int most = 10)
    {
        var word = given.Trim();
        if (word.Length == 0)
        {
            return new List<T>();
        }

        // One slip in a short name, up to three in a long one: "Ops" is not near "Dev", "Enginering" is near "Engineering".
        var allowed = Math.Min(3, Math.Max(1, word.Length / 4));
        return entries
            .Select(e => (Entry: e, Distance: Distance(name(e), word, allowed)))
            .Where(x => x.Distance <= allowed)
            .OrderBy(x => x.Distance)
            .Take(most)
            .Select(x => x.Entry)
            .ToList();
    }

    // 0 when the name contains the word (ignoring case), `allowed` when the word contains the name; else the typing slips
    // between them (a letter left out, added, changed, or two swapped), or more than `allowed` once that is certain.
    internal static int Distance(string name, string word, int allowed)
    {
        if (name.Length == 0)
        {
            return allowed + 1;
        }

        if (name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return 0;
        }

        // A name inside the word ("Ops" in "Ops alerts team", a parent's path in a child's) after closer ones.
        if (word.IndexOf(name, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return allowed;
        }

        if (Math.Abs(name.Length - word.Length) > allowed)
        {
            return allowed + 1;
        }

        var a = name.ToUpperInvariant();
        var b = word.ToUpperInvariant();
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowBest = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d = Math.Min(d, before[j - 2] + 1);
                }

                current[j] = d;
                rowBest = Math.Min(rowBest, d);
            }

            if (rowBest > allowed)
            {
                return allowed + 1;
            }

            (before, previous, current) = (previous, current, before);
        }

        return previous[b.Length];
    }
}
