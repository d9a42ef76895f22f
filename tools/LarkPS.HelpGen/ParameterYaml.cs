using System.Globalization;

namespace LarkPS.HelpGen;

/// <summary>
/// A parameter's ```yaml block, platyPS's keys only: Type, Parameter Sets, Aliases, Accepted values (optional),
/// Required, Position, Default value, Accept pipeline input, Accept wildcard characters. A key it does not know, or one
/// missing, is a problem: a typo must not silently change the help.
/// </summary>
internal static class ParameterYaml
{
    private static readonly string[] Keys =
        ["Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters"];

    public static ParameterMetadata? Parse(IReadOnlyList<string> lines, HelpProblems problems, int firstLine)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = colon > 0 ? line[..colon].Trim() : line.Trim();
            if (colon <= 0 || !Keys.Contains(key, StringComparer.Ordinal))
            {
                problems.Add(firstLine + 1 + i, $"'{line.Trim()}' is not one of the yaml keys: {string.Join(", ", Keys)}");
                continue;
            }

            if (!values.TryAdd(key, line[(colon + 1)..].Trim()))
            {
                problems.Add(firstLine + 1 + i, $"'{key}' appears twice");
            }
        }

        var missing = Keys.Where(k => k != "Accepted values" && !values.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(firstLine, $"the yaml block lacks {string.Join(", ", missing)}");
            return null;
        }

        var required = Bool(values["Required"], "Required", problems, firstLine);
        var wildcards = Bool(values["Accept wildcard characters"], "Accept wildcard characters", problems, firstLine);
        int? position = null;
        if (!string.Equals(values["Position"], "Named", StringComparison.Ordinal))
        {
            if (int.TryParse(values["Position"], NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                position = p;
            }
            else
            {
                problems.Add(firstLine, $"Position is 'Named' or a number, not '{values["Position"]}'");
            }
        }

        var pipeline = values["Accept pipeline input"];
        if (pipeline is not ("False" or "True (ByValue)" or "True (ByPropertyName)" or "True (ByPropertyName, ByValue)" or "True (ByValue, ByPropertyName)"))
        {
            problems.Add(firstLine, $"Accept pipeline input is False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue), not '{pipeline}'");
        }

        var sets = values["Parameter Sets"];
        return new ParameterMetadata(
            values["Type"],
            sets == "(All)" ? [] : List(sets),
            List(values["Aliases"]),
            values.TryGetValue("Accepted values", out var accepted) ? List(accepted) : [],
            required,
            position,
            values["Default value"],
            pipeline,
            wildcards,
            firstLine);
    }

    private static List<string> List(string text) =>
        text.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0 && s != "None").ToList();

    private static bool Bool(string text, string key, HelpProblems problems, int line)
    {
        if (text is "True" or "False")
        {
            return text == "True";
        }

        problems.Add(line, $"{key} is True or False, not '{text}'");
        return false;
    }
}
