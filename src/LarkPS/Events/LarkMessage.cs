using System;
using System.Collections;
using LarkPS.Messages;

namespace LarkPS.Events;

/// <summary>
/// A message read back from a chat's or thread's history (Get-LarkMessage, issue 25): the same parts as a
/// <see cref="LarkMessageEvent"/> (sender, type, text, parsed content, mentions, times), plus whether it was recalled
/// or edited. Piped into Send-LarkMessage it is a reply to itself; into Save-LarkMessageResource its files are saved.
/// </summary>
public sealed class LarkMessage : IReplyTarget
{
    internal LarkMessage()
    {
    }

    /// <summary>The message (om_…).</summary>
    public string? MessageId { get; internal set; }

    /// <summary>The chat it was sent in (oc_…).</summary>
    public string? ChatId { get; internal set; }

    /// <summary>The thread it is in (omt_…), for a thread's root and its replies.</summary>
    public string? ThreadId { get; internal set; }

    /// <summary>The first message of its reply chain, for a reply.</summary>
    public string? RootId { get; internal set; }

    /// <summary>The message it replies to, for a reply.</summary>
    public string? ParentId { get; internal set; }

    /// <summary>The merged forward it belongs to, for a sub-message of one.</summary>
    public string? UpperMessageId { get; internal set; }

    /// <summary>The sender's id: an open_id (ou_…) for a user, the app id (cli_…) for a bot.</summary>
    public string? SenderId { get; internal set; }

    /// <summary>open_id, union_id, user_id or app_id: what <see cref="SenderId"/> is.</summary>
    public string? SenderIdType { get; internal set; }

    /// <summary>user, app, anonymous or unknown.</summary>
    public string? SenderType { get; internal set; }

    /// <summary>The tenant the sender belongs to.</summary>
    public string? TenantKey { get; internal set; }

    /// <summary>Lark's msg_type: text, post, image, file, interactive, …</summary>
    public string? MessageType { get; internal set; }

    /// <summary>The plain text of a text or post message, mentions shown as @Name; null for other types and recalled messages.</summary>
    public string? Text { get; internal set; }

    /// <summary>The content, parsed from Lark's JSON string (an image: @{ image_key = 'img_…' }); null where it is not JSON.</summary>
    public Hashtable? Content { get; internal set; }

    /// <summary>body.content as Lark sent it (a recalled message's is the plain text "This message was recalled").</summary>
    public string? RawContent { get; internal set; }

    /// <summary>The users the message mentions.</summary>
    public LarkMention[] Mentions { get; internal set; } = Array.Empty<LarkMention>();

    /// <summary>When it was sent.</summary>
    public DateTimeOffset? CreateTime { get; internal set; }

    /// <summary>When it was last changed (edited, card updated, recalled); the create time otherwise.</summary>
    public DateTimeOffset? UpdateTime { get; internal set; }

    /// <summary>True for a recalled or deleted message.</summary>
    public bool Deleted { get; internal set; }

    /// <summary>True for an edited message or an updated card.</summary>
    public bool Updated { get; internal set; }

    /// <summary>What a reply answers: this message.</summary>
    public string? ReplyTo => MessageId;

    /// <inheritdoc />
    public override string ToString() => MessageId + ": " + (Text ?? MessageType);
}
