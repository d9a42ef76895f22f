using System;
using System.Collections.Generic;

namespace LarkPS.Messages;

/// <summary>The contentType values LarkPS accepts: Lark's msg_type names.</summary>
internal static class ContentTypes
{
    public const string Text = "text";
    public const string Post = "post";
    public const string Image = "image";
    public const string Interactive = "interactive";
    public const string ShareChat = "share_chat";
    public const string ShareUser = "share_user";
    public const string Audio = "audio";
    public const string Media = "media";
    public const string File = "file";
    public const string Sticker = "sticker";

    /// <summary>Every accepted value, in the order error messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        Text, Post, Image, Interactive, ShareChat, ShareUser, Audio, Media, File, Sticker,
    };

    /// <summary>The canonical name for <paramref name="value"/> (trimmed, any case); null when unknown. Blank means text.</summary>
    public static string? Normalize(string? value) =>
        string.IsNullOrWhiteSpace(value) ? Text : NameLookup.Find(All, value!);

    /// <summary>"a text", "an interactive", "an image", "an audio": the article the message type's name takes.</summary>
    public static string WithArticle(string msgType) =>
        (msgType.Length > 0 && "aeiou".IndexOf(char.ToLowerInvariant(msgType[0])) >= 0 ? "an " : "a ") + msgType;
}

/// <summary>The receiveType values LarkPS accepts: the seed's four and Lark's receive_id_type names.</summary>
internal static class ReceiveTypes
{
    public const string User = "user";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Chat = "chat";
    public const string OpenId = "open_id";
    public const string UnionId = "union_id";
    public const string UserId = "user_id";
    public const string ChatId = "chat_id";

    /// <summary>Every accepted value, in the order error messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        User, Email, Phone, Chat, OpenId, UnionId, UserId, ChatId,
    };

    /// <summary>The canonical name for <paramref name="value"/> (trimmed, any case); null when unknown. Blank means user.</summary>
    public static string? Normalize(string? value) =>
        string.IsNullOrWhiteSpace(value) ? User : NameLookup.Find(All, value!);

    /// <summary>Lark's receive_id_type for a normalized receiveType; a phone is sent to its resolved open_id.</summary>
    public static string ToReceiveIdType(string receiveType) => receiveType switch
    {
        User or OpenId or Phone => ReceiveIdTypes.OpenId,
        Email => ReceiveIdTypes.Email,
        Chat or ChatId => ReceiveIdTypes.ChatId,
        UnionId => ReceiveIdTypes.UnionId,
        UserId => ReceiveIdTypes.UserId,
        _ => throw new ArgumentOutOfRangeException(nameof(receiveType), receiveType, "Not a normalized receiveType."),
    };
}

/// <summary>Lark's receive_id_type query values for sending a message.</summary>
internal static class ReceiveIdTypes
{
    public const string OpenId = "open_id";
    public const string UnionId = "union_id";
    public const string UserId = "user_id";
    public const string Email = "email";
    public const string ChatId = "chat_id";
}

/// <summary>Lark's documented size and length limits for sending a message.</summary>
internal static class MessageLimits
{
    /// <summary>Request body limit for text and every type other than post and interactive: 150 KB.</summary>
    public const int TextBodyBytes = 150 * 1024;

    /// <summary>Request body limit for post and interactive (card) messages: 30 KB.</summary>
    public const int CardBodyBytes = 30 * 1024;

    /// <summary>The longest uuid Lark accepts, in characters.</summary>
    public const int UuidMaxLength = 50;

    /// <summary>The request body limit, in UTF-8 bytes, for a msg_type.</summary>
    public static int MaxBodyBytes(string msgType) =>
        msgType is ContentTypes.Post or ContentTypes.Interactive ? CardBodyBytes : TextBodyBytes;
}

/// <summary>Case-insensitive lookup of a user's spelling in a list of canonical names.</summary>
internal static class NameLookup
{
    public static string? Find(IReadOnlyList<string> names, string value)
    {
        var trimmed = value.Trim();
        foreach (var name in names)
        {
            if (string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }
}
