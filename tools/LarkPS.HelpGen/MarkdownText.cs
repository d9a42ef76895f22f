using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LarkPS.HelpGen;

/// <summary>Markdown to help blocks: what Get-Help can show is plain text, so inline markup becomes its text.</summary>
internal static class MarkdownText
{
    public static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseYamlFrontMatter().Build();

    public static MarkdownDocument Parse(string text) => Markdown.Parse(text, Pipeline);

    /// <summary>A markdown block as help blocks; anything Get-Help cannot show is a problem, never dropped silently.</summary>
    public static HelpBlock ToHelpBlock(Block block, HelpProblems problems)
    {
        var line = block.Line + 1;
        switch (block)
        {
            case ParagraphBlock paragraph:
                return new ProseBlock(line, InlineText(paragraph.Inline, problems, line));
            case FencedCodeBlock fenced:
                return new FencedBlock(line, fenced.Info ?? string.Empty, CodeLines(fenced));
            case CodeBlock code:
                problems.Add(line, "an indented code block: use a fenced block (```powershell or ```text) so its language is known");
                return new FencedBlock(line, "text", CodeLines(code));
            case Markdig.Syntax.ListBlock list:
                var items = new List<string>();
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var parts = item.Select(child => child is ParagraphBlock p
                        ? InlineText(p.Inline, problems, child.Line + 1)
                        : Unsupported(child, problems)).ToList();
                    items.Add(string.Join(" ", parts));
                }

                return new ListBlock(line, list.IsOrdered, items);
            case Table table:
                var rows = table.OfType<TableRow>()
                    .Select(row => (IReadOnlyList<string>)row.OfType<TableCell>()
                        .Select(cell => string.Join(" ", cell.OfType<ParagraphBlock>().Select(p => InlineText(p.Inline, problems, p.Line + 1))))
                        .ToList())
                    .ToList();
                return new TableBlock(line, rows[0], rows.Skip(1).ToList());
            case HtmlBlock html when html.Type == HtmlBlockType.Comment:
                return new CommentBlock(line, html.Lines.ToString().Trim());
            default:
                return new ProseBlock(line, Unsupported(block, problems));
        }
    }

    public static IReadOnlyList<string> CodeLines(LeafBlock block)
    {
        var lines = new List<string>();
        foreach (var slice in block.Lines.Lines.Take(block.Lines.Count))
        {
            lines.Add(slice.Slice.ToString().TrimEnd());
        }

        return lines;
    }

    /// <summary>Inline markdown as the text a reader of Get-Help sees: `code` and *emphasis* lose their marks, a link keeps its text.</summary>
    public static string InlineText(ContainerInline? inline, HelpProblems problems, int line)
    {
        var text = new StringBuilder();
        Append(inline, text, problems, line);
        return text.ToString().Trim();
    }

    private static void Append(ContainerInline? container, StringBuilder text, HelpProblems problems, int line)
    {
        if (container is null)
        {
            return;
        }

        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? "\n" : " ");
                    break;
                case LinkInline link:
                    var label = new StringBuilder();
                    Append(link, label, problems, line);
                    text.Append(LinkText(label.ToString(), link.Url));
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    problems.Add(line, $"inline HTML {html.Tag} would vanish from Get-Help: put it in `backticks`");
                    break;
                case ContainerInline nested:
                    Append(nested, text, problems, line);
                    break;
                default:
                    problems.Add(line, $"unsupported markdown ({inline.GetType().Name})");
                    break;
            }
        }
    }

    /// <summary>A link as text: a page of these docs by its name, a web address written out (Get-Help has no links).</summary>
    public static string LinkText(string label, string? url)
    {
        if (string.IsNullOrEmpty(url) || !url.Contains("://", StringComparison.Ordinal) || string.Equals(label, url, StringComparison.Ordinal))
        {
            return label;
        }

        return label + " (" + url + ")";
    }

    private static string Unsupported(Block block, HelpProblems problems)
    {
        problems.Add(block.Line + 1, $"unsupported markdown here ({block.GetType().Name}): use paragraphs, lists, pipe tables or fenced blocks");
        return string.Empty;
    }
}
