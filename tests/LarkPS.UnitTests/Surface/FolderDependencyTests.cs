using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace LarkPS.UnitTests.Surface;

/// <summary>
/// The folders of src/LarkPS depend one way (ARCHITECTURE.md): no two folders use each other, no source file is over
/// 450 lines, no AsyncLocal. Read from the source text: a using directive, a qualified name (LarkPS.Api.X) or a
/// name qualified by a sibling folder (Api.X inside LarkPS.*) counts as a use.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private const int MaxLines = 450;

    private static readonly string SourceRoot = Path.Combine(FindRepositoryRoot(), "src", "LarkPS");

    [Fact]
    public void No_two_folders_use_each_other()
    {
        var uses = FolderUses();
        var cycles = new List<string>();
        foreach (var (folder, used) in uses)
        {
            foreach (var other in used)
            {
                if (string.CompareOrdinal(folder, other) < 0 && uses.TryGetValue(other, out var back) && back.Contains(folder))
                {
                    cycles.Add(folder + " <-> " + other + " (" + string.Join(", ", Witnesses(folder, other).Concat(Witnesses(other, folder))) + ")");
                }
            }
        }

        Assert.True(cycles.Count == 0, "Folders that use each other:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_dependency_reader_sees_a_known_use()
    {
        // Commands uses Api (its cmdlets call the client): if the reader missed that, the cycle test proves nothing.
        Assert.Contains("Api", FolderUses()["Commands"]);
    }

    [Fact]
    public void No_source_file_is_over_450_lines()
    {
        var long_ = SourceFiles()
            .Select(f => (File: Path.GetRelativePath(SourceRoot, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > MaxLines)
            .Select(f => f.File + ": " + f.Lines)
            .ToList();
        Assert.True(long_.Count == 0, "Files over " + MaxLines + " lines:\n" + string.Join("\n", long_));
    }

    [Fact]
    public void No_AsyncLocal_in_the_module()
    {
        var found = SourceFiles().Where(f => StripCommentsAndStrings(File.ReadAllText(f)).Contains("AsyncLocal", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(SourceRoot, f)).ToList();
        Assert.True(found.Count == 0, "AsyncLocal in: " + string.Join(", ", found));
    }

    private static Dictionary<string, HashSet<string>> FolderUses()
    {
        var folders = Folders();
        var uses = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var file in SourceFiles())
        {
            var folder = FolderOf(file);
            if (folder is null)
            {
                continue;
            }

            foreach (var used in UsesIn(file, folders))
            {
                if (used != folder)
                {
                    uses[folder].Add(used);
                }
            }
        }

        return uses;
    }

    private static IEnumerable<string> Witnesses(string from, string to) =>
        SourceFiles().Where(f => FolderOf(f) == from && UsesIn(f, Folders()).Contains(to)).Take(2).Select(f => Path.GetRelativePath(SourceRoot, f));

    private static HashSet<string> UsesIn(string file, IReadOnlyCollection<string> folders)
    {
        var text = StripCommentsAndStrings(File.ReadAllText(file));
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in QualifiedName().Matches(text))
        {
            found.Add(m.Groups[1].Value);
        }

        foreach (var folder in folders)
        {
            if (Regex.IsMatch(text, @"(?<![\w.])" + folder + @"\.[A-Z]\w*"))
            {
                found.Add(folder);
            }
        }

        found.IntersectWith(folders);
        return found;
    }

    private static string StripCommentsAndStrings(string text) => CommentOrString().Replace(text, " ");

    private static string[] Folders() =>
        Directory.GetDirectories(SourceRoot).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj" or "en-US")).Select(n => n!).ToArray();

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    private static string? FolderOf(string file)
    {
        var relative = Path.GetRelativePath(SourceRoot, file);
        var separator = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return separator < 0 ? null : relative.Substring(0, separator);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LarkPS.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LarkPS.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bLarkPS\.(\w+)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|\$?""(?:\\.|[^""\\\n])*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
