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

    // Issue 22: markdown sent as a post, and its title.
    Markdown,
    Title,
}

/// <summary>
/// The property names read into a <see cref="MessageInput"/>, as people write them: compared after
/// <see cref="NormalizeName"/> (any case; spaces, dashes, underscores and dots ignored), so the seed's camelCase, Lark's
/// snake_case, PowerShell's PascalCase and a spreadsheet's "E-Mail Address" all match.
/// </summary>
internal static class MessageInputFields
{
    private static readonly Dictionary<string, MessageInputField> Names = Build();

    /// <summary>
    /// THE table of receiver columns (issue 26): every name people's data has for a receiver, with the receiveType it
    /// implies, in the order help lists them. Send-LarkMessage, Test-LarkMessage and Get-LarkUser all read it, and
    /// docs/help-tables/receiver-columns.md and about_LarkPS show it (a unit test keeps them the same). Not here on
    /// purpose: user_id / UserId (Lark's user_id is an id type of its own, and other systems' "user id" columns are
    /// not Lark ids: give receiveType user_id), and a bare Group (a directory group is not a Lark chat).
    /// </summary>
    public static IReadOnlyList<(string Name, string ReceiveType)> ReceiverAliases { get; } = new[]
    {
        ("OpenId", ReceiveTypes.User), ("Open ID", ReceiveTypes.User), ("Lark Open ID", ReceiveTypes.User), ("Feishu Open ID", ReceiveTypes.User),

        ("Email", ReceiveTypes.Email), ("E-Mail", ReceiveTypes.Email), ("Mail", ReceiveTypes.Email),
        ("Email Address", ReceiveTypes.Email), ("E-Mail Address", ReceiveTypes.Email), ("Mail Address", ReceiveTypes.Email),
        ("Work Email", ReceiveTypes.Email), ("Business Email", ReceiveTypes.Email), ("Primary Email", ReceiveTypes.Email),
        ("UserPrincipalName", ReceiveTypes.Email), ("UPN", ReceiveTypes.Email),
        // Headers of Feishu's own exports and Chinese spreadsheets: mailbox, e-mail, mail address.
        ("邮箱", ReceiveTypes.Email), ("电子邮箱", ReceiveTypes.Email), ("邮件地址", ReceiveTypes.Email),

        ("Phone", ReceiveTypes.Phone), ("Mobile", ReceiveTypes.Phone), ("Mobile Phone", ReceiveTypes.Phone),
        ("Phone Number", ReceiveTypes.Phone), ("Mobile Number", ReceiveTypes.Phone), ("Phone No", ReceiveTypes.Phone), ("Mobile No", ReceiveTypes.Phone),
        ("Cell", ReceiveTypes.Phone), ("Cell Phone", ReceiveTypes.Phone), ("Cell Number", ReceiveTypes.Phone),
        ("Telephone", ReceiveTypes.Phone), ("Telephone Number", ReceiveTypes.Phone), ("Tel", ReceiveTypes.Phone),
        ("Work Phone", ReceiveTypes.Phone), ("Business Phone", ReceiveTypes.Phone),
        // Mobile, mobile number, telephone, telephone number.
        ("手机", ReceiveTypes.Phone), ("手机号", ReceiveTypes.Phone), ("手机号码", ReceiveTypes.Phone),
        ("电话", ReceiveTypes.Phone), ("电话号码", ReceiveTypes.Phone),

        ("ChatId", ReceiveTypes.Chat), ("Chat", ReceiveTypes.Chat), ("Chat Name", ReceiveTypes.Chat), ("Group Chat", ReceiveTypes.Chat),
        ("群聊", ReceiveTypes.Chat), // group chat
    };

    // After ReceiverAliases: static fields are initialized in the order they are written.
    private static readonly Dictionary<string, string> ReceiverNames = BuildReceiverNames();

    /// <summary>
    /// A property name as compared: lower case (invariant), without spaces, dashes, underscores, dots and a byte order
    /// mark (a CSV read with the wrong encoding keeps one on its first header). "E-Mail Address" is "emailaddress".
    /// </summary>
    public static string NormalizeName(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        var builder = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.' or '\uFEFF' || char.IsWhiteSpace(c))
            {
                continue;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>The receiveType a column's name implies (Email → email, Mobile Phone → phone…); null for any other name.</summary>
    public static string? FindReceiver(string name) =>
        ReceiverNames.TryGetValue(NormalizeName(name), out var type) ? type : null;

    /// <summary>Whether a property of this name gives the receiver: receiveId, or a receiver column (Email, Phone…).</summary>
    public static bool NamesReceiver(string name) =>
        FindReceiver(name) is not null || Find(name) == MessageInputField.ReceiveId;

    /// <summary>Whether a property of this name gives the content: content, text, markdown, or a local file to send.</summary>
    public static bool NamesContent(string name) => Find(name) is MessageInputField.Content or MessageInputField.Text or MessageInputField.Markdown
        or MessageInputField.ImagePath or MessageInputField.FilePath or MessageInputField.Path or MessageInputField.LiteralPath;

    /// <summary>The field a property name feeds; null for a name LarkPS ignores (a CSV row's other columns).</summary>
    public static MessageInputField? Find(string name) =>
        Names.TryGetValue(NormalizeName(name), out var field) ? field : null;

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
        MessageInputField.Markdown => "markdown",
        MessageInputField.Title => "title",
        _ => "text",
    };

    private static Dictionary<string, MessageInputField> Build()
    {
        var names = new Dictionary<string, MessageInputField>(StringComparer.Ordinal);
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

        // Issue 22: markdown, sent as a post; its title is read only beside an item's own markdown (a directory
        // object's Title, a job title, is no post title).
        Add(names, MessageInputField.Markdown, "markdown", "md");
        Add(names, MessageInputField.Title, "title");
        return names;
    }

    private static Dictionary<string, string> BuildReceiverNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, type) in ReceiverAliases)
        {
            var key = NormalizeName(name);
            if (Names.ContainsKey(key))
            {
                throw new InvalidOperationException("The receiver column '" + name + "' is also a message field's name.");
            }

            // Two spellings of one name ("Email", "E-Mail") share a key: the first is kept; they must agree.
            if (names.TryGetValue(key, out var earlier) && earlier != type)
            {
                throw new InvalidOperationException("The receiver column '" + name + "' is listed for two receive types.");
            }

            names[key] = type;
        }

        return names;
    }

    // Spellings that normalize alike (receive_id, receiveId) are one key.
    private static void Add(Dictionary<string, MessageInputField> names, MessageInputField field, params string[] spellings)
    {
        foreach (var spelling in spellings)
        {
            names[NormalizeName(spelling)] = field;
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
            case MessageInputField.Markdown: Input.Markdown = (string)value; break;
            case MessageInputField.Title: Input.Title = (string)value; break;
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
        var problem = new ValidationProblem(
            MessageInputFields.SeedName(field), "is " + (actualKind is "object" or "array" ? "an " : "a ") + actualKind,
            field == MessageInputField.ReceiveId && actualKind == "array"
                ? "a string: one receiver per item (one item per receiver, or -ReceiveId a,b for the same message to several)"
                : "a string",
            actualKind);
        if (field == MessageInputField.Title)
        {
            // A title matters only beside the item's markdown: the item path decides then.
            Input.TitleProblem = problem;
            return;
        }

        Input.ReadProblems.Add(problem);
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
        MessageInputField.Markdown => Input.Markdown,
        MessageInputField.Title => Input.Title,
        _ => Input.Text,
    };
}
