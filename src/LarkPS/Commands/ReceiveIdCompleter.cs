using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>Tab completion of -ReceiveId: the names of the bot's chats from the connection's cached list, completing to their ids.</summary>
public sealed class ReceiveIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
    {
        var chats = ConnectionStore.Current is { Kind: LarkConnectionKind.App } connection ? connection.Chats.LastRead : null;
        if (chats is null)
        {
            yield break;
        }

        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (var chat in chats.Where(c => c.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase) || c.ChatId.StartsWith(word, StringComparison.Ordinal))
                                  .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
        {
            yield return new CompletionResult(chat.ChatId, chat.Name, CompletionResultType.ParameterValue, chat.Name + " (" + chat.ChatId + ")");
        }
    }
}
