using System.Management.Automation.Language;
using LarkPS.EngineTests.Infrastructure;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Every script in the repository parses with the real PowerShell parser, in-process and in milliseconds, including the
/// ones no test runs (build.ps1 itself). The module folder, the manifest and its import are tested in tests/Pester.
/// </summary>
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

    public static TheoryData<string> WindowsPowerShellScripts()
    {
        var data = new TheoryData<string>();
        foreach (var row in (IEnumerable<object[]>)Scripts())
        {
            var path = (string)row[0];
            if (path.StartsWith(Path.Combine("tests", "Pester"), StringComparison.Ordinal) || path.StartsWith("examples", StringComparison.Ordinal)
                || path == "build.ps1" || path.StartsWith("tools", StringComparison.Ordinal))
            {
                data.Add(path);
            }
        }

        return data;
    }

    // Windows users run the examples, the Pester suite and build.ps1 in Windows PowerShell 5.1, which is not on this machine: at
    // least keep them to syntax 5.1 parses, and to ASCII (5.1 reads a .ps1 without a BOM in the ANSI code page).
    [Theory]
    [MemberData(nameof(WindowsPowerShellScripts))]
    public void Scripts_for_Windows_users_use_only_Windows_PowerShell_5_1_syntax(string relativePath)
    {
        var path = Path.Combine(RepoPaths.Root, relativePath);
        Parser.ParseFile(path, out var tokens, out var errors);

        Assert.Empty(errors);
        var newer = new[] { TokenKind.QuestionMark, TokenKind.QuestionQuestion, TokenKind.QuestionQuestionEquals, TokenKind.AndAnd, TokenKind.OrOr, TokenKind.QuestionDot, TokenKind.QuestionLBracket, TokenKind.Clean };
        var found = tokens.Where(t => newer.Contains(t.Kind)).Select(t => $"line {t.Extent.StartLineNumber}: {t.Text}").ToList();
        Assert.True(found.Count == 0, relativePath + " uses PowerShell 7 syntax: " + string.Join("; ", found));
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes is [0xEF, 0xBB, 0xBF, ..] || bytes.All(b => b < 0x80), relativePath + " holds non-ASCII text, so it must be saved as UTF-8 with a BOM.");
    }

    public static TheoryData<string> ExampleScripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "examples"), "*.ps1").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    // The examples are what administrators copy: comment-based help, and nothing that needs PowerShell 7 to run.
    [Theory]
    [MemberData(nameof(ExampleScripts))]
    public void Each_example_has_a_synopsis_and_needs_no_PowerShell_7_parameter(string script)
    {
        var ast = Parser.ParseFile(Path.Combine(RepoPaths.Root, "examples", script), out _, out var errors);

        Assert.Empty(errors);
        Assert.DoesNotContain(ast.FindAll(a => a is CommandParameterAst p && p.ParameterName.Equals("Parallel", StringComparison.OrdinalIgnoreCase), true), _ => true);
        Assert.False(string.IsNullOrWhiteSpace(ast.GetHelpContent()?.Synopsis), script + " needs comment-based help with a .SYNOPSIS.");
    }
}
