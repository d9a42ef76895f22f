using System.Globalization;
using System.Text;
namespace LarkPS.Authoring;

/// <summary>
/// Makes text show as typed inside card markdown and lark_md: each markup character becomes the entity Lark's card
/// markdown page lists for it (&amp;#42; for '*', &amp;sim; for '~' …), so '**x**', '[a](b)' or '&lt;at id=all&gt;'
/// typed in a field arrive as those characters, never as bold, a link or a mention; an '&' that starts a named entity
/// (&amp;lt;, &amp;amp;) is written &amp;#38; so the entity shows as typed. Backslash escapes are unconfirmed in lark_md,
/// so entities are used in both.
/// </summary>
internal static class MarkdownEscaper
{
    // LARK-API.md, "Card markdown": < > * [ ] ( ) # _ \ : / ! + - " ' $ and backtick as &#N;, ~ as &sim;.
    private const string Markup = "<>*[]()#_\\:/!+-\"'$`";

    public static string Escape(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var replacement = c == '~' ? "&sim;"
                : Markup.IndexOf(c) >= 0 || (c == '&' && StartsNamedEntity(text, i + 1)) ? "&#" + ((int)c).ToString(CultureInfo.InvariantCulture) + ";"
                : null;
            if (replacement is null)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            builder.Append(replacement);
        }

        return builder?.ToString() ?? text;
    }

    // "&lt;", "&amp;", "&sim;": letters then ';' after an '&' would be read as an entity ('&#…;' cannot be: '#' is escaped).
    private static bool StartsNamedEntity(string text, int start)
    {
        var i = start;
        while (i < text.Length && ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= '0' && text[i] <= '9' && i > start)))
        {
            i++;
        }

        return i > start && i < text.Length && text[i] == ';';
    }
}
