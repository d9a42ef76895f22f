using System;
using System.Collections.Generic;

namespace LarkPS.Messages;

/// <summary>One field of a <see cref="MessageInput"/>.</summary>
internal enum MessageInputField
{
    ReceiveType,
    ReceiveId,
    ContentType,
    Content,
    Uuid,
    Text,

    // Issue 11: a local file sent as the content (uploaded first).
    ImagePath,
    FilePath,
    Path,
    LiteralPath,
    ReplyTo,
    ReplyInThread,
}

/// <summary>
/// The property names read into a <see cref="MessageInput"/>, case-insensitive: the seed's camelCase, Lark's snake_case,
/// and the PascalCase a PowerShell parameter would have.
/// </summary>
internal static class MessageInputFields
{
    private static readonly Dictionary<string, MessageInputField> Names = Build();

    /// <summary>The column names that hold a receiver of a known receiveType, as help and README list them.</summary>
    public static IReadOnlyList<(string Name, string ReceiveType)> ReceiverAliases { get; } = new[]
    {
        ("Email", ReceiveTypes.Email), ("Mail", ReceiveTypes.Email), ("EmailAddress", ReceiveTypes.Email), ("UserPrincipalName", ReceiveTypes.Email),
        ("Phone", ReceiveTypes.Phone), ("Mobile", ReceiveTypes.Phone), ("MobilePhone", ReceiveTypes.Phone), ("PhoneNumber", ReceiveTypes.Phone),
        ("ChatId", ReceiveTypes.Chat), ("chat_id", ReceiveTypes.Chat),
        ("OpenId", ReceiveTypes.User), ("open_id", ReceiveTypes.User),
    };

    // After ReceiverAliases: static fields are initialized in the order they are written.
    private static readonly Dictionary<string, string> ReceiverNames = BuildReceiverNames();

    /// <summary>The receiveType a column's name implies (Email → email, Mobile → phone…); null for any other name.</summary>
    public static string? FindReceiver(string name) =>
        ReceiverNames.TryGetValue(name.Trim(), out var type) ? type : null;

    /// <summary>The field a property name feeds; null for a name LarkPS ignores (a CSV row's other columns).</summary>
    public static MessageInputField? Find(string name) =>
        Names.TryGetValue(name.Trim(), out var field) ? field : null;

    /// <summary>The seed's name for a field, used in problems.</summary>
    public static string SeedName(MessageInputField field) => field switch
    {
        MessageInputField.ReceiveType => "receiveType",
        MessageInputField.ReceiveId => "receiveId",
        MessageInputField.ContentType => "contentType",
        MessageInputField.Content => "content",
        MessageInputField.Uuid => "uuid",
        MessageInputField.ImagePath => "imagePath",
        MessageInputField.FilePath => "filePath",
        MessageInputField.Path => "path",
        MessageInputField.LiteralPath => "literalPath",
        MessageInputField.ReplyTo => "replyTo",
        MessageInputField.ReplyInThread => "replyInThread",
        _ => "text",
    };

    private static Dictionary<string, MessageInputField> Build()
    {
        var names = new Dictionary<string, MessageInputField>(StringComparer.OrdinalIgnoreCase);
        Add(names, MessageInputField.ReceiveType, "receiveType", "receive_type", "receive_id_type", "receiveIdType");
        Add(names, MessageInputField.ReceiveId, "receiveId", "receive_id", "receiverId", "receiver_id");
        Add(names, MessageInputField.ContentType, "contentType", "content_type", "msg_type", "msgType", "messageType", "message_type");
        Add(names, MessageInputField.Content, "content");
        Add(names, MessageInputField.Uuid, "uuid");
        // The names people's data already has for the text of a message (a CSV's Message column).
        Add(names, MessageInputField.Text, "text", "message", "body");

        // Issue 11: local files (a FileInfo piped from Get-ChildItem carries PSPath, a literal provider path).
        Add(names, MessageInputField.ImagePath, "imagePath", "image_path");
        Add(names, MessageInputField.FilePath, "filePath", "file_path");
        Add(names, MessageInputField.Path, "path");
        Add(names, MessageInputField.LiteralPath, "literalPath", "literal_path", "PSPath");

        // A reply (issue 12): the message it answers, by the seed's, Lark's and Send-LarkMessage's output's names.
        Add(names, MessageInputField.ReplyTo, "replyTo", "reply_to", "parentId", "parent_id");
        Add(names, MessageInputField.ReplyInThread, "replyInThread", "reply_in_thread");
        return names;
    }

