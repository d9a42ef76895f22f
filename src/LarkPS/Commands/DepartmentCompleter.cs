using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using LarkPS.Api;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>Tab completion of -Department: the names (and paths) of the departments the app sees, quoted where needed.</summary>
public sealed class DepartmentCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Wait = CachedList<LarkDepartment>.CompletionWait;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var tree = Tree(fakeBoundParameters);
        if (tree is null)
        {
            return Array.Empty<CompletionResult>();
        }

        var word = ChatCompletion.Unquote(wordToComplete);
        var shared = new HashSet<string>(tree.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key), StringComparer.OrdinalIgnoreCase);

        // A name given once completes as the name; a name several departments share completes as each one's path
        // (what -Department resolves unambiguously). A word with '/' is a path's start: it completes paths.
        var byPath = word.IndexOf('/') >= 0;
        return tree
            .Where(d => byPath ? d.Path.StartsWith(word, StringComparison.OrdinalIgnoreCase) : d.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(d => (Text: byPath || shared.Contains(d.Name) ? d.Path : d.Name, Department: d))
            .GroupBy(c => c.Text, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(c => c.Text, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(ChatCompletion.Quote(c.Text), c.Text, CompletionResultType.ParameterValue, c.Department.Path + " (" + c.Department.OpenDepartmentId + ")"))
            .ToList();
    }

    // The tree while fresh, else one shared read waited for at most two seconds (Tab must feel instant; a failed read is
    // not repeated on every Tab); null without an app connection or before a read came back.
    private static IReadOnlyList<LarkDepartment>? Tree(IDictionary fakeBoundParameters)
    {
        var connection = ChatCompletion.Bound(fakeBoundParameters, "Connection") as LarkConnection ?? ConnectionStore.Current;
        return connection is { Kind: LarkConnectionKind.App, IsClosed: false } ? connection.Departments.ForCompletion(Wait) : null;
    }
}
