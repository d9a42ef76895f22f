using System.Management.Automation;
using System.Management.Automation.Language;
using LarkPS.EngineTests.Infrastructure;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>Pester cannot run here, so at least every script we ship must parse with the real PowerShell parser.</summary>
public class ScriptSyntaxTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Root, "*.ps*1", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}out{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Root, file));
        }

        return data;
    }

    [Fact]
    public void The_repository_has_the_scripts_users_run()
    {
        var scripts = ((IEnumerable<object[]>)Scripts()).Select(row => (string)row[0]).ToList();

        Assert.Contains("build.ps1", scripts);
        Assert.Contains("LarkPS.psd1", scripts);
        Assert.Contains(scripts, s => s.StartsWith(Path.Combine("tests", "Pester"), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Every_script_parses_without_syntax_errors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(RepoPaths.Root, relativePath), out _, out var errors);

        Assert.True(errors.Length == 0, relativePath + ": " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void The_manifest_is_valid_and_exports_the_cmdlets()
    {
        using var session = new PowerShellSession();

        var result = session.Invoke("Test-ModuleManifest -Path $args[0] | ForEach-Object { $_.ExportedCmdlets.Keys } | Sort-Object", RepoPaths.ModuleManifest);

        Assert.Null(result.Terminating);
        Assert.Equal(
            new[] { "Connect-Lark", "Disconnect-Lark", "Get-LarkConnection", "Send-LarkMessage", "Test-LarkMessage" },
            result.Output.Select(o => o.ToString()).ToArray());
    }

    [Fact]
    public void The_built_module_folder_does_not_carry_System_Management_Automation()
    {
        var folder = Path.GetDirectoryName(RepoPaths.ModuleManifest)!;

        Assert.True(File.Exists(Path.Combine(folder, "LarkPS.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "System.Text.Json.dll")), "Windows PowerShell 5.1 needs the netstandard dependencies beside the module.");
        Assert.False(File.Exists(Path.Combine(folder, "System.Management.Automation.dll")));
    }

    [Fact]
    public void PowerShell_7_binds_System_Text_Json_to_its_own_runtime_copy()
    {
        using var session = new PowerShellSession();

        var result = session.Invoke("[System.Text.Json.JsonSerializer].Assembly.Location");

        var location = Assert.Single(result.Output).ToString();
        Assert.DoesNotContain(Path.Combine("out", "LarkPS"), location, StringComparison.Ordinal);
    }
}
