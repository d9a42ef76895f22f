namespace LarkPS.HelpGen;

/// <summary>
/// What is wrong with the help sources, as MSBuild reads errors (<c>file(line): error HELP: text</c>), so a build
/// names the file and line to fix. One run reports every problem, not only the first.
/// </summary>
internal sealed class HelpProblems
{
    private readonly List<string> _messages = new();

    public string File { get; set; } = string.Empty;

    public int Count => _messages.Count;

    public IReadOnlyList<string> Messages => _messages;

    public void Add(int line, string message) => _messages.Add($"{File}({line}): error HELP: {message}");

    public void Add(string message) => _messages.Add($"{File}: error HELP: {message}");
}
