using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Get-LarkChat: the group chats the bot is in (every page of GET im/v1/chats), filtered by -Name (wildcards, as
/// Get-Process -Name) or -ChatId. The list is cached on the connection for five minutes; -Force reads it again.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LarkChat", DefaultParameterSetName = NameSet)]
[OutputType(typeof(LarkChat))]
public sealed class GetLarkChatCommand : LarkCmdlet
{
    public const string NameSet = "Name";
    public const string IdSet = "ChatId";

    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private bool _refreshed;

    /// <summary>Chat names; wildcards (* ? [ ]) match as in Get-Process -Name, case-insensitively. Default: every chat.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ChatNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Chat ids (oc_…) to return, if the bot is in them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("chat_id")]
    [ValidateNotNullOrEmpty]
    public string[]? ChatId { get; set; }

    /// <summary>Read the list from Lark now instead of using the connection's cached copy.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        var connection = RequireAppConnection(Connection, "lists the bot's chats (GET /open-apis/im/v1/chats)");
        IReadOnlyList<LarkChat> chats;
        try
        {
            // -Force refreshes once per run, not once per piped name.
            chats = RunAsync(connection, ct => connection.Chats.GetAsync(Force && !_refreshed, ct));
            _refreshed = true;
        }
        catch (LarkApiException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                ex, ex.Row.ErrorId, ex.Row.Category, null, ex.Row.Fix + (ex.LogId is null ? string.Empty : " (log id " + ex.LogId + ")"),
                "Could not list the bot's chats: " + ex.Message));
            return;
        }
        finally
        {
            WriteRetries(connection);
        }

        WriteVerbose($"The bot is in {chats.Count} chats (cached for {ChatDirectory.CacheLifetime.TotalMinutes} minutes; -Force reads them again).");
        if (ParameterSetName == IdSet)
        {
            foreach (var id in ChatId!)
            {
                var chat = chats.FirstOrDefault(c => string.Equals(c.ChatId, id.Trim(), StringComparison.Ordinal));
                if (chat is null)
                {
                    WriteError(ErrorRecords.WithFix(
                        new ItemNotFoundException($"The bot is in no chat with the id '{id}'."), ErrorIds.ChatNotFound, ErrorCategory.ObjectNotFound, id,
                        "Check the id, add the bot to the chat (chat settings > Group bots), or run Get-LarkChat -Force if it was added a moment ago."));
                    continue;
                }

                Write(chat);
            }

            return;
        }

        if (Name is null)
        {
            foreach (var chat in chats)
            {
                Write(chat);
            }

            return;
        }

        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var matched = chats.Where(c => pattern.IsMatch(c.Name)).ToList();
            if (matched.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                var candidates = ChatNames.Find(chats, name).Candidates;
                WriteError(ErrorRecords.WithFix(
                    new ItemNotFoundException($"The bot is in no chat named '{name}'." + (candidates.Count == 0 ? string.Empty : " Similar names: " + ChatNames.List(candidates) + ".")),
                    ErrorIds.ChatNotFound, ErrorCategory.ObjectNotFound, name,
                    "Check the name (Get-LarkChat with no -Name lists every chat), add the bot to the chat, or use -Force after adding it."));
                continue;
            }

            foreach (var chat in matched)
            {
                Write(chat);
            }
        }
    }

    private void Write(LarkChat chat)
    {
        // Several names may match one chat: write it once.
        if (_written.Add(chat.ChatId))
        {
            WriteObject(chat);
        }
    }

    private void WriteRetries(LarkConnection connection)
    {
        foreach (var reason in Drain(connection.Chats))
        {
            WriteVerbose("Listing chats: " + reason);
        }
    }

    private static IEnumerable<string> Drain(ChatDirectory chats)
    {
        while (chats.RetryReasons.TryDequeue(out var reason))
        {
            yield return reason;
        }
    }
}
