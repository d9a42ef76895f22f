using System;
using System.Collections.Generic;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Transports;
using LarkPS.Uploads;

namespace LarkPS.Commands.Support;

/// <summary>
/// The item path after reading, shared by Send-LarkMessage, its -WhatIf and Test-LarkMessage: local files become
/// content (checked, not uploaded), the receiver is resolved (a chat given by name), and the content is checked by
/// the connection's transport, which makes the request body once. Test is this same preparation without a send.
/// </summary>
internal sealed class ItemPreparer
{
    private readonly IMessageTransport _transport;
    private readonly ChatNameLookup _chats;
    private readonly Func<string, bool, string> _resolvePath;
    private readonly bool _sending;
    private readonly ItemAuthoring _authoring;

    /// <param name="transport">The connection's transport; with no connection, <see cref="OfflineTransport"/>.</param>
    /// <param name="chats">Where chat names are looked up (the bot's chat list, or only a cached one).</param>
    /// <param name="resolvePath">PowerShell's path resolution (relative paths, PSDrives, wildcards matching one file).</param>
    /// <param name="sending">True for Send-LarkMessage (a file a transport cannot upload is its own error); false for a check.</param>
    /// <param name="authoring">Markdown and the run's -Mention written into each item's content; null for neither.</param>
    public ItemPreparer(IMessageTransport transport, ChatNameLookup chats, Func<string, bool, string> resolvePath, bool sending, ItemAuthoring? authoring = null)
    {
        _authoring = authoring ?? ItemAuthoring.None;
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _chats = chats ?? throw new ArgumentNullException(nameof(chats));
        _resolvePath = resolvePath ?? throw new ArgumentNullException(nameof(resolvePath));
        _sending = sending;
    }

    /// <summary>The transport whose rules apply.</summary>
    public IMessageTransport Transport => _transport;

    /// <summary>Prepares one item; <paramref name="uuidIfNone"/> is the uuid its body is written with where it has none.</summary>
    public PreparedItem Prepare(InputItem item, string? uuidIfNone)
    {
        var input = item.Input;

        // Markdown becomes its post and mentions are written in, so files, the receiver and the one validator all
        // see the content that is sent.
        _authoring.Apply(input);
        ItemUploads? uploads = null;
        if (!_transport.CanUpload)
        {
            // What cannot be uploaded is refused before anything else: the fix is another connection, not the item.
            if (_sending && LocalFileRules.RefuseOnWebhook(input, item.Target, item.Description) is { } refused)
            {
                return PreparedItem.Refused(item, refused);
            }

            if (LocalFileRules.ProblemOnWebhook(input) is { } cannotUpload)
            {
                input.ReadProblems.Add(cannotUpload);
            }
        }
        else
        {
            uploads = ApplyLocalFiles(input);
        }

        string? resolvedWhenSent = null;
        if (_transport.HasOpenApi && ChatNameReceivers.IsChatName(input, out var name))
        {
            var resolution = _chats.Resolve(item, name);
            if (resolution.Error is { } error)
            {
                if (_sending)
                {
                    return PreparedItem.Refused(item, error);
                }

                // A check reports it as the item's problem, in the words a send would use.
                input.ReadProblems.Add(new ValidationProblem("receiveId", ChatNameReceivers.Reason(error, item.Description), "the exact name of one of the bot's chats, or its chat_id (oc_…)", "string"));
                input.ReceiveId = ChatNameReceivers.PlaceholderChatId;
            }

            resolvedWhenSent = resolution.ResolvedWhenSent;
        }

        var prepared = ItemIsolation.Prepare(input, uuidIfNone, _transport.Prepare);
        return new PreparedItem(item, prepared, uploads, resolvedWhenSent, null);
    }

    // Local files become content with placeholder keys (checked offline, uploaded in the send); problems land in the
    // input's ReadProblems, so the one validator reports them with the item.
    private ItemUploads? ApplyLocalFiles(MessageInput input)
    {
        try
        {
            return AttachmentInputs.Apply(input, _resolvePath);
        }
        catch (Exception ex) when (ItemIsolation.IsItemFailure(ex))
        {
            // A file that cannot be read (no permission, locked, a device) fails its item only.
            input.ReadProblems.Add(new ValidationProblem("path", "could not be read: " + ex.Message, "a file this session can read"));
            return null;
        }
    }
}

