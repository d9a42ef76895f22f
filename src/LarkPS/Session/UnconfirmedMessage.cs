using System;

namespace LarkPS.Session;

/// <summary>Why a message of a Send-LarkMessage run has no confirmation from Lark.</summary>
public enum UnconfirmedStatus
{
    /// <summary>No attempt was sent: the run stopped (Ctrl+C, -ErrorAction Stop) before this message's turn. Lark has not received it.</summary>
    NotStarted,

    /// <summary>At least one attempt was sent and no final answer came back: Lark may have delivered it.</summary>
    MayHaveArrived,
}

/// <summary>
/// One message a Send-LarkMessage run did not get Lark's confirmation for, in (Get-LarkConnection).LastDelivery.UnconfirmedItems.
/// Pipe it to Send-LarkMessage to send it again: it carries its receiver, content and uuid, and Lark delivers one message
/// per uuid within an hour, so what did arrive is not delivered twice.
/// </summary>
public sealed class UnconfirmedMessage
{
    internal UnconfirmedMessage(string item, UnconfirmedStatus status, string receiveType, string receiveId, string contentType, string content, string? uuid, object? inputObject, string? reason)
    {
        Item = item ?? throw new ArgumentNullException(nameof(item));
        Status = status;
        ReceiveType = receiveType ?? throw new ArgumentNullException(nameof(receiveType));
        ReceiveId = receiveId ?? throw new ArgumentNullException(nameof(receiveId));
        ContentType = contentType ?? throw new ArgumentNullException(nameof(contentType));
        Content = content ?? throw new ArgumentNullException(nameof(content));
        Uuid = uuid;
        InputObject = inputObject;
        Reason = reason;
    }

    /// <summary>"item 46 (email bob@example.com)": the message's place in the run's input.</summary>
    public string Item { get; }

    /// <summary>NotStarted (Lark has not received it) or MayHaveArrived (an attempt was sent; Lark did not confirm it).</summary>
    public UnconfirmedStatus Status { get; }

    /// <summary>The receiveType it was sent with (user, email, phone, chat, or Lark's id types).</summary>
    public string ReceiveType { get; }

    /// <summary>The receiveId as given (for phone, the number as given); empty on a webhook connection.</summary>
    public string ReceiveId { get; }

    /// <summary>Lark's msg_type.</summary>
    public string ContentType { get; }

    /// <summary>The content exactly as it was sent: its serialized JSON.</summary>
    public string Content { get; }

    /// <summary>The uuid every attempt carried: sent again with it, Lark delivers it at most once. Null on a webhook connection (a hook has no uuid).</summary>
    public string? Uuid { get; }

    /// <summary>The input item as given to Send-LarkMessage (the row, hashtable or object).</summary>
    public object? InputObject { get; }

    /// <summary>Why it is unconfirmed, in words.</summary>
    public string? Reason { get; }

    /// <inheritdoc />
    public override string ToString() => Item + " " + Status + (Uuid is null ? string.Empty : " uuid " + Uuid);
}
