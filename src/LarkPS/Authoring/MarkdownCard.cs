using System;
using System.Collections.Generic;

namespace LarkPS.Authoring;

/// <summary>
/// Markdown as a card for where a post has no md node (Lark's batch messages, LARK-API.md "Batch messages (v4)"): a
/// schema 2.0 card whose body is one markdown component, with the title as its header and the mentions after the
/// text as card markdown. A card's markdown shows what post markdown does and more (headings, colours, tables in
/// markdown), so the text arrives as written.
/// </summary>
internal static class MarkdownCard
{
    /// <summary>The card's compact JSON; throws <see cref="CardLimitException"/> where it breaks Lark's limits.</summary>
    public static string Build(string? title, string markdown, IReadOnlyCollection<Mention>? mentions = null)
    {
        var body = string.IsNullOrWhiteSpace(markdown) ? null : markdown;
        if (mentions is { Count: > 0 })
        {
            var written = MentionWriter.ForCardMarkdown(mentions);
            body = body is null ? written : body + "\n" + written;
        }

        var elements = new List<CardElement>();
        if (body is not null)
        {
            elements.Add(new MarkdownElement(body));
        }

        var header = string.IsNullOrWhiteSpace(title) ? null : new CardHeader(title!);
        return new CardDocument(header, elements).ToJson();
    }
}
