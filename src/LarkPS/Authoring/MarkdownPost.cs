using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>A post written from markdown: msg_type "post", its content JSON, and what Lark's post markdown will not show.</summary>
internal sealed class MarkdownPostResult
{
    public MarkdownPostResult(string contentJson, IReadOnlyList<ValidationProblem> problems)
    {
        ContentJson = contentJson;
        Problems = problems;
    }

    /// <summary>Always "post".</summary>
    public string MsgType { get; } = ContentTypes.Post;

    /// <summary>{"zh_cn":{"title":…,"content":[[{"tag":"md","text":…}],…]}}, compact.</summary>
    public string ContentJson { get; }

    /// <summary>
    /// Each construct Lark's post markdown does not show (a heading, a table, an image other than an img_ key, HTML, a
    /// colour), with its line: the text is sent as written, so it arrives as typed. Empty when all of it shows.
    /// </summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }
}

/// <summary>
/// Markdown to a post of md nodes (LARK-API.md, "Post (rich text) and its md node"), as the official CLI's --markdown
/// does it: one md paragraph per blank-line block (a fenced code block stays whole), an image given by its img_ key
/// alone in its block as an img paragraph, the title, and the mentions as a last paragraph of at nodes. Lark's post
/// markdown is a subset: what it does not document is reported, never dropped or rewritten in silence.
/// </summary>
internal static class MarkdownPost
{
    /// <summary>The locale the post is written in: Lark shows a post's only locale to every reader.</summary>
    public const string DefaultLocale = "zh_cn";

