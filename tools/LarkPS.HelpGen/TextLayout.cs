using System.Text;

namespace LarkPS.HelpGen;

/// <summary>
/// Lays help blocks out in lines of at most a given width, broken between words only. Get-Help prints each line of a
/// MAML paragraph at its section's indentation and, in a culture it has no word wrapping for (the invariant culture
/// of a C locale among them), cuts every longer line at the console's edge, mid-word: so the generator wraps, for 80
/// columns less the indentation Get-Help -Full gives the text.
/// </summary>
internal static class TextLayout
{
    /// <summary>The console width the help is laid out for.</summary>
    public const int Columns = 80;

    public static List<string> Render(IEnumerable<HelpBlock> blocks, int width, HelpProblems problems, string where)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            var lines = Render(block, width, problems, where);
            if (lines.Count > 0)
            {
                paragraphs.Add(string.Join("\n", lines));
            }
        }

        return paragraphs;
    }

    public static List<string> Render(HelpBlock block, int width, HelpProblems problems, string where)
    {
        switch (block)
        {
            case ProseBlock prose:
                return Wrap(prose.Text, width, problems, prose.Line, where);
            case FencedBlock fenced:
                for (var i = 0; i < fenced.Lines.Count; i++)
                {
                    if (fenced.Lines[i].Length > width)
                    {
                        problems.Add(fenced.Line + 1 + i, $"this line of {where} is {fenced.Lines[i].Length} columns; Get-Help has {width} there (80 less its indentation): break it (a backtick or splatting in code)");
                    }
                }

                return fenced.Lines.ToList();
            case ListBlock list:
                var lines = new List<string>();
                for (var i = 0; i < list.Items.Count; i++)
                {
                    var bullet = list.Ordered ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ". " : "- ";
                    var wrapped = Wrap(list.Items[i], width - bullet.Length, problems, list.Line, where);
                    for (var j = 0; j < wrapped.Count; j++)
                    {
                        lines.Add((j == 0 ? bullet : new string(' ', bullet.Length)) + wrapped[j]);
                    }
                }

                return lines;
            case TableBlock table:
                return Table(table, width, problems, where);
            default:
                return [];
        }
    }

    /// <summary>Words in lines of at most <paramref name="width"/>; a hard line break ("\n") is kept.</summary>
    public static List<string> Wrap(string text, int width, HelpProblems? problems = null, int line = 0, string where = "")
    {
        var lines = new List<string>();
        foreach (var hard in text.Split('\n'))
        {
            var current = new StringBuilder();
            foreach (var word in hard.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.Length > width)
                {
                    problems?.Add(line, $"'{word}' in {where} is longer than the {width} columns Get-Help has there");
                }

                if (current.Length > 0 && current.Length + 1 + word.Length > width)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }

                if (current.Length > 0)
                {
                    current.Append(' ');
                }

                current.Append(word);
            }

            lines.Add(current.ToString());
        }

        return lines;
    }

    // Columns two spaces apart, a dashed line under the header; the last column takes the width that is left, and a
    // cell too long for its column wraps inside it.
    private static List<string> Table(TableBlock table, int width, HelpProblems problems, string where)
    {
        var rows = new List<IReadOnlyList<string>> { table.Header };
        rows.AddRange(table.Rows);
        var count = table.Header.Count;
        if (rows.Any(r => r.Count != count))
        {
            problems.Add(table.Line, $"a table row in {where} has another number of cells than its header");
            return [];
        }

        int Natural(int c) => rows.Max(r => r[c].Length);
        int LongestWord(int c) => rows.Max(r => r[c].Split(' ').Max(w => w.Length));
        var widths = Enumerable.Range(0, count).Select(Natural).ToArray();
        if (widths.Sum() + (2 * (count - 1)) > width)
        {
            for (var c = 0; c < count - 1; c++)
            {
                widths[c] = Math.Min(widths[c], Math.Max(LongestWord(c), 12));
            }

            widths[count - 1] = width - widths.Take(count - 1).Sum() - (2 * (count - 1));
            if (widths[count - 1] < LongestWord(count - 1))
            {
                problems.Add(table.Line, $"a table in {where} does not fit {width} columns: shorten its first columns");
                return [];
            }
        }

        var lines = new List<string>();
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = Enumerable.Range(0, count).Select(c => Wrap(rows[r][c], widths[c])).ToList();
            var height = cells.Max(c => c.Count);
            for (var l = 0; l < height; l++)
            {
                var text = new StringBuilder();
                for (var c = 0; c < count; c++)
                {
                    var cell = l < cells[c].Count ? cells[c][l] : string.Empty;
                    text.Append(c < count - 1 ? cell.PadRight(widths[c] + 2) : cell);
                }

                lines.Add(text.ToString().TrimEnd());
            }

            if (r == 0)
            {
                lines.Add(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        return lines;
    }
}
