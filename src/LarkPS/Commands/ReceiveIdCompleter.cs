using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Tab completion of -ReceiveId, following -ReceiveType (issue 26): with -ReceiveType chat the names of the bot's
/// chats (quoted where they need it); with chat_id, or no -ReceiveType, their ids (oc_…) listed by name; with a
/// person's receiveType (user, email, phone…) nothing, since the module keeps no list of people. The chats come
/// from the connection: read once (at most <see cref="ChatDirectory.CompletionWait"/> waited), then its cache.
/// </summary>
public sealed class ReceiveIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var receiveType = ChatCompletion.Bound(fakeBoundParameters, "ReceiveType") as string;
        var normalized = string.IsNullOrWhiteSpace(receiveType) ? null : ReceiveTypes.Normalize(receiveType);
        if (normalized is not (null or ReceiveTypes.Chat or ReceiveTypes.ChatId))
        {
            return Array.Empty<CompletionResult>();
        }

        var chats = ChatCompletion.Chats(fakeBoundParameters);
        if (chats is null)
        {
            return Array.Empty<CompletionResult>();
        }

        var word = ChatCompletion.Unquote(wordToComplete);
        var matching = chats
            .Where(c => c.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase) || c.ChatId.StartsWith(word, StringComparison.Ordinal))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.ChatId, StringComparer.Ordinal)
            .ToList();

        // A name is a receiver only with -ReceiveType chat, and only when one chat has it: else the id.
        var shared = new HashSet<string>(chats.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key), StringComparer.Ordinal);
        return matching.Select(c => normalized == ReceiveTypes.Chat && c.Name.Length > 0 && !shared.Contains(c.Name)
            ? new CompletionResult(ChatCompletion.Quote(c.Name), c.Name, CompletionResultType.ParameterValue, c.Name + " (" + c.ChatId + ")")
            : new CompletionResult(c.ChatId, c.Name.Length > 0 ? c.Name : c.ChatId, CompletionResultType.ParameterValue, c.Name + " (" + c.ChatId + ")")).ToList();
    }
}

/// <summary>Tab completion of Get-LarkChat -Name: the bot's chats' names, quoted and wildcard-escaped where they need it.</summary>
public sealed class ChatNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var chats = ChatCompletion.Chats(fakeBoundParameters);
        if (chats is null)
        {
            return Array.Empty<CompletionResult>();
        }

        var word = ChatCompletion.Unquote(wordToComplete);
        return chats
            .Where(c => c.Name.Length > 0 && c.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(c => c.Name)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
            .Select(n => new CompletionResult(ChatCompletion.Quote(WildcardPattern.Escape(n)), n, CompletionResultType.ParameterValue, n))
            .ToList();
    }
}

/// <summary>What the chat completers share: the connection's chats, and quoting as PowerShell reads arguments.</summary>
internal static class ChatCompletion
{
    /// <summary>The chats of -Connection, else this session's app connection (read for completion, bounded); null without one.</summary>
    public static IReadOnlyList<LarkChat>? Chats(IDictionary fakeBoundParameters)
    {
        var connection = Bound(fakeBoundParameters, "Connection") as LarkConnection ?? ConnectionStore.Current;
        return connection is { Kind: LarkConnectionKind.App, IsClosed: false } ? connection.Chats.ForCompletion(ChatDirectory.CompletionWait) : null;
    }

    /// <summary>A parameter typed so far, unwrapped from PowerShell; null when absent.</summary>
    public static object? Bound(IDictionary? fakeBoundParameters, string name)
    {
        var value = fakeBoundParameters is not null && fakeBoundParameters.Contains(name) ? fakeBoundParameters[name] : null;
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }

    /// <summary>The word typed, without the quote it may open with (and close).</summary>
    public static string Unquote(string? word)
    {
        var text = word ?? string.Empty;
        return text.Trim('\'', '"', '\u2018', '\u2019', '\u201C', '\u201D');
    }

    /// <summary>
    /// <paramref name="text"/> as one argument: as it is when PowerShell reads it so (letters, digits, - _ . not
    /// first -), else in single quotes with the quotes inside doubled ('Ops alerts', 'Bob''s team').
    /// </summary>
    public static string Quote(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var bare = text.Length > 0 && text[0] != '-' && text.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.');
        return bare ? text : "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
    }
}