    private static readonly Regex Fence = new(@"^\s{0,3}(```|~~~)", RegexOptions.CultureInvariant);
    private static readonly Regex Heading = new(@"^\s{0,3}(#{1,6})\s+\S", RegexOptions.CultureInvariant);
    private static readonly Regex TableRule = new(@"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex Image = new(@"!\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)", RegexOptions.CultureInvariant);
    private static readonly Regex LoneImage = new(@"^\s*!\[[^\]]*\]\(\s*(img_[A-Za-z0-9_\-]+)\s*\)\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex HtmlTag = new(@"</?([A-Za-z][A-Za-z0-9_-]*)(\s[^<>]*)?/?>", RegexOptions.CultureInvariant);
    private static readonly Regex CodeSpan = new("`[^`]*`", RegexOptions.CultureInvariant);

    /// <summary>
    /// The post for <paramref name="markdown"/>. The entry point for Send-LarkMessage / Test-LarkMessage -Markdown
    /// and an item's markdown property: contentType post, content <see cref="MarkdownPostResult.ContentJson"/>, and
    /// <see cref="MarkdownPostResult.Problems"/> for Test-LarkMessage to show.
    /// </summary>
    public static MarkdownPostResult Build(string? title, string markdown, IReadOnlyCollection<Mention>? mentions = null, string locale = DefaultLocale)
    {
        var problems = new List<ValidationProblem>();
        var blocks = Blocks((markdown ?? string.Empty).Replace("\r\n", "\n").Replace('\r', '\n'), problems);
        var hasMentions = mentions is { Count: > 0 };
        if (blocks.Count == 0 && !hasMentions)
        {
            problems.Add(new ValidationProblem("markdown", "is empty", "some markdown text", "string"));
        }

        var json = MessageJson.WriteToString(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject(locale);
            if (!string.IsNullOrWhiteSpace(title))
            {
                w.WriteString("title", title);
            }

            w.WriteStartArray("content");
            foreach (var block in blocks)
            {
                w.WriteStartArray();
                w.WriteStartObject();
                if (block.ImageKey is { } key)
                {
                    w.WriteString("tag", "img");
                    w.WriteString("image_key", key);
                }
                else
                {
                    w.WriteString("tag", "md");
                    w.WriteString("text", block.Text);
                }

                w.WriteEndObject();
                w.WriteEndArray();
            }

            if (hasMentions)
            {
                MentionWriter.WritePostParagraph(w, mentions!);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return new MarkdownPostResult(json, problems);
    }

    private sealed class Block
    {
        public Block(string text, string? imageKey)
        {
            Text = text;
            ImageKey = imageKey;
        }

        public string Text { get; }

        public string? ImageKey { get; }
    }

    private static List<Block> Blocks(string markdown, List<ValidationProblem> problems)
    {
        var blocks = new List<Block>();
        var current = new List<string>();
        string? fence = null;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var fenceMatch = Fence.Match(line);
            if (fence is not null)
            {
                current.Add(line);
                if (fenceMatch.Success && fenceMatch.Groups[1].Value == fence)
                {
                    fence = null;
                }

                continue;
            }

            if (fenceMatch.Success)
            {
                fence = fenceMatch.Groups[1].Value;
                current.Add(line);
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                Flush(blocks, current);
                continue;
            }

            Check(line, i + 1, problems);
            current.Add(line);
        }

        Flush(blocks, current);
        return blocks;
    }

    private static void Flush(List<Block> blocks, List<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var text = string.Join("\n", lines);
        var lone = lines.Count == 1 ? LoneImage.Match(lines[0]) : Match.Empty;
        blocks.Add(lone.Success ? new Block(text, lone.Groups[1].Value) : new Block(text, null));
        lines.Clear();
    }

    // What Lark documents for post markdown: mentions, links, lists, fenced code, quotes, rules and emphasis. The rest
    // arrives as typed; say so, with the line and what to do instead.
    private static void Check(string line, int number, List<ValidationProblem> problems)
    {
        var field = "markdown line " + number.ToString(CultureInfo.InvariantCulture);
        var text = CodeSpan.Replace(line, string.Empty);
        const string CardFix = "or send a card (New-LarkCard -Markdown), whose markdown shows it";
        if (Heading.IsMatch(text))
        {
            problems.Add(new ValidationProblem(field, ValidationProblem.Quote(line.Trim()) + " is a heading, which Lark's post markdown does not show (it arrives as typed)",
                "bold text (**…**) on a line of its own, " + CardFix, "string"));
        }

        if (TableRule.IsMatch(text))
        {
            problems.Add(new ValidationProblem(field, "starts a markdown table, which Lark's post markdown does not show (the rows arrive as typed)",
                "a list, a code block, or a card with a table (ConvertTo-LarkCard)", "string"));
        }

        foreach (Match image in Image.Matches(text))
        {
            var target = image.Groups[2].Value;
            var isKey = target.StartsWith("img_", StringComparison.Ordinal);
            if (!isKey || !LoneImage.IsMatch(line))
            {
                problems.Add(new ValidationProblem(field,
                    ValidationProblem.Quote(image.Value) + (isKey
                        ? " is an image inside a paragraph; a post shows an image only as a paragraph of its own"
                        : " is an image by link or path; a post shows only images uploaded to Lark (img_… keys)"),
                    isKey ? "the image on a line of its own, with blank lines around it" : "![alt](img_…) with a key from an image upload, or Send-LarkMessage -ImagePath for the picture itself",
                    "string"));
            }
        }

        foreach (Match tag in HtmlTag.Matches(text))
        {
            var name = tag.Groups[1].Value.ToLowerInvariant();
            if (name == "at" || tag.Value.StartsWith("</", StringComparison.Ordinal))
            {
                continue; // <at user_id="…"></at> is post markdown's own mention; a closing tag was reported with its opening one
            }

            problems.Add(name == "font"
                ? new ValidationProblem(field, ValidationProblem.Quote(tag.Value) + " sets a colour, which Lark's post markdown does not show (the tag arrives as typed)",
                    "no colour in a post, " + CardFix, "string")
                : new ValidationProblem(field, ValidationProblem.Quote(tag.Value) + " is HTML, which Lark's post markdown does not show (it arrives as typed)",
                    "markdown instead (**bold**, *italic*, [text](https://…)), " + CardFix, "string"));
        }
    }
}
