using System;

namespace LarkPS.Api;

/// <summary>One message Lark accepted: what Send-LarkMessage writes to the pipeline.</summary>
/// <remarks>
/// Piped back into Send-LarkMessage it is a reply to itself, as a received message is: read as a plain object, its
/// ReceiveId and Uuid would make a second send under the first one's uuid, which Lark answers with the first message
/// and delivers nothing.
/// </remarks>
public sealed class SentMessage : Messages.IReplyTarget
{
    internal SentMessage(string messageId, string? chatId, string receiveType, string receiveId, string contentType, string uuid, DateTimeOffset? createTime, string? logId)
    {
        MessageId = messageId;
        ChatId = chatId;
        ReceiveType = receiveType;
        ReceiveId = receiveId;
        ContentType = contentType;
        Uuid = uuid;
        CreateTime = createTime;
        LogId = logId;
    }

    /// <summary>Lark's message id (om_…), for reply, edit and recall.</summary>
    public string MessageId { get; }

    /// <summary>The chat the message landed in (oc_…); for a user, the bot's one-to-one chat.</summary>
    public string? ChatId { get; }

    /// <summary>The receiveType as given (user, email, phone, chat, or Lark's own id types).</summary>
    public string ReceiveType { get; }

    /// <summary>The receiveId as given (for phone, the number the user gave).</summary>
    public string ReceiveId { get; }

    /// <summary>Lark's msg_type.</summary>
    public string ContentType { get; }

    /// <summary>The idempotency key sent with every attempt of this message.</summary>
    public string Uuid { get; }

    /// <summary>When Lark created the message.</summary>
    public DateTimeOffset? CreateTime { get; }

    /// <summary>Lark's log id of the accepted request.</summary>
    public string? LogId { get; }

    /// <summary>The open_id a phone number resolved to, where the receiver was a phone number.</summary>
    public string? ResolvedOpenId { get; internal set; }

    /// <summary>For a reply: the message it answers (om_…).</summary>
    public string? ParentId { get; internal set; }

    /// <summary>For a reply: the first message of its reply chain.</summary>
    public string? RootId { get; internal set; }

    /// <summary>For a reply in a thread (-ReplyInThread, or an answer to a message in a thread): the thread (omt_…).</summary>
    public string? ThreadId { get; internal set; }

    /// <summary>How many HTTP attempts it took (1 unless retried).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>
    /// True when this run did not deliver it: an earlier run with the same -Journal did (not sent again), or Lark
    /// answered its uuid with the message an earlier send under that uuid had made (MessageId and CreateTime are that one's).
    /// </summary>
    public bool AlreadySent { get; internal set; }

    /// <summary>Piped into Send-LarkMessage, the message is the one the reply answers.</summary>
    string? Messages.IReplyTarget.ReplyTo => MessageId;

    /// <inheritdoc />
    public override string ToString() => MessageId;
}
