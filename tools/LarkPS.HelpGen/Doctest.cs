using System.Text.RegularExpressions;

namespace LarkPS.HelpGen;

/// <summary>
/// The doctest markers the generator checks: <c>&lt;!-- doctest: skip, why --&gt;</c> before an example's code says
/// it cannot run against the sandbox (tests/Pester/Doctest.Tests.ps1 lists those). Any other doctest comment is a typo.
/// </summary>
internal static partial class Doctest
{
    public static string? SkipReason(string comment, HelpProblems problems, int line)
    {
        var body = comment.Trim();
        if (!body.StartsWith("<!--", StringComparison.Ordinal) || !body.Contains("doctest", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = Skip().Match(body);
        if (!match.Success)
        {
            problems.Add(line, "a doctest comment is <!-- doctest: skip, <why it cannot run against the sandbox> -->");
            return null;
        }

        return match.Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"^<!--\s*doctest:\s*skip,\s*(\S.*?)\s*-->$", RegexOptions.Singleline)]
    private static partial Regex Skip();
}