    private static Dictionary<string, string> BuildReceiverNames()
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, type) in ReceiverAliases)
        {
            names.Add(name, type);
        }

        return names;
    }

    private static void Add(Dictionary<string, MessageInputField> names, MessageInputField field, params string[] spellings)
    {
        foreach (var spelling in spellings)
        {
            names.Add(spelling, field);
        }
    }
}

/// <summary>Fills a <see cref="MessageInput"/> from named values, noting a field given twice with different values.</summary>
internal sealed class MessageInputBuilder
{
    private readonly Dictionary<MessageInputField, string> _sources = new();

    public MessageInput Input { get; } = new();

    /// <summary>Sets a field's value read from the property <paramref name="sourceName"/>; a null value sets nothing.</summary>
    public void Set(MessageInputField field, string sourceName, object? value)
    {
        if (value is null)
        {
            return;
        }

        if (_sources.TryGetValue(field, out var earlier))
        {
            if (!Equals(Get(field), value))
            {
                Input.ReadProblems.Add(new ValidationProblem(
                    MessageInputFields.SeedName(field),
                    "is given twice with different values, as '" + earlier + "' and '" + sourceName + "'",
                    "one value",
                    "conflict"));
            }

            return;
        }

        _sources[field] = sourceName;
        switch (field)
        {
            case MessageInputField.ReceiveType: Input.ReceiveType = (string)value; break;
            case MessageInputField.ReceiveId: Input.ReceiveId = (string)value; break;
            case MessageInputField.ContentType: Input.ContentType = (string)value; break;
            case MessageInputField.Content: Input.Content = value; break;
            case MessageInputField.Uuid: Input.Uuid = (string)value; break;
            case MessageInputField.ImagePath: Input.Files.ImagePath = (string)value; break;
            case MessageInputField.FilePath: Input.Files.FilePath = (string)value; break;
            case MessageInputField.Path: Input.Files.Path = (string)value; break;
            case MessageInputField.LiteralPath: Input.Files.LiteralPath = (string)value; break;
            case MessageInputField.ReplyTo: Input.ReplyTo = (string)value; break;
            case MessageInputField.ReplyInThread: Input.ReplyInThread = (string)value; break;
            default: Input.Text = (string)value; break;
        }
    }

    /// <summary>Notes a receiver read from a column whose name implies its receiveType (Email, Phone, ChatId…).</summary>
    public void AddReceiver(string receiveType, string sourceName, string value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            Input.ReceiverColumns.Add(new ReceiverColumn(receiveType, sourceName, value));
        }
    }

    /// <summary>Notes that a field's value is of a kind it cannot take (an object for a receiveId…).</summary>
    public void WrongKind(MessageInputField field, string actualKind)
    {
        Input.ReadProblems.Add(new ValidationProblem(
            MessageInputFields.SeedName(field), "is " + (actualKind is "object" or "array" ? "an " : "a ") + actualKind, "a string", actualKind));
    }

    private object? Get(MessageInputField field) => field switch
    {
        MessageInputField.ReceiveType => Input.ReceiveType,
        MessageInputField.ReceiveId => Input.ReceiveId,
        MessageInputField.ContentType => Input.ContentType,
        MessageInputField.Content => Input.Content,
        MessageInputField.Uuid => Input.Uuid,
        MessageInputField.ImagePath => Input.Files.ImagePath,
        MessageInputField.FilePath => Input.Files.FilePath,
        MessageInputField.Path => Input.Files.Path,
        MessageInputField.LiteralPath => Input.Files.LiteralPath,
        MessageInputField.ReplyTo => Input.ReplyTo,
        MessageInputField.ReplyInThread => Input.ReplyInThread,
        _ => Input.Text,
    };
}
