using LarkPS.EngineTests.Infrastructure;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Get-Help as users read it: the MAML cmdlet help and about_LarkPS that the build copies to out/LarkPS/en-US,
/// found by a real PowerShell engine that imported the module. The help is checked against the cmdlets themselves,
/// so a parameter, parameter set, default or error id that changes without its help fails here.
/// </summary>
public sealed class HelpTests : IClassFixture<HelpTests.SharedSession>
{
    private readonly PowerShellSession _session;

    public HelpTests(SharedSession shared) => _session = shared.Session;

    private static readonly string[] CmdletNames =
    {
        "Connect-Lark", "Disconnect-Lark", "Get-LarkConnection", "Send-LarkMessage", "Test-LarkMessage",
    };

    public static TheoryData<string> Cmdlets => new(CmdletNames);

    [Fact]
    public void Every_exported_cmdlet_is_covered_here()
    {
        var result = _session.Invoke("(Get-Command -Module LarkPS).Name | Sort-Object");

        Assert.Equal(CmdletNames.Order(StringComparer.Ordinal), result.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Connect-Lark", "Signs a Lark or Feishu app in for this PowerShell session.", 5)]
    [InlineData("Disconnect-Lark", "Forgets this session's Lark connection, its token and its secret.", 1)]
    [InlineData("Get-LarkConnection", "Shows this session's Lark connection and its last delivery.", 1)]
    [InlineData("Send-LarkMessage", "Sends Lark or Feishu messages, paced, retried and never sent twice.", 6)]
    [InlineData("Test-LarkMessage", "Checks messages for Send-LarkMessage without sending anything.", 2)]
    public void Full_help_shows_the_synopsis_a_description_and_examples(string cmdlet, string synopsis, int minimumExamples)
    {
        var rendered = _session.Invoke("Get-Help $args[0] -Full | Out-String -Width 200", cmdlet);
        var examples = _session.Invoke(
            "@((Get-Help $args[0]).examples.example) | ForEach-Object { [pscustomobject]@{ Code = [string]$_.code; Remarks = ($_.remarks.Text -join '') } }",
            cmdlet);

        Assert.Null(rendered.Terminating);
        var text = string.Concat(rendered.Output.Select(o => o.ToString()));
        Assert.Contains("SYNOPSIS", text, StringComparison.Ordinal);
        Assert.Contains(synopsis, text, StringComparison.Ordinal);
        Assert.Contains("DESCRIPTION", text, StringComparison.Ordinal);
        Assert.Contains("Example 1:", text, StringComparison.Ordinal);
        Assert.True(examples.Output.Count >= minimumExamples, $"{cmdlet} has {examples.Output.Count} example(s); expected at least {minimumExamples}.");
        Assert.All(examples.Output, example =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string)example.Properties["Code"].Value), $"{cmdlet}: an example has no code.");
            Assert.False(string.IsNullOrWhiteSpace((string)example.Properties["Remarks"].Value), $"{cmdlet}: an example has no remarks.");
        });
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_parameter_is_documented_as_the_cmdlet_declares_it(string cmdlet)
    {
        // One script lists every difference between the cmdlet's metadata and its help, so a failure names them all.
        const string script = """
            $name = $args[0]
            $common = [System.Management.Automation.Cmdlet]::CommonParameters
            $command = Get-Command $name
            $help = Get-Help $name -Full
            $problems = [System.Collections.Generic.List[string]]::new()
            # Without MAML, Get-Help makes up parameter entries from the metadata, but never a description.
            if ($help -is [string] -or -not $help.description) { return "no MAML help was found for $name" }

            $documented = @{}
            foreach ($p in @($help.parameters.parameter)) { if ($p) { $documented[[string]$p.name] = $p } }

            foreach ($meta in $command.Parameters.Values) {
                if ($common -contains $meta.Name) { continue }
                $p = $documented[$meta.Name]
                if (-not $p) { $problems.Add("-$($meta.Name) is not in the help"); continue }
                if ([string]::IsNullOrWhiteSpace(($p.description | ForEach-Object Text) -join '')) { $problems.Add("-$($meta.Name) has no description") }

                $sets = @($meta.ParameterSets.Values)
                $required = [bool]($sets | Where-Object IsMandatory)
                if ([string]$p.required -ne $required.ToString()) { $problems.Add("-$($meta.Name): help says required=$($p.required), the cmdlet $required") }
                $positions = @($sets | ForEach-Object { if ($_.Position -lt 0) { 'named' } else { [string]$_.Position } } | Select-Object -Unique)
                if ($positions.Count -ne 1 -or $p.position -ne $positions[0]) { $problems.Add("-$($meta.Name): help says position=$($p.position), the cmdlet $($positions -join '/')") }
                $byValue = [bool]($sets | Where-Object ValueFromPipeline)
                $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
                $pipeline = [string]$p.pipelineInput
                if (($pipeline -like 'True*') -ne ($byValue -or $byName) -or ($pipeline -like '*ByValue*') -ne $byValue -or ($pipeline -like '*ByPropertyName*') -ne $byName) {
                    $problems.Add("-$($meta.Name): help says pipelineInput=$pipeline, the cmdlet ByValue=$byValue ByPropertyName=$byName")
                }
                $helpAliases = @(([string]$p.aliases -split ',\s*') | Where-Object { $_ -and $_ -ne 'none' } | Sort-Object)
                $aliases = @($meta.Aliases | Sort-Object)
                if (($helpAliases -join ',') -ne ($aliases -join ',')) { $problems.Add("-$($meta.Name): help says aliases '$($helpAliases -join ',')', the cmdlet '$($aliases -join ',')'") }
                if (@($meta.ParameterType.FullName, $meta.ParameterType.Name) -notcontains [string]$p.type.name) { $problems.Add("-$($meta.Name): help says type $($p.type.name), the cmdlet $($meta.ParameterType.FullName)") }
            }
            foreach ($helpName in $documented.Keys) {
                if (-not $command.Parameters.ContainsKey($helpName)) { $problems.Add("the help documents -$helpName, which $name does not have") }
            }

            # SYNTAX: one syntax item per parameter set, with that set's parameters, mandatory and positions.
            $items = @($help.syntax.syntaxItem | Where-Object { $_ })
            if ($items.Count -ne $command.ParameterSets.Count) { $problems.Add("the help has $($items.Count) syntax item(s), the cmdlet $($command.ParameterSets.Count) parameter set(s)") }
            foreach ($set in $command.ParameterSets) {
                $own = @($set.Parameters | Where-Object { $common -notcontains $_.Name })
                $key = ($own.Name | Sort-Object) -join ','
                $item = $items | Where-Object { ((@($_.parameter | Where-Object { $_ }).name | Sort-Object) -join ',') -eq $key } | Select-Object -First 1
                if (-not $item) { $problems.Add("no syntax item has exactly the parameters of set '$($set.Name)': $key"); continue }
                foreach ($meta in $own) {
                    $p = @($item.parameter) | Where-Object name -eq $meta.Name
                    $position = if ($meta.Position -lt 0) { 'named' } else { [string]$meta.Position }
                    if ([string]$p.required -ne $meta.IsMandatory.ToString() -or $p.position -ne $position) {
                        $problems.Add("syntax of set '$($set.Name)': -$($meta.Name) required=$($p.required) position=$($p.position), the cmdlet $($meta.IsMandatory)/$position")
                    }
                }
            }
            $problems
            """;

        var result = _session.Invoke(script, cmdlet);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Documented_defaults_are_the_defaults_of_the_code()
    {
        var result = _session.Invoke("""
            # DeliveryOptions is internal: read its defaults by reflection, as nothing public exposes the type.
            $optionsType = [LarkPS.Session.LarkConnection].Assembly.GetType('LarkPS.Delivery.DeliveryOptions', $true)
            $defaults = [Activator]::CreateInstance($optionsType)
            $default = { param($name) [string]$optionsType.GetProperty($name).GetValue($defaults) }
            $expected = [ordered]@{
                'Connect-Lark TimeoutSec'                = [string][LarkPS.Session.LarkConnection]::DefaultTimeout.TotalSeconds
                'Connect-Lark QuotaPerSecond'            = & $default AppPerSecond
                'Connect-Lark QuotaPerMinute'            = & $default AppPerMinute
                'Connect-Lark QuotaPerReceiverPerSecond' = & $default ReceiverPerSecond
                'Connect-Lark Region'                    = [string][LarkPS.Session.LarkRegion]::Feishu
                'Send-LarkMessage ThrottleLimit'         = & $default ThrottleLimit
            }
            foreach ($key in $expected.Keys) {
                $cmdlet, $parameter = $key -split ' '
                $documented = (Get-Help $cmdlet -Parameter $parameter).defaultValue
                if ($documented -ne $expected[$key]) { "$key is documented as '$documented', the code uses '$($expected[$key])'" }
            }
            """);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Every_error_id_is_documented()
    {
        // Scripts match on the first half of FullyQualifiedErrorId: each one must be explained somewhere in the help.
        var result = _session.Invoke("""
            $text = (Get-Command -Module LarkPS | ForEach-Object { Get-Help $_.Name -Full | Out-String -Width 200 }) -join "`n"
            $text += Get-Help about_LarkPS | Out-String -Width 200
            [LarkPS.Session.LarkConnection].Assembly.GetType('LarkPS.Commands.ErrorIds', $true).GetFields() |
                Where-Object { $_.IsLiteral -and $_.Name -ne 'InvalidMessageBody' } |
                Where-Object { $text -notmatch "\b$($_.GetRawConstantValue())\b" } |
                ForEach-Object { "error id $($_.GetRawConstantValue()) is not documented" }
            """);

        // InvalidMessageBody is declared in ErrorIds but no cmdlet writes it (an unreadable body is an InvalidMessage).
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void About_LarkPS_is_found_by_Get_Help_from_the_module_folder()
    {
        var found = _session.Invoke("Get-Help about_Lark* | Select-Object Name, Category");
        var rendered = _session.Invoke("Get-Help about_LarkPS | Out-String -Width 200");

        var topic = Assert.Single(found.Output);
        Assert.Equal("about_LarkPS", topic.Properties["Name"].Value?.ToString());
        Assert.Equal("HelpFile", topic.Properties["Category"].Value?.ToString());
        var text = string.Concat(rendered.Output.Select(o => o.ToString()));
        Assert.Contains("about_LarkPS", text, StringComparison.Ordinal);
        foreach (var section in new[] { "SHORT DESCRIPTION", "QUICK START AGAINST THE SANDBOX", "DELIVERY GUARANTEES", "SECURITY NOTES", "WINDOWS POWERSHELL 5.1", "TROUBLESHOOTING" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.Contains("Connect-Lark -BaseUri http://127.0.0.1:5300 -AppId cli_sandbox", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "out", "LarkPS", "en-US", "about_LarkPS.help.txt")));
    }

    /// <summary>One engine with the module imported, shared by the tests of this class (help is read-only).</summary>
    public sealed class SharedSession : IDisposable
    {
        public PowerShellSession Session { get; } = new();

        public void Dispose() => Session.Dispose();
    }
}
