using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>Rows for issue 25, reading back: history, one message, read receipts, resources (LARK-API.md, Reading back).</summary>
/// <remarks>
/// From Lark's documents of these four APIs as LARK-API.md gathers them. UNCONFIRMED there: the code for an unknown
/// message_id (230001 here, as the other message operations answer), and the HTTP status of the 2340xx codes (any
/// status matches; 234002 is documented as HTTP 401).
/// </remarks>
internal static partial class LarkCodeTable
{
    private const int ReadNotSenderCode = 230012;
    private const int ReadWindowPassedCode = 230033;
    private const int MessageInvisibleCode = 230050;
    private const int ThreadInvisibleCode = 230073;
    private const int ResourceInvalidParam = 234001;
    private const int ResourceUnauthorized = 234002;
    private const int ResourceNotInMessageCode = 234003;
    private const int ResourceAppNotInChat = 234004;
    private const int ResourceExternalChat = 234009;
    private const int ResourceScopeCheck = 234019;
    private const int ResourceTooLargeCode = 234037;
    private const int ResourceRestrictedCode = 234038;
    private const int ResourceInvisible = 234040;
    private const int ResourceKeyDeleted = 234041;
    private const int ResourceStorageError = 234042;
    private const int ResourceUnsupportedCode = 234043;

    private const string ReadScopesFix =
        "The app needs im:message (or im:message:readonly; history also im:message.history:readonly, read receipts im:message:basic), and im:message.group_msg for group chats' history: " +
        "grant them under Permissions & Scopes in the developer console and publish a new app version. An external chat also needs external sharing enabled for the app.";

    private const string ResourceScopeFix =
        "The app needs the scope im:resource to download messages' images and files: grant it under Permissions & Scopes in the developer console and publish a new app version.";

    private const string AddBotFix =
        "Add the bot to the chat (chat settings > Group bots > Add bot): Lark shows a bot only the chats it is in.";

    private const string MessageIdFix =
        "Check the MessageId (om_…): pipe Send-LarkMessage's or Get-LarkMessage's output, or take message_id from an event.";

