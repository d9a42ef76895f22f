using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace LarkPS.HelpGen;

/// <summary>
/// Reads one cmdlet's markdown in platyPS's layout (docs/help/README.md describes it) and checks it: the sections in
/// order, a syntax line per parameter set that agrees with each parameter's metadata, examples numbered from 1.
/// </summary>
internal static partial class CommandHelpReader
{
    private static readonly string[] SectionOrder =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public static CommandHelp? Read(string path, HelpProblems problems)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var document = MarkdownText.Parse(File.ReadAllText(path));
        var top = MarkdownSections.Split(document.Where(b => b is not Markdig.Extensions.Yaml.YamlFrontMatterBlock), 1, problems);
        var titled = top.Where(s => s.Title.Length > 0).ToList();
        if (titled.Count != 1 || !string.Equals(titled[0].Title, name, StringComparison.Ordinal))
        {
            problems.Add(1, $"the file must have one title, '# {name}' (its file name)");
            return null;
        }

        var sections = MarkdownSections.Split(titled[0].Blocks, 2, problems).Where(s => s.Title.Length > 0).ToList();
        var titles = sections.Select(s => s.Title).ToList();
        if (!titles.SequenceEqual(SectionOrder, StringComparer.Ordinal))
        {
            problems.Add(titled[0].Line, $"the sections must be, in this order: {string.Join(", ", SectionOrder.Select(s => "## " + s))}; found {string.Join(", ", titles.Select(t => "## " + t))}");
            return null;
        }

        MarkdownSection Section(string title) => sections.First(s => s.Title == title);

        var synopsis = Blocks(Section("SYNOPSIS"), problems);
        if (synopsis.Count != 1 || synopsis[0] is not ProseBlock synopsisText || synopsisText.Text.Length == 0)
        {
            problems.Add(Section("SYNOPSIS").Line, "## SYNOPSIS must be one paragraph");
            synopsisText = new ProseBlock(0, string.Empty);
        }

        var syntax = ReadSyntax(name, Section("SYNTAX"), problems);
        var parameters = ReadParameters(Section("PARAMETERS"), problems);
        CheckSyntaxAgainstParameters(syntax, parameters, problems);

        return new CommandHelp(
            name,
            path,
            synopsisText.Text,
            Blocks(Section("DESCRIPTION"), problems),
            syntax,
            ReadExamples(Section("EXAMPLES"), problems),
            parameters,
            ReadTypes(Section("INPUTS"), problems),
            ReadTypes(Section("OUTPUTS"), problems),
            Blocks(Section("NOTES"), problems),
            ReadLinks(Section("RELATED LINKS"), problems));
    }

    private static List<HelpBlock> Blocks(MarkdownSection section, HelpProblems problems) => Blocks(section.Blocks, problems);

    private static List<HelpBlock> Blocks(IEnumerable<Block> blocks, HelpProblems problems) =>
        blocks.Select(b => MarkdownText.ToHelpBlock(b, problems)).ToList();

    private static List<SyntaxSet> ReadSyntax(string name, MarkdownSection section, HelpProblems problems)
    {
        var sets = new List<SyntaxSet>();
        var subsections = MarkdownSections.Split(section.Blocks, 3, problems);
        foreach (var sub in subsections)
        {
            var blocks = sub.Blocks.OfType<FencedCodeBlock>().ToList();
            if (blocks.Count != 1 || sub.Blocks.Count != 1)
            {
                problems.Add(sub.Line == 0 ? section.Line : sub.Line, "each parameter set in ## SYNTAX is a '### SetName' heading (or none, for one set) and one fenced block with the syntax line");
                continue;
            }

            var isDefault = sub.Title.EndsWith(" (Default)", StringComparison.Ordinal);
            var setName = isDefault ? sub.Title[..^" (Default)".Length] : sub.Title;
            if (setName.Length == 0)
            {
                setName = "__AllParameterSets";
            }

            var parameters = SyntaxLine.Parse(name, string.Join(" ", MarkdownText.CodeLines(blocks[0])), problems, blocks[0].Line + 1);
            sets.Add(new SyntaxSet(setName, isDefault, parameters, blocks[0].Line + 1));
        }

        if (sets.Count == 0)
        {
            problems.Add(section.Line, "## SYNTAX has no syntax line");
        }
        else if (sets.Count > 1 && (sets.Any(s => s.Name == "__AllParameterSets") || sets.Count(s => s.IsDefault) != 1))
        {
            problems.Add(section.Line, "with several parameter sets, each has a '### SetName' heading and exactly one is '### SetName (Default)'");
        }

        return sets;
    }

