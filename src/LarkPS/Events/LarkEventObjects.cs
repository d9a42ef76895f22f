using System;
using System.Collections;
using LarkPS.Messages;

namespace LarkPS.Events;

/// <summary>A message a user sent to the bot (im.message.receive_v1), as Receive-LarkEvent writes it.</summary>
public sealed class LarkMessageEvent : IReplyTarget
{
    internal LarkMessageEvent()
    {
    }

    /// <summary>Lark's event_id: the same for every re-push of one event.</summary>
    public string? EventId { get; internal set; }

    /// <summary>im.message.receive_v1.</summary>
    public string EventType { get; internal set; } = EventTypes.MessageReceive;

    /// <summary>The message (om_…): replies, reactions and look-ups act on it.</summary>
    public string? MessageId { get; internal set; }

    /// <summary>The chat it was sent in (oc_…); for a p2p message, the user's chat with the bot.</summary>
    public string? ChatId { get; internal set; }

    /// <summary>p2p or group.</summary>
    public string? ChatType { get; internal set; }

    /// <summary>The sender's open_id (ou_…).</summary>
    public string? SenderId { get; internal set; }

    /// <summary>user (or app, for a bot).</summary>
    public string? SenderType { get; internal set; }

    /// <summary>Lark's message_type: text, post, image, file, interactive, …</summary>
    public string? MessageType { get; internal set; }

    /// <summary>The plain text of a text or post message, mentions shown as @Name; null for other types.</summary>
    public string? Text { get; internal set; }

    /// <summary>The content, parsed from Lark's JSON string (a text message: @{ text = '@_user_1 hello' }).</summary>
    public Hashtable? Content { get; internal set; }

    /// <summary>The users the message mentions.</summary>
    public LarkMention[] Mentions { get; internal set; } = Array.Empty<LarkMention>();

    /// <summary>When the user sent it.</summary>
    public DateTimeOffset? CreateTime { get; internal set; }

    /// <summary>The first message of its reply chain, for a reply.</summary>
    public string? RootId { get; internal set; }

    /// <summary>The message it replies to, for a reply.</summary>
    public string? ParentId { get; internal set; }

    /// <summary>The thread it was posted in (omt_…), if any.</summary>
    public string? ThreadId { get; internal set; }

    /// <summary>The tenant the sender belongs to.</summary>
    public string? TenantKey { get; internal set; }

    /// <summary>What a reply answers: this message. Piped into Send-LarkMessage, the event is a reply to it.</summary>
    public string? ReplyTo => MessageId;

    /// <summary>When LarkPS received it.</summary>
    public DateTimeOffset ReceivedAt { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => MessageId + ": " + (Text ?? MessageType);
}

/// <summary>One user mentioned in a received message.</summary>
public sealed class LarkMention
{
    internal LarkMention()
    {
    }

    /// <summary>The placeholder in the text, @_user_1.</summary>
    public string? Key { get; internal set; }

    /// <summary>The mentioned user's open_id.</summary>
    public string? OpenId { get; internal set; }

    /// <summary>The mentioned user's name.</summary>
    public string? Name { get; internal set; }

    /// <summary>The mentioned user's union_id.</summary>
    public string? UnionId { get; internal set; }

    /// <summary>The mentioned user's user_id (with the contact:user.employee_id:readonly scope).</summary>
    public string? UserId { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => "@" + Name;
}

/// <summary>A click or form submission on a card the app sent (card.action.trigger).</summary>
public sealed class LarkCardActionEvent : IReplyTarget
{
    internal LarkCardActionEvent()
    {
    }

    /// <summary>Lark's event_id.</summary>
    public string? EventId { get; internal set; }

    /// <summary>card.action.trigger.</summary>
    public string EventType { get; internal set; } = EventTypes.CardAction;

    /// <summary>The card's message (om_…): Set-LarkMessage updates that card.</summary>
    public string? MessageId { get; internal set; }

    /// <summary>The chat the card is in.</summary>
    public string? ChatId { get; internal set; }

    /// <summary>Who clicked: their open_id.</summary>
    public string? OperatorId { get; internal set; }

    /// <summary>The button's callback value: a hashtable for an object (as Lark documents), else @{ value = … }.</summary>
    public Hashtable? Value { get; internal set; }

    /// <summary>A submitted form's fields by name.</summary>
    public Hashtable? FormValue { get; internal set; }

    /// <summary>An input component's text.</summary>
    public string? InputValue { get; internal set; }

    /// <summary>A select's chosen option.</summary>
    public string? Option { get; internal set; }

    /// <summary>The component: button, input, select_static, checker, …</summary>
    public string? Tag { get; internal set; }

    /// <summary>The component's name, where it has one.</summary>
    public string? Name { get; internal set; }

    /// <summary>The card's update token (30 min, two updates).</summary>
    public string? Token { get; internal set; }

    /// <summary>When Lark created the event.</summary>
    public DateTimeOffset? CreateTime { get; internal set; }

    /// <summary>The toast LarkPS gave Lark in the acknowledgement (Wait-LarkCardAction -Toast), if any.</summary>
    public string? AnsweredToast { get; internal set; }

    /// <summary>True where the acknowledgement carried a card that replaces the clicked one (Wait-LarkCardAction -Card).</summary>
    public bool AnsweredCard { get; internal set; }

    /// <summary>Piped into Send-LarkMessage, the action is a reply to its card.</summary>
    public string? ReplyTo => MessageId;

    /// <summary>When LarkPS received it.</summary>
    public DateTimeOffset ReceivedAt { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => MessageId + ": " + Tag + " by " + OperatorId;
}

/// <summary>Any other event the app subscribes to, as Lark sent it.</summary>
public sealed class LarkEvent
{
    internal LarkEvent()
    {
    }

    /// <summary>Lark's event_id.</summary>
    public string? EventId { get; internal set; }

    /// <summary>The event's type, e.g. im.chat.member.bot.added_v1.</summary>
    public string? EventType { get; internal set; }

    /// <summary>When Lark created the event.</summary>
    public DateTimeOffset? CreateTime { get; internal set; }

    /// <summary>The schema 2.0 header (event_id, event_type, create_time, token, app_id, tenant_key).</summary>
    public Hashtable? Header { get; internal set; }

    /// <summary>The event body.</summary>
    public Hashtable? Event { get; internal set; }

    /// <summary>When LarkPS received it.</summary>
    public DateTimeOffset ReceivedAt { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => EventType + " " + EventId;
}

/// <summary>The event types LarkPS gives a type of their own.</summary>
internal static class EventTypes
{
    public const string MessageReceive = "im.message.receive_v1";
    public const string CardAction = "card.action.trigger";
}
