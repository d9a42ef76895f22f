// The help generator, run by src/LarkPS/LarkPS.csproj after every build (target GenerateModuleHelp):
//   LarkPS.HelpGen --docs docs/help --manifest LarkPS.psd1 --out out/LarkPS --formats LarkPS.Format.ps1xml
// reads docs/help/<Cmdlet>.md (platyPS's layout) and docs/help/about_LarkPS.md, and writes
//   out/LarkPS/en-US/LarkPS.dll-Help.xml   the MAML Get-Help reads
//   out/LarkPS/en-US/about_LarkPS.help.txt Get-Help about_LarkPS
//   out/LarkPS/LarkPS.psd1                 the manifest, exporting the cmdlets that have markdown
// A problem in the markdown fails the build with its file and line. docs/help/README.md has the layout.
using LarkPS.HelpGen;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

if (!options.TryGetValue("--docs", out var docs) || !options.TryGetValue("--manifest", out var manifest) || !options.TryGetValue("--out", out var output))
{
    Console.Error.WriteLine("usage: LarkPS.HelpGen --docs <docs/help> --manifest <LarkPS.psd1> --out <out/LarkPS> [--formats a.ps1xml,b.ps1xml]");
    return 2;
}

var formats = options.TryGetValue("--formats", out var f) ? f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
var problems = new HelpProblems();
var commands = new List<CommandHelp>();
foreach (var path in Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal))
{
    var file = Path.GetFileName(path);
    if (file == "README.md" || file.StartsWith("about_", StringComparison.Ordinal))
    {
        continue;
    }

    problems.File = Path.GetFullPath(path);
    if (CommandHelpReader.Read(problems.File, problems) is { } command)
    {
        commands.Add(command);
    }
}

if (commands.Count == 0)
{
    problems.File = Path.GetFullPath(docs);
    problems.Add("no cmdlet markdown (<Verb-Noun>.md) found");
}

var maml = MamlWriter.Write(commands, problems);
var abouts = Directory.GetFiles(docs, "about_*.md").Order(StringComparer.Ordinal)
    .Select(path => (Name: Path.GetFileNameWithoutExtension(path), Text: AboutTopicWriter.Write(Path.GetFullPath(path), commands, problems)))
    .ToList();
var psd1 = ManifestWriter.Write(Path.GetFullPath(manifest), commands, formats, problems);

if (problems.Count > 0)
{
    foreach (var message in problems.Messages)
    {
        Console.Error.WriteLine(message);
    }

    Console.Error.WriteLine($"LarkPS.HelpGen: {problems.Count} problem(s) in the help sources; nothing was written. See docs/help/README.md.");
    return 1;
}

var help = Path.Combine(output, "en-US");
Directory.CreateDirectory(help);
var utf8 = new System.Text.UTF8Encoding(false);
File.WriteAllText(Path.Combine(help, "LarkPS.dll-Help.xml"), maml, utf8);
foreach (var about in abouts)
{
    File.WriteAllText(Path.Combine(help, about.Name + ".help.txt"), about.Text, utf8);
}

File.WriteAllText(Path.Combine(output, "LarkPS.psd1"), psd1, utf8);
Console.WriteLine($"LarkPS.HelpGen: help for {commands.Count} cmdlets and {abouts.Count} about topic(s) written to {Path.GetFullPath(output)}.");
return 0;