    private static LarkCode[] HistoryRows() => new[]
    {
        // History (GET im/v1/messages) and one message (GET im/v1/messages/{id}).
        Row(UnknownCode, null, LarkOperation.ListMessages, "refused to list the messages", RetryKind.Never, ErrorIds.HistoryFailed, ErrorCategory.InvalidOperation, ReadScopesFix),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.ListMessages, "refused a parameter of the history request (the chat or thread id, the time range, the page token)", RetryKind.Never, ErrorIds.HistoryFailed, ErrorCategory.InvalidArgument,
            "Check -ChatId (oc_… or the exact name of a chat the bot is in) or -ThreadId (omt_…), and that -After is before -Before; Lark's msg above names the field."),
        Row(LarkErrorCodes.BotNotInChat, 400, LarkOperation.ListMessages, "refused: the bot is not in the chat", RetryKind.Never, ErrorIds.BotNotInChat, ErrorCategory.PermissionDenied, AddBotFix),
        Row(LarkErrorCodes.MissingPermission, 400, LarkOperation.ListMessages, "refused: the app may not read this chat's messages", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, ReadScopesFix),
        Row(ThreadInvisibleCode, 400, LarkOperation.ListMessages, "refused: the thread is not visible to the bot", RetryKind.Never, ErrorIds.ThreadNotVisible, ErrorCategory.PermissionDenied,
            "The bot can read a thread only in a chat it is in, and only while the thread is visible to it: add the bot to the chat, or check the ThreadId (omt_…)."),
        Row(MessageDeletedCode, 400, LarkOperation.ListMessages, "refused: the message was deleted", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound, "The thread's root is gone: there is nothing to list."),
        Row(UnknownCode, null, LarkOperation.GetMessage, "refused to get the message", RetryKind.Never, ErrorIds.HistoryFailed, ErrorCategory.InvalidOperation, ReadScopesFix),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.GetMessage, "refused the message id (no message the bot can see has it)", RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, MessageIdFix),
        Row(LarkErrorCodes.BotNotInChat, 400, LarkOperation.GetMessage, "refused: the bot is not in the message's chat", RetryKind.Never, ErrorIds.BotNotInChat, ErrorCategory.PermissionDenied, AddBotFix),
        Row(LarkErrorCodes.MissingPermission, 400, LarkOperation.GetMessage, "refused: the app may not read this message", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, ReadScopesFix),
        Row(MessageInvisibleCode, 400, LarkOperation.GetMessage, "refused: the message is not visible to the bot", RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.PermissionDenied,
            "The message was sent before the bot joined the chat, or in a chat the bot cannot see: Lark shows the bot only what it could see."),
        Row(MessageDeletedCode, 400, LarkOperation.GetMessage, "refused: the message was deleted", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound, "The message is gone."),

        // Read receipts: only the bot's own messages, within 7 days.
        Row(UnknownCode, null, LarkOperation.ReadUsers, "refused to list who read the message", RetryKind.Never, ErrorIds.ReadReceiptsFailed, ErrorCategory.InvalidOperation, ReadScopesFix),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.ReadUsers, "refused the message id or a parameter of the read-receipt request", RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, MessageIdFix),
        Row(LarkErrorCodes.BotNotInChat, 400, LarkOperation.ReadUsers, "refused: the bot is not in the message's chat", RetryKind.Never, ErrorIds.BotNotInChat, ErrorCategory.PermissionDenied, AddBotFix),
        Row(LarkErrorCodes.MissingPermission, 400, LarkOperation.ReadUsers, "refused: the app may not read receipts of this message (or the chat is external)", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, ReadScopesFix),
        Row(ReadNotSenderCode, 400, LarkOperation.ReadUsers, "refused: the bot did not send this message, and Lark shows read receipts only to the sender", RetryKind.Never, ErrorIds.NotMessageSender, ErrorCategory.PermissionDenied,
            "Ask for readers of the bot's own messages only (pipe Send-LarkMessage's output, or Get-LarkMessage | Where-Object SenderType -eq 'app')."),
        Row(ReadWindowPassedCode, 400, LarkOperation.ReadUsers, "refused: the message is more than 7 days old, and Lark keeps read receipts for 7 days", RetryKind.Never, ErrorIds.ReadWindowPassed, ErrorCategory.InvalidOperation,
            "Read receipts exist for 7 days after sending: ask sooner (a script can poll Get-LarkMessageReader after each alert), or keep the readers it found."),
        Row(MessageDeletedCode, 400, LarkOperation.ReadUsers, "refused: the message was recalled or deleted", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound, "The message is gone, and its read receipts with it."),
        Row(LarkErrorCodes.UserOutsideVisibleRange, 400, LarkOperation.ReadUsers, "refused: a reader is outside the app's availability range", RetryKind.Never, ErrorIds.ReceiverOutsideVisibleRange, ErrorCategory.PermissionDenied,
            "A reader is outside the app's availability range: " + VisibleRangeFix),

        // Resources: an HTTP error status with Lark's JSON body (read even though bytes were asked for).
        Row(UnknownCode, null, LarkOperation.DownloadResource, "refused to send the resource", RetryKind.Never, ErrorIds.ResourceFailed, ErrorCategory.InvalidOperation, ResourceScopeFix),
        Row(LarkErrorCodes.MissingScope, null, LarkOperation.DownloadResource, "refused: the app lacks the scope to download resources", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, ResourceScopeFix),
        Row(LarkErrorCodes.MissingPermission, null, LarkOperation.DownloadResource, "refused: the app lacks the permission to download resources", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, ResourceScopeFix),
        Row(MessageDeletedCode, null, LarkOperation.DownloadResource, "refused: the message was recalled or deleted", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound, "The message is gone, and its files with it."),
        Row(ResourceInvalidParam, null, LarkOperation.DownloadResource, "refused a parameter of the download (the message id, the key or its type)", RetryKind.Never, ErrorIds.ResourceFailed, ErrorCategory.InvalidArgument,
            MessageIdFix + " Images are downloaded with type image, files, audio and video with type file (Save-LarkMessageResource picks it from the message)."),
        Row(ResourceUnauthorized, 401, LarkOperation.DownloadResource, "refused the download as unauthorized", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, ResourceScopeFix),
        Row(ResourceNotInMessageCode, null, LarkOperation.DownloadResource, "refused: the file is not in this message", RetryKind.Never, ErrorIds.ResourceNotInMessage, ErrorCategory.ObjectNotFound,
            "A key downloads only with the message that carries it: pipe the message itself (Get-LarkMessage) rather than a key from elsewhere."),
        Row(ResourceAppNotInChat, null, LarkOperation.DownloadResource, "refused: the bot is not in the message's chat", RetryKind.Never, ErrorIds.BotNotInChat, ErrorCategory.PermissionDenied, AddBotFix),
        Row(ResourceExternalChat, null, LarkOperation.DownloadResource, "refused: resources of external chats cannot be downloaded", RetryKind.Never, ErrorIds.ResourceRestricted, ErrorCategory.PermissionDenied,
            "Lark does not give apps the files of external chats; save them from the Lark client instead."),
        Row(ResourceScopeCheck, null, LarkOperation.DownloadResource, "could not check the app's scopes", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError,
            "Lark kept failing its scope check after every retry: run the command again later; if it lasts, check im:resource and give Lark support the log id."),
        Row(ResourceTooLargeCode, null, LarkOperation.DownloadResource, "refused: the file is over 100 MB, the most an app may download", RetryKind.Never, ErrorIds.ResourceTooLarge, ErrorCategory.LimitsExceeded,
            "Lark lets apps download files of at most 100 MB: save this one from the Lark client."),
        Row(ResourceRestrictedCode, null, LarkOperation.DownloadResource, "refused: the message is confidential or the chat forbids copying", RetryKind.Never, ErrorIds.ResourceRestricted, ErrorCategory.PermissionDenied,
            "The chat's owner or the tenant's administrator restricts downloads here (confidential messages, anti-leak chats): ask them, or leave the message out."),
        Row(ResourceInvisible, null, LarkOperation.DownloadResource, "refused: the message is not visible to the bot", RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.PermissionDenied,
            "The message is not visible to the bot (sent before it joined, or in a chat it cannot see)."),
        Row(ResourceKeyDeleted, null, LarkOperation.DownloadResource, "refused: the tenant's master key was deleted", RetryKind.Never, ErrorIds.ResourceRestricted, ErrorCategory.PermissionDenied,
            "The tenant's encryption key for this file was deleted: nobody can download it; ask the administrator."),
        Row(ResourceStorageError, null, LarkOperation.DownloadResource, "had a storage error (hybrid deployment)", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError, RetryLaterFix),
        Row(ResourceUnsupportedCode, null, LarkOperation.DownloadResource, "refused: this kind of message has no downloadable resources (merged forwards, cards)", RetryKind.Never, ErrorIds.ResourceUnsupported, ErrorCategory.InvalidOperation,
            "Lark gives no files of merged forwards, their sub-messages or cards: open the original messages instead."),
    };
}
