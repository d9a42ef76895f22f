namespace LarkPS.HelpGen;

/// <summary>One cmdlet's help as its docs/help/&lt;Name&gt;.md states it.</summary>
internal sealed record CommandHelp(
    string Name,
    string SourcePath,
    string Synopsis,
    IReadOnlyList<HelpBlock> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<HelpExample> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<HelpBlock> Notes,
    IReadOnlyList<RelatedLink> Links)
{
    public string Verb => Name.Split('-')[0];

    public string Noun => Name.Split('-', 2)[1];
}

/// <summary>One parameter set's syntax line: <c>Send-LarkMessage [[-ReceiveId] &lt;String[]&gt;] [-Force] ...</c>.</summary>
internal sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<SyntaxParameter> Parameters, int Line);

/// <summary>A parameter as a syntax line shows it: required or not, positional or not, and its value type (none for a switch).</summary>
internal sealed record SyntaxParameter(string Name, bool Required, bool Positional, string? ValueType);

/// <summary>An example: its title, its code, the output it shows (what the doctest compares), its remarks.</summary>
internal sealed record HelpExample(int Number, string Title, string Code, string? Output, IReadOnlyList<HelpBlock> Remarks, string? SkipReason, int Line, int CodeLine, int OutputLine);

/// <summary>A <c>### -Name</c> section: the description and one metadata block per group of parameter sets.</summary>
internal sealed record ParameterHelp(string Name, IReadOnlyList<HelpBlock> Description, IReadOnlyList<ParameterMetadata> Metadata, int Line)
{
    public ParameterMetadata First => Metadata[0];

    public bool IsSwitch => string.Equals(First.Type, "SwitchParameter", StringComparison.Ordinal);

    /// <summary>The metadata block that covers the set, or null.</summary>
    public ParameterMetadata? For(string setName) =>
        Metadata.FirstOrDefault(m => m.ParameterSets.Count == 0 || m.ParameterSets.Contains(setName, StringComparer.Ordinal));
}

/// <summary>One ```yaml block of a parameter (platyPS's keys). An empty ParameterSets list means (All).</summary>
internal sealed record ParameterMetadata(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    int? Position,
    string DefaultValue,
    string PipelineInput,
    bool Wildcards,
    int Line);

/// <summary>An INPUTS or OUTPUTS entry: a type name and what it means.</summary>
internal sealed record TypeHelp(string TypeName, IReadOnlyList<HelpBlock> Description);

/// <summary>A related link: shown as its text; a web address becomes part of the text, never a URI Get-Help -Online opens.</summary>
internal sealed record RelatedLink(string Text);
