using Markdig.Syntax;

namespace LarkPS.HelpGen;

/// <summary>A heading and the blocks under it, up to the next heading of the same or a higher level.</summary>
internal sealed record MarkdownSection(string Title, int Line, IReadOnlyList<Block> Blocks);

internal static class MarkdownSections
{
    /// <summary>The sections at one heading level; blocks before the first such heading come as a section titled "".</summary>
    public static List<MarkdownSection> Split(IEnumerable<Block> blocks, int level, HelpProblems problems)
    {
        var sections = new List<MarkdownSection>();
        var title = string.Empty;
        var line = 0;
        var current = new List<Block>();
        foreach (var block in blocks)
        {
            if (block is HeadingBlock heading && heading.Level <= level)
            {
                if (current.Count > 0 || title.Length > 0)
                {
                    sections.Add(new MarkdownSection(title, line, current));
                }

                title = MarkdownText.InlineText(heading.Inline, problems, heading.Line + 1);
                line = heading.Line + 1;
                current = new List<Block>();
                continue;
            }

            current.Add(block);
        }

        if (current.Count > 0 || title.Length > 0)
        {
            sections.Add(new MarkdownSection(title, line, current));
        }

        return sections;
    }
}
