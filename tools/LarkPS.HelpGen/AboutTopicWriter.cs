using System.Text;
using Markdig.Syntax;

namespace LarkPS.HelpGen;

/// <summary>
/// about_LarkPS.md to about_LarkPS.help.txt: each '## HEADING' at the margin, its text 4 columns in and wrapped for 80
/// columns, code 8 columns in. Two comments are filled in from the cmdlets' markdown, so the topic's lists of
/// cmdlets cannot go stale: &lt;!-- cmdlets --&gt; (each with its synopsis) and &lt;!-- cmdlet-names --&gt; (names only).
/// </summary>
internal static class AboutTopicWriter
{
    public static string Write(string path, IReadOnlyList<CommandHelp> commands, HelpProblems problems)
    {
        problems.File = path;
        var name = Path.GetFileNameWithoutExtension(path);
        var top = MarkdownSections.Split(MarkdownText.Parse(File.ReadAllText(path)), 1, problems).Where(s => s.Title.Length > 0).ToList();
        if (top.Count != 1 || top[0].Title != name)
        {
            problems.Add(1, $"the file must have one title, '# {name}'");
            return string.Empty;
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n    ").Append(name).Append("\n\n");
        var sections = MarkdownSections.Split(top[0].Blocks, 2, problems).Where(s => s.Title.Length > 0).ToList();
        if (sections.Count < 2 || sections[0].Title != "SHORT DESCRIPTION" || sections[1].Title != "LONG DESCRIPTION")
        {
            problems.Add(top[0].Line, "an about topic starts with '## SHORT DESCRIPTION' and '## LONG DESCRIPTION'");
        }

        foreach (var section in sections)
        {
            if (section.Title.Length > TextLayout.Columns)
            {
                problems.Add(section.Line, $"a heading is longer than {TextLayout.Columns} columns");
            }

            text.Append(section.Title).Append('\n');
            var first = true;
            foreach (var block in section.Blocks)
            {
                var lines = Lines(block, commands, problems);
                if (lines.Count == 0)
                {
                    continue;
                }

                if (!first)
                {
                    text.Append('\n');
                }

                first = false;
                foreach (var line in lines)
                {
                    text.Append(line.TrimEnd()).Append('\n');
                }
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static List<string> Lines(Block block, IReadOnlyList<CommandHelp> commands, HelpProblems problems)
    {
        if (block is HeadingBlock heading)
        {
            return ["    " + MarkdownText.InlineText(heading.Inline, problems, heading.Line + 1)];
        }

        var help = MarkdownText.ToHelpBlock(block, problems);
        switch (help)
        {
            case CommentBlock comment when comment.Text.Contains("<!-- cmdlets -->", StringComparison.Ordinal):
                return CmdletTable(commands);
            case CommentBlock comment when comment.Text.Contains("<!-- cmdlet-names -->", StringComparison.Ordinal):
                return commands.Select(c => "    " + c.Name).ToList();
            case CommentBlock:
                return [];
            case FencedBlock fenced when fenced.Info != "text":
                return Indent(TextLayout.Render(help, TextLayout.Columns - 8, problems, "a code block"), 8);
            default:
                return Indent(TextLayout.Render(help, TextLayout.Columns - 4, problems, "the topic"), 4);
        }
    }

    private static List<string> CmdletTable(IReadOnlyList<CommandHelp> commands)
    {
        var column = commands.Max(c => c.Name.Length) + 2;
        var lines = new List<string>();
        foreach (var command in commands)
        {
            var synopsis = TextLayout.Wrap(command.Synopsis, TextLayout.Columns - 8 - column);
            for (var i = 0; i < synopsis.Count; i++)
            {
                lines.Add(new string(' ', 8) + (i == 0 ? command.Name.PadRight(column) : new string(' ', column)) + synopsis[i]);
            }
        }

        return lines;
    }

    private static List<string> Indent(IEnumerable<string> lines, int by) =>
        lines.SelectMany(l => l.Split('\n')).Select(l => l.Length == 0 ? l : new string(' ', by) + l).ToList();
}
