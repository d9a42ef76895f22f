using System.Text.RegularExpressions;

namespace LarkPS.HelpGen;

/// <summary>
/// A syntax line as Get-Command -Syntax and platyPS write it: <c>[[-Name] &lt;T&gt;]</c> optional and positional,
/// <c>[-Name &lt;T&gt;]</c> optional, <c>[-Name] &lt;T&gt;</c> required and positional, <c>-Name &lt;T&gt;</c> required,
/// <c>[-Switch]</c>, and <c>[&lt;CommonParameters&gt;]</c> last.
/// </summary>
internal static partial class SyntaxLine
{
    public static List<SyntaxParameter> Parse(string command, string line, HelpProblems problems, int lineNumber)
    {
        var parameters = new List<SyntaxParameter>();
        var text = line.Trim();
        if (!text.StartsWith(command + " ", StringComparison.Ordinal) && text != command)
        {
            problems.Add(lineNumber, $"the syntax line must start with '{command}'");
            return parameters;
        }

        var rest = text[command.Length..].Trim();
        var common = false;
        while (rest.Length > 0)
        {
            var match = Token().Match(rest);
            if (!match.Success)
            {
                problems.Add(lineNumber, $"cannot read the syntax from '{Shorten(rest)}': write [[-Name] <Type>], [-Name <Type>], [-Name] <Type>, -Name <Type>, [-Switch] or [<CommonParameters>]");
                return parameters;
            }

            if (common)
            {
                problems.Add(lineNumber, "[<CommonParameters>] must come last");
            }

            if (match.Groups["common"].Success)
            {
                common = true;
            }
            else
            {
                var name = FirstOf(match, "optpos", "opt", "reqpos", "req", "optsw", "reqsw");
                var type = FirstOf(match, "optposT", "optT", "reqposT", "reqT");
                var required = match.Groups["reqpos"].Success || match.Groups["req"].Success || match.Groups["reqsw"].Success;
                var positional = match.Groups["optpos"].Success || match.Groups["reqpos"].Success;
                if (parameters.Any(p => p.Name == name))
                {
                    problems.Add(lineNumber, $"-{name} appears twice in one syntax line");
                }

                parameters.Add(new SyntaxParameter(name!, required, positional, type));
            }

            rest = rest[match.Length..].TrimStart();
        }

        if (!common)
        {
            problems.Add(lineNumber, "the syntax line must end with [<CommonParameters>]");
        }

        return parameters;
    }

    private static string? FirstOf(Match match, params string[] groups) =>
        groups.Select(g => match.Groups[g]).FirstOrDefault(g => g.Success)?.Value;

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;

    [GeneratedRegex(@"^(?:\[\[-(?<optpos>\w+)\]\s*<(?<optposT>[^<>\s]+)>\]|\[-(?<opt>\w+)\s+<(?<optT>[^<>\s]+)>\]|\[-(?<reqpos>\w+)\]\s*<(?<reqposT>[^<>\s]+)>|-(?<req>\w+)\s+<(?<reqT>[^<>\s]+)>|\[-(?<optsw>\w+)\]|-(?<reqsw>\w+)(?=\s|$)|(?<common>\[<CommonParameters>\]))")]
    private static partial Regex Token();
}
