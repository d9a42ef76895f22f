using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Session;
using LarkPS.Uploads;

namespace LarkPS.Commands.Support;

/// <summary>
/// Chat names where chat ids are asked for: with receiveType chat (or chat_id), a receiveId that is not an oc_ id is
/// the exact name of one of the bot's chats. One match sends; none or several is an error that lists the candidates.
/// </summary>
internal static class ChatNameReceivers
{
    /// <summary>Stands in for a chat that is looked up only when sending (Test-LarkMessage, -WhatIf without a cached list).</summary>
    public const string PlaceholderChatId = "oc_00000000000000000000000000000000";

    /// <summary>True when <paramref name="input"/> names its chat by name; <paramref name="name"/> is the name.</summary>
    public static bool IsChatName(MessageInput input, out string name)
    {
        name = input?.ReceiveId?.Trim() ?? string.Empty;
        var type = ReceiveTypes.Normalize(input?.ReceiveType);
        // An id of another kind (ou_…, on_…) or an e-mail address is a mistake the validator explains, not a name.
        return (type == ReceiveTypes.Chat || type == ReceiveTypes.ChatId)
            && name.Length > 0
            && !name.StartsWith("oc_", StringComparison.Ordinal)
            && !name.StartsWith("ou_", StringComparison.Ordinal)
            && !name.StartsWith("on_", StringComparison.Ordinal)
            && !(name.IndexOf('@') > 0 && name.IndexOf(' ') < 0);
    }

    /// <summary>Sets the input's receiveId to the one chat called <paramref name="name"/>; otherwise the error naming the candidates.</summary>
    public static ErrorRecord? Resolve(MessageInput input, string name, IReadOnlyList<LarkChat> chats, object? target, string description)
    {
        var (matches, candidates) = ChatNames.Find(chats, name);
        if (matches.Count == 1)
        {
            input.ReceiveId = matches[0].ChatId;
            return null;
        }

        if (matches.Count > 1)
        {
            return ErrorRecords.WithFix(
                new ArgumentException($"{description}: {matches.Count} of the bot's chats are named '{name}': {ChatNames.List(matches)}."),
                ErrorIds.ChatNameAmbiguous, ErrorCategory.InvalidArgument, target,
                "Send to one of them by its chat_id (oc_…); Get-LarkChat -Name '" + name + "' lists them. The item was not sent.");
        }

        var near = candidates.Count == 0 ? "No chat of the bot has a similar name." : "Similar names: " + ChatNames.List(candidates) + ".";
        return ErrorRecords.WithFix(
            new ArgumentException($"{description}: the bot is in no chat named '{name}' (names must match exactly). {near}"),
            ErrorIds.ChatNotFound, ErrorCategory.ObjectNotFound, target,
            "Check the name with Get-LarkChat (or Get-LarkChat -Force after adding the bot to the chat), or give the chat_id (oc_…). The item was not sent.");
    }

    /// <summary>
    /// Resolves a chat name without a request (-WhatIf, Test-LarkMessage): from the connection's cached list if there is
    /// one, else the name is left to the send (a placeholder chat_id stands in) and a verbose line says so.
    /// False when the cached list has none or several chats of that name (the error is written).
    /// </summary>
    public static bool ResolveOffline(MessageInput input, string name, LarkConnection? connection, object? target, string description, Action<ErrorRecord> writeError, Action<string> writeVerbose)
    {
        var chats = connection?.Chats.LastRead;
        if (chats is null)
        {
            writeVerbose($"{description}: the chat named '{name}' is looked up when sending (no chat list is cached yet: Get-LarkChat reads one).");
            input.ReceiveId = PlaceholderChatId;
            return true;
        }

        if (Resolve(input, name, chats, target, description) is { } error)
        {
            writeError(error);
            return false;
        }

        return true;
    }

    /// <summary>Writes why listing the chats was retried, on the pipeline thread.</summary>
    public static void WriteRetries(LarkConnection connection, Action<string> writeVerbose)
    {
        while (connection.Chats.RetryReasons.TryDequeue(out var reason))
        {
            writeVerbose("Listing chats: " + reason);
        }
    }

    /// <summary>Uploads the item's files (once per content on the connection), fills in their keys, then sends.</summary>
    public static async Task<SentMessage> SendWithUploadsAsync(LarkConnection connection, OutgoingMessage message, ItemUploads uploads, string givenReceiveId, Pacing.PacingTicket ticket, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in uploads.Files)
        {
            keys[file.Key] = await connection.Uploads.GetKeyAsync(file.Value, cancellationToken).ConfigureAwait(false);
        }

        var filled = new OutgoingMessage(
            message.ReceiveType, message.ReceiveIdType, message.ReceiveId, message.MsgType, System.Text.Encoding.UTF8.GetBytes(ItemUploads.Fill(message.Content, keys)), message.Uuid, message.PhoneToResolve);
        return await connection.Sender.SendAsync(filled, givenReceiveId, ticket, cancellationToken).ConfigureAwait(false);
    }
}
