using System.Collections.Generic;

namespace LarkPS.Messages;

/// <summary>One message as a user described it (a seed JSON item, a hashtable, a CSV row), before validation.</summary>
internal sealed class MessageInput
{
    /// <summary>user (default), email, phone, chat, or Lark's open_id, union_id, user_id, chat_id.</summary>
    public string? ReceiveType { get; set; }

    /// <summary>The receiver: an open_id, chat_id, e-mail, phone number… as <see cref="ReceiveType"/> says.</summary>
    public string? ReceiveId { get; set; }

    /// <summary>Lark's msg_type: text (default), post, image, interactive, share_chat, share_user, audio, media, file, sticker.</summary>
    public string? ContentType { get; set; }

    /// <summary>
    /// The content: a JSON string, a dictionary or list of plain values, or (for text) a plain string or scalar.
    /// Already unwrapped from PowerShell (no PSObject inside).
    /// </summary>
    public object? Content { get; set; }

    /// <summary>The caller's own uuid for de-duplication (at most 50 characters); null to let the sender make one.</summary>
    public string? Uuid { get; set; }

    /// <summary>The -Text shortcut: the text of a text message, instead of <see cref="Content"/>.</summary>
    public string? Text { get; set; }

    /// <summary>
    /// Markdown sent as a post of md nodes (issue 22: -Markdown, an item's markdown or md property), instead of
    /// <see cref="Content"/>; the item path turns it into the post before validation.
    /// </summary>
    public string? Markdown { get; set; }

    /// <summary>The title of the post made from <see cref="Markdown"/> (-Title, or the item's title beside its markdown).</summary>
    public string? Title { get; set; }

    /// <summary>Why the item's title could not be read (an object, a list): a problem only when the item has markdown.</summary>
    public ValidationProblem? TitleProblem { get; set; }

    /// <summary>
    /// What the item path noticed that does not stop the send (a markdown construct Lark's post does not show, an
    /// e-mail mention looked up only when sent): Test-LarkMessage reports them, Send-LarkMessage warns of them.
    /// </summary>
    public IList<ValidationProblem> Notes { get; } = new List<ValidationProblem>();

    /// <summary>Local files sent as the content (issue 11): uploaded first, their key filled in. Empty for none.</summary>
    public LocalFilePaths Files { get; set; } = new();

    /// <summary>The message this one answers (om_…): a reply, which goes to that message's chat and has no receiver of its own.</summary>
    public string? ReplyTo { get; set; }

    /// <summary>"true" for a reply in a thread (Lark's reply_in_thread); read as text, like every field.</summary>
    public string? ReplyInThread { get; set; }

    /// <summary>Send a card shared, with config.update_multi:true, so it can be updated later (Send-LarkMessage -Updatable).</summary>
    public bool UpdateMulti { get; set; }

    /// <summary>Names the item in error messages, e.g. "item 3 (receiveId 'ou_…')"; null when nothing names it.</summary>
    public string? SourceDescription { get; set; }

    /// <summary>
    /// Receivers read from columns whose name tells the receiveType (Email, Phone, ChatId, OpenId…), in the item's
    /// order; <see cref="MessageDefaults"/> picks one by <see cref="ReceiverColumns"/>' rule when the item has no receiveId of its own.
    /// </summary>
    public IList<ReceiverColumn> ReceiverColumns { get; } = new List<ReceiverColumn>();

    /// <summary>
    /// Which receiver column was used and which were ignored, when the item had several (issue 26), for the cmdlet's
    /// verbose line; null otherwise.
    /// </summary>
    public string? ReceiverNote { get; set; }

    /// <summary>Every property or key name the item had (to say what it did have when Send needs something else); null for a seed body.</summary>
    public IList<string>? PropertyNames { get; set; }

    /// <summary>Problems found while reading the item (not an object, a field of the wrong kind); validation reports them.</summary>
    public IList<ValidationProblem> ReadProblems { get; } = new List<ValidationProblem>();

    /// <summary>Builds a <see cref="SourceDescription"/> from an item number (1-based) and a receive id.</summary>
    public static string? DescribeSource(int? itemNumber, string? receiveId)
    {
        var id = string.IsNullOrWhiteSpace(receiveId) ? null : "receiveId " + ValidationProblem.Quote(receiveId!.Trim());
        if (itemNumber is null)
        {
            return id;
        }

        var item = "item " + itemNumber.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return id is null ? item : item + " (" + id + ")";
    }
}

/// <summary>The paths of local files one item sends (imagePath, filePath, path, literalPath), as given.</summary>
internal sealed class LocalFilePaths
{
    public string? ImagePath { get; set; }

    public string? FilePath { get; set; }

    /// <summary>Sent as an image when its bytes are one, else as a file.</summary>
    public string? Path { get; set; }

    /// <summary>As <see cref="Path"/>, taken literally (no wildcards): PSPath of a piped FileInfo.</summary>
    public string? LiteralPath { get; set; }

    public bool IsEmpty => Blank(ImagePath) && Blank(FilePath) && Blank(Path) && Blank(LiteralPath);

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}

/// <summary>A receiver read from a column whose name says its receiveType: Email → email, Phone → phone…</summary>
internal sealed class ReceiverColumn
{
    public ReceiverColumn(string receiveType, string column, string value)
    {
        ReceiveType = receiveType;
        Column = column;
        Value = value;
    }

    /// <summary>The normalized receiveType the column's name implies.</summary>
    public string ReceiveType { get; }

    /// <summary>The column's name as the item spells it.</summary>
    public string Column { get; }

    public string Value { get; }
}