/// <summary>One item after preparation: ready to send, or the one error that says why not.</summary>
internal sealed class PreparedItem
{
    public PreparedItem(InputItem item, PreparedMessage? message, ItemUploads? uploads, string? resolvedWhenSent, System.Management.Automation.ErrorRecord? refusal)
    {
        Item = item;
        Message = message;
        Uploads = uploads;
        ResolvedWhenSent = resolvedWhenSent;
        Refusal = refusal;
    }

    public InputItem Item { get; }

    /// <summary>The transport's verdict and body; null when the item was refused before its content was checked.</summary>
    public PreparedMessage? Message { get; }

    /// <summary>Local files to upload before the send (their keys fill the content's placeholders); null for none.</summary>
    public ItemUploads? Uploads { get; }

    /// <summary>A chat name left for the send to look up (no connection to look it up now); null when resolved.</summary>
    public string? ResolvedWhenSent { get; }

    /// <summary>An error that is not the content's (a file a hook cannot upload, a chat name that matches no chat).</summary>
    public System.Management.Automation.ErrorRecord? Refusal { get; }

    public bool IsValid => Refusal is null && Message is { IsValid: true };

    public static PreparedItem Refused(InputItem item, System.Management.Automation.ErrorRecord refusal) => new(item, null, null, null, refusal);
}

/// <summary>
/// Where chat names are looked up: the bot's chat list through the connection (read-only, paced, cached), or, with no
/// connection to ask, only a list read earlier, else the name is left for the send ("resolved when sent").
/// </summary>
internal sealed class ChatNameLookup
{
    private readonly Func<IReadOnlyList<LarkChat>>? _list;
    private readonly IReadOnlyList<LarkChat>? _cached;
    private readonly Action<string> _writeVerbose;
    private readonly Func<Exception, InputItem, string, System.Management.Automation.ErrorRecord> _listFailed;

    private ChatNameLookup(Func<IReadOnlyList<LarkChat>>? list, IReadOnlyList<LarkChat>? cached, Action<string> writeVerbose, Func<Exception, InputItem, string, System.Management.Automation.ErrorRecord>? listFailed)
    {
        _list = list;
        _cached = cached;
        _writeVerbose = writeVerbose;
        _listFailed = listFailed ?? ((ex, item, name) => SendErrors.For(ex, item.Target, item.Description + " (listing the bot's chats to find '" + name + "')"));
    }

    /// <summary>Names are looked up in the bot's chats, listed once through the connection (its cache serves the rest).</summary>
    public static ChatNameLookup Online(Func<IReadOnlyList<LarkChat>> list, Action<string> writeVerbose) => new(list, null, writeVerbose, null);

    /// <summary>No connection to ask: only a list read earlier, else the name is resolved when sent.</summary>
    public static ChatNameLookup Offline(IReadOnlyList<LarkChat>? cached, Action<string> writeVerbose) => new(null, cached, writeVerbose, null);

    public ChatNameResolution Resolve(InputItem item, string name)
    {
        IReadOnlyList<LarkChat>? chats = _cached;
        if (_list is not null)
        {
            try
            {
                chats = _list();
            }
            catch (LarkApiException ex)
            {
                return new ChatNameResolution(_listFailed(ex, item, name), null);
            }
        }

        if (chats is null)
        {
            _writeVerbose($"{item.Description}: the chat named '{name}' is resolved when sent (not connected, so no chat list can be read now).");
            item.Input.ReceiveId = ChatNameReceivers.PlaceholderChatId;
            return new ChatNameResolution(null, name);
        }

        return new ChatNameResolution(ChatNameReceivers.Resolve(item.Input, name, chats, item.Target, item.Description), null);
    }
}

/// <summary>A chat name's fate: resolved (both null), refused (the error), or left for the send (the name).</summary>
internal readonly struct ChatNameResolution
{
    public ChatNameResolution(System.Management.Automation.ErrorRecord? error, string? resolvedWhenSent)
    {
        Error = error;
        ResolvedWhenSent = resolvedWhenSent;
    }

    public System.Management.Automation.ErrorRecord? Error { get; }

    public string? ResolvedWhenSent { get; }
}
