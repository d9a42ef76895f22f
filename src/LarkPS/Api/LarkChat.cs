namespace LarkPS.Api;

/// <summary>
/// A group chat the app's bot is in, as GET im/v1/chats lists it. ReceiveType and ReceiveId let it bind by
/// property name to Send-LarkMessage, which then sends into the chat.
/// </summary>
public sealed class LarkChat
{
    internal LarkChat(string chatId, string name, string description, string? ownerId, string? ownerIdType, bool external, string chatStatus, string? tenantKey)
    {
        ChatId = chatId;
        Name = name;
        Description = description;
        OwnerId = ownerId;
        OwnerIdType = ownerIdType;
        External = external;
        ChatStatus = chatStatus;
        TenantKey = tenantKey;
    }

    /// <summary>The chat_id (oc_…).</summary>
    public string ChatId { get; }

    public string Name { get; }

    public string Description { get; }

    /// <summary>The owner's id, of the kind <see cref="OwnerIdType"/> says (open_id).</summary>
    public string? OwnerId { get; }

    public string? OwnerIdType { get; }

    /// <summary>True for a chat shared with another tenant.</summary>
    public bool External { get; }

    /// <summary>normal, dissolved or dissolved_save.</summary>
    public string ChatStatus { get; }

    public string? TenantKey { get; }

    /// <summary>Always chat: piped into Send-LarkMessage, this chat is the receiver.</summary>
#pragma warning disable CA1822 // PowerShell binds instance properties by name; a static one would not bind.
    public string ReceiveType => "chat";
#pragma warning restore CA1822

    /// <summary>The chat_id again, under the name Send-LarkMessage binds.</summary>
    public string ReceiveId => ChatId;

    /// <inheritdoc />
    public override string ToString() => Name + " (" + ChatId + ")";
}