    private static List<ParameterHelp> ReadParameters(MarkdownSection section, HelpProblems problems)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var sub in MarkdownSections.Split(section.Blocks, 3, problems))
        {
            if (sub.Title == "CommonParameters")
            {
                continue;
            }

            if (!sub.Title.StartsWith('-'))
            {
                problems.Add(sub.Line == 0 ? section.Line : sub.Line, "## PARAMETERS holds '### -Name' sections (and '### CommonParameters')");
                continue;
            }

            var yaml = sub.Blocks.OfType<FencedCodeBlock>().Where(b => string.Equals(b.Info, "yaml", StringComparison.Ordinal)).ToList();
            var description = Blocks(sub.Blocks.Where(b => !yaml.Contains(b)), problems);
            if (yaml.Count == 0)
            {
                problems.Add(sub.Line, $"{sub.Title} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters)");
                continue;
            }

            if (!description.OfType<ProseBlock>().Any(p => p.Text.Length > 0))
            {
                problems.Add(sub.Line, $"{sub.Title} has no description");
            }

            var metadata = yaml.Select(b => ParameterYaml.Parse(MarkdownText.CodeLines(b), problems, b.Line + 1)).OfType<ParameterMetadata>().ToList();
            if (metadata.Count == yaml.Count)
            {
                parameters.Add(new ParameterHelp(sub.Title[1..], description, metadata, sub.Line));
            }
        }

        return parameters;
    }

    // The syntax lines and the yaml blocks say the same things twice (required, position, type): they must agree.
    private static void CheckSyntaxAgainstParameters(List<SyntaxSet> syntax, List<ParameterHelp> parameters, HelpProblems problems)
    {
        var byName = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var set in syntax)
        {
            foreach (var p in set.Parameters)
            {
                if (!byName.TryGetValue(p.Name, out var help))
                {
                    problems.Add(set.Line, $"-{p.Name} is in the syntax of set '{set.Name}' but has no '### -{p.Name}' section");
                    continue;
                }

                var meta = help.For(set.Name);
                if (meta is null)
                {
                    problems.Add(help.Line, $"-{p.Name}: no yaml block names the parameter set '{set.Name}' (or (All))");
                    continue;
                }

                if (meta.Required != p.Required || meta.Position.HasValue != p.Positional)
                {
                    problems.Add(set.Line, $"-{p.Name} in set '{set.Name}': the syntax says required={p.Required} positional={p.Positional}, the yaml Required: {meta.Required} Position: {(meta.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named")}");
                }

                var isSwitch = string.Equals(meta.Type, "SwitchParameter", StringComparison.Ordinal);
                if (isSwitch != (p.ValueType is null) || (!isSwitch && !string.Equals(meta.Type, p.ValueType, StringComparison.Ordinal)))
                {
                    problems.Add(set.Line, $"-{p.Name} in set '{set.Name}': the syntax shows <{p.ValueType ?? "no value"}>, the yaml Type: {meta.Type} (a switch shows no value: [-{p.Name}])");
                }
            }
        }

        foreach (var help in parameters)
        {
            if (!syntax.Any(s => s.Parameters.Any(p => p.Name == help.Name)))
            {
                problems.Add(help.Line, $"-{help.Name} is documented but appears in no syntax line");
            }

            foreach (var meta in help.Metadata)
            {
                foreach (var set in meta.ParameterSets.Where(s => !syntax.Any(x => x.Name == s)))
                {
                    problems.Add(meta.Line, $"-{help.Name}: Parameter Sets names '{set}', which ## SYNTAX does not have");
                }
            }
        }
    }

    private static List<HelpExample> ReadExamples(MarkdownSection section, HelpProblems problems)
    {
        var examples = new List<HelpExample>();
        foreach (var sub in MarkdownSections.Split(section.Blocks, 3, problems))
        {
            var match = ExampleTitle().Match(sub.Title);
            if (!match.Success || int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) != examples.Count + 1)
            {
                problems.Add(sub.Line == 0 ? section.Line : sub.Line, $"examples are '### Example {examples.Count + 1}: Title', numbered from 1");
                continue;
            }

            var blocks = sub.Blocks.ToList();
            string? skip = null;
            var code = blocks.OfType<FencedCodeBlock>().FirstOrDefault();
            if (code is null || !string.Equals(code.Info, "powershell", StringComparison.Ordinal))
            {
                problems.Add(sub.Line, $"{sub.Title}: the first fenced block must be the code, ```powershell");
                continue;
            }

            var index = blocks.IndexOf(code);
            foreach (var comment in blocks.Take(index).OfType<HtmlBlock>())
            {
                skip ??= Doctest.SkipReason(comment.Lines.ToString(), problems, comment.Line + 1);
            }

            string? output = null;
            var outputLine = 0;
            var rest = blocks.Skip(index + 1).ToList();
            if (rest.FirstOrDefault() is FencedCodeBlock shown && string.Equals(shown.Info, "text", StringComparison.Ordinal))
            {
                output = string.Join("\n", MarkdownText.CodeLines(shown));
                outputLine = shown.Line + 1;
                rest.RemoveAt(0);
            }

            var remarks = Blocks(rest, problems);
            if (!remarks.OfType<ProseBlock>().Any(p => p.Text.Length > 0))
            {
                problems.Add(sub.Line, $"{sub.Title} has no text after its code saying what it does");
            }

            if (remarks.OfType<FencedBlock>().Any(b => b.Info == "powershell"))
            {
                problems.Add(sub.Line, $"{sub.Title}: one ```powershell block per example (its output may follow as ```text)");
            }

            examples.Add(new HelpExample(examples.Count + 1, match.Groups[2].Value.Trim(), string.Join("\n", MarkdownText.CodeLines(code)), output, remarks, skip, sub.Line, code.Line + 1, outputLine));
        }

        if (examples.Count == 0)
        {
            problems.Add(section.Line, "## EXAMPLES has no example");
        }

        return examples;
    }

    private static List<TypeHelp> ReadTypes(MarkdownSection section, HelpProblems problems)
    {
        var types = new List<TypeHelp>();
        foreach (var sub in MarkdownSections.Split(section.Blocks, 3, problems))
        {
            if (sub.Title.Length == 0)
            {
                problems.Add(section.Line, $"## {section.Title} holds '### TypeName' sections (or '### None')");
                continue;
            }

            types.Add(new TypeHelp(sub.Title, Blocks(sub.Blocks, problems)));
        }

        return types;
    }

    private static List<RelatedLink> ReadLinks(MarkdownSection section, HelpProblems problems)
    {
        var links = new List<RelatedLink>();
        foreach (var paragraph in section.Blocks)
        {
            if (paragraph is not ParagraphBlock p || p.Inline is null)
            {
                problems.Add(paragraph.Line + 1, "## RELATED LINKS holds links, one per line: [Send-LarkMessage](Send-LarkMessage.md)");
                continue;
            }

            foreach (var link in p.Inline.Descendants<Markdig.Syntax.Inlines.LinkInline>())
            {
                var label = MarkdownText.InlineText(link, problems, p.Line + 1);
                links.Add(new RelatedLink(MarkdownText.LinkText(label, link.Url)));
            }
        }

        return links;
    }

    [GeneratedRegex(@"^Example (\d+): (.+)$")]
    private static partial Regex ExampleTitle();
}
