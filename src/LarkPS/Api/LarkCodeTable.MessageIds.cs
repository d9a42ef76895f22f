using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>Rows for a message id Lark cannot resolve, in every operation that takes one in its path.</summary>
/// <remarks>
/// Lark's gateway answers a message id it cannot map to a message (unknown, another tenant's, malformed) with HTTP 400
/// and code 99992354, "The request you send is not a valid {open_message_id} or not exists, please check the param
/// again", before the operation itself runs: public clients meet it on reply, card update, reactions and recall. It is
/// not in LARK-API.md, and some operations answer 230001 instead, so both are known (230001's rows are in the
/// operations' own tables).
/// </remarks>
internal static partial class LarkCodeTable
{
    private const int MessageIdNotExistCode = 99992354;

    private const string NoSuchMessage = "refused the message id: no message the bot can see has it (unknown, recalled long ago, another app's or tenant's, or mistyped)";

    private static LarkCode[] MessageIdRows() => new[]
    {
        Row(MessageIdNotExistCode, 400, LarkOperation.Reply, NoSuchMessage, RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound,
            "Check -ReplyTo (replyTo): it takes the MessageId (om_…) of a message in a chat the bot is in; pipe Send-LarkMessage's, Get-LarkMessage's or Receive-LarkEvent's output to reply to it."),
        Row(MessageIdNotExistCode, 400, LarkOperation.Edit, NoSuchMessage, RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, ChangeMessageIdFix),
        Row(MessageIdNotExistCode, 400, LarkOperation.UpdateCard, NoSuchMessage, RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, ChangeMessageIdFix),
        Row(MessageIdNotExistCode, 400, LarkOperation.Recall, NoSuchMessage, RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, ChangeMessageIdFix),
        Row(MessageIdNotExistCode, 400, LarkOperation.GetMessage, NoSuchMessage, RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, MessageIdFix),
        Row(MessageIdNotExistCode, 400, LarkOperation.ReadUsers, NoSuchMessage, RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, MessageIdFix),
        Row(MessageIdNotExistCode, 400, LarkOperation.DownloadResource, NoSuchMessage, RetryKind.Never, ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound, MessageIdFix),
    };

    private const string ChangeMessageIdFix =
        "Check the MessageId (om_…): pipe Send-LarkMessage's output (or Get-LarkMessage's, for the bot's own messages), or take message_id from Lark's answer or an event.";
}
