using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>Rows for issue 12: reply, edit, card update, recall.</summary>
/// <remarks>
/// Confirmed in Lark's error tables: recall 230009 ("Message can only be recalled within one days."), 230026 ("No
/// permission to recall this message."); card update 230011 (recalled), 230020 (5 updates a second), 230031 (14 days).
/// From LARK-API.md, unconfirmed in Lark's published tables: edit 230071, 230072, 230075, and 230110 for a message
/// already recalled or deleted (public clients name it so for recall).
/// </remarks>
internal static partial class LarkCodeTable
{
    // The codes of these operations (LARK-API.md "Other message operations"); shared codes such as 230001 and
    // 230020 come from LarkErrorCodes and get operation-scoped rows here.
    private const int MessageRecalledCode = 230011;
    private const int RecallWindowPassedCode = 230009;
    private const int RecallNotOwnCode = 230026;
    private const int CardUpdateWindowPassedCode = 230031;
    private const int EditNotSenderCode = 230071;
    private const int EditLimitReachedCode = 230072;
    private const int EditWindowPassedCode = 230075;
    private const int MessageDeletedCode = 230110;

    private const string EditInsteadFix =
        "Send a new message instead (Send-LarkMessage), or answer the original with Send-LarkMessage -ReplyTo.";

    private const string CardSharedFix =
        "Lark updates a card only where the card as sent and the new card are shared: every card JSON 2.0 card is, a 1.0 card must declare config.update_multi:true. " +
        "Send alert cards with Send-LarkMessage -Updatable (which sets it) and update them with Set-LarkMessage -Content <card>; " +
        "a card sent without it cannot be made updatable: send a new card, or recall the old one with Remove-LarkMessage first.";

    private static LarkCode[] MessageOpRows() => new[]
    {
        // Reply: the send codes hold (rows for Any); these are the reply's own.
        Row(UnknownCode, null, LarkOperation.Reply, "refused to send the reply", RetryKind.Never, ErrorIds.SendFailed, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's error code list; if the cause is unclear, give Lark support the log id."),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.Reply, "refused a parameter of the reply (the message id to reply to, or the content)", RetryKind.Never, ErrorIds.InvalidMessage, ErrorCategory.InvalidData,
            "Check that -ReplyTo (replyTo) is the MessageId (om_…) of a message in a chat the bot is in, and the content with Test-LarkMessage -Detailed."),
        Row(MessageRecalledCode, 400, LarkOperation.Reply, "refused: the message to reply to was recalled", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound,
            "The message was recalled, so it takes no replies: send a new message to the chat instead."),

        // Edit (PUT): text and post only, the bot's own, at most 20 times, within the tenant's edit window.
        Row(UnknownCode, null, LarkOperation.Edit, "refused to edit the message", RetryKind.Never, ErrorIds.MessageChangeFailed, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's error code list; if the cause is unclear, give Lark support the log id."),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.Edit, "refused the edit (an unknown message id, a message that is not text or post, another type than the message has, or invalid content)", RetryKind.Never, ErrorIds.InvalidMessage, ErrorCategory.InvalidData,
            "Only text and post messages are edited, and keep their type: give -Text, or -Content with the message's -ContentType. A card is updated with -ContentType interactive (only if it was sent with -Updatable). Check the MessageId (om_…)."),
        Row(EditNotSenderCode, 400, LarkOperation.Edit, "refused: the bot did not send this message, and a bot can edit only its own", RetryKind.Never, ErrorIds.NotMessageSender, ErrorCategory.PermissionDenied,
            "Lark lets the bot edit only messages the bot itself sent. " + EditInsteadFix),
        Row(EditLimitReachedCode, 400, LarkOperation.Edit, "refused: the message was already edited 20 times, Lark's limit", RetryKind.Never, ErrorIds.EditLimitReached, ErrorCategory.LimitsExceeded,
            "A message can be edited at most 20 times. " + EditInsteadFix + " For a status that changes often, send a card with -Updatable: card updates have no count limit."),
        Row(EditWindowPassedCode, 400, LarkOperation.Edit, "refused: the message is older than the tenant's edit window", RetryKind.Never, ErrorIds.EditWindowPassed, ErrorCategory.InvalidOperation,
            "The tenant's administrator sets how long a message stays editable (Admin console > Security > message recall and edit). " + EditInsteadFix),
        Row(MessageDeletedCode, 400, LarkOperation.Edit, "refused: the message was recalled or deleted", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound,
            "The message is gone, so there is nothing to edit: send a new message instead."),
        Row(MessageRecalledCode, 400, LarkOperation.Edit, "refused: the message was recalled", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound,
            "The message is gone, so there is nothing to edit: send a new message instead."),

        // Card update (PATCH): shared cards only (config.update_multi:true before and after), 14 days, 5 a second per message.
        Row(UnknownCode, null, LarkOperation.UpdateCard, "refused to update the card", RetryKind.Never, ErrorIds.MessageChangeFailed, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's error code list; if the cause is unclear, give Lark support the log id."),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.UpdateCard, "refused the card update: the message is not a card, or the card as sent or the new one lacks config.update_multi:true (or the message id is unknown)", RetryKind.Never, ErrorIds.CardNotUpdatable, ErrorCategory.InvalidOperation,
            CardSharedFix + " Text and post messages are edited instead: -Text, or -ContentType text|post."),
        Row(CardUpdateWindowPassedCode, 400, LarkOperation.UpdateCard, "refused: the card was sent more than 14 days ago, and Lark updates cards for 14 days", RetryKind.Never, ErrorIds.CardUpdateWindowPassed, ErrorCategory.InvalidOperation,
            "Lark updates a card only within 14 days of sending it: send a new card (with -Updatable) instead."),
        Row(MessageRecalledCode, 400, LarkOperation.UpdateCard, "refused: the card was recalled", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound,
            "The card is gone, so there is nothing to update: send a new card instead."),
        Row(LarkErrorCodes.ReceiverFrequencyLimit, 400, LarkOperation.UpdateCard, "refused for the card's update limit (5 updates a second per message)", RetryKind.ReceiverQuota, ErrorIds.RateLimited, ErrorCategory.LimitsExceeded,
            "Lark kept refusing for this card's update limit (5 a second): update one card less often."),

        // Recall (DELETE): the bot's own messages, within the tenant's recall window.
        Row(UnknownCode, null, LarkOperation.Recall, "refused to recall the message", RetryKind.Never, ErrorIds.MessageChangeFailed, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's error code list; if the cause is unclear, give Lark support the log id."),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.Recall, "refused the message id (no message the bot can see has it)", RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound,
            "Check the MessageId (om_…): pipe Send-LarkMessage's output, or take message_id from Lark's answer or event."),
        Row(RecallNotOwnCode, 400, LarkOperation.Recall, "refused: the bot did not send this message, and a bot can recall only its own", RetryKind.Never, ErrorIds.NotMessageSender, ErrorCategory.PermissionDenied,
            "Lark lets the bot recall only messages the bot itself sent (a group owner or administrator can recall others' messages in the Lark client). Leave this message out."),
        Row(RecallWindowPassedCode, 400, LarkOperation.Recall, "refused: the message is older than the tenant's recall window", RetryKind.Never, ErrorIds.RecallWindowPassed, ErrorCategory.InvalidOperation,
            "The tenant's administrator sets how long a message can be recalled (24 hours unless changed; Admin console > Security > message recall and edit). Post a correction instead."),
        Row(MessageDeletedCode, 400, LarkOperation.Recall, "found the message already recalled or deleted", RetryKind.Never, ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound,
            "Nothing to do: the message is already gone."),
    };
}
