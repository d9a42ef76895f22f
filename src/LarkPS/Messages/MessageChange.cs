using System.Linq;

namespace LarkPS.Messages;

/// <summary>
/// What Set-LarkMessage sends for one message: text and post are edited (PUT), a card is updated (PATCH). The content
/// goes through the one validator, parsed and written once (a card with config.update_multi:true in that write), so a
/// bad edit is refused before it reaches Lark.
/// </summary>
internal sealed class MessageChange
{
    // The validator wants a receiver; an edit has none. A chat id of a chat id's length keeps the size check honest
    // (it then counts a little more than the PUT body carries: conservative).
    private const string PlaceholderChat = "oc_00000000000000000000000000000000";

    private MessageChange(string msgType, byte[] contentUtf8, string? problem, string? fix)
    {
        MsgType = msgType;
        ContentUtf8 = contentUtf8;
        Problem = problem;
        Fix = fix;
    }

    public string MsgType { get; }

    /// <summary>The new content as compact UTF-8 JSON (a card with config.update_multi:true).</summary>
    public byte[] ContentUtf8 { get; }

    /// <summary>True for a card: PATCH; false for text and post: PUT.</summary>
    public bool IsCardUpdate => MsgType == ContentTypes.Interactive;

    /// <summary>Why the change cannot be sent; null when it can.</summary>
    public string? Problem { get; }

    public string? Fix { get; }

    /// <summary>The change for -ContentType (default text) with -Content or -Text; never throws for bad input.</summary>
    public static MessageChange Prepare(string? contentType, object? content, string? text)
    {
        var msgType = ContentTypes.Normalize(contentType ?? ContentTypes.Text);
        if (msgType is not (ContentTypes.Text or ContentTypes.Post or ContentTypes.Interactive))
        {
            return Refused(
                (msgType is null ? ValidationProblem.Quote(contentType!) + " is not a content type" : ContentTypes.WithArticle(msgType) + " message cannot be changed") +
                ": Lark edits text and post messages and updates cards (interactive), nothing else",
                "Give -ContentType text, post or interactive. To replace another kind of message, recall it with Remove-LarkMessage and send a new one.");
        }

        var isCard = msgType == ContentTypes.Interactive;
        var validation = MessageValidator.Validate(new MessageInput
        {
            ReceiveType = ReceiveTypes.Chat,
            ReceiveId = PlaceholderChat,
            ContentType = msgType,
            Content = content,
            Text = text,

            // Lark updates a card only where the new card declares it shared too.
            UpdateMulti = isCard,
        });
        if (!validation.IsValid || validation.Message is null)
        {
            return Refused(
                "the new content is not a valid " + msgType + " message: " + string.Join("; ", validation.Problems.Select(p => p.ToString())),
                "Check the content with Test-LarkMessage -ReceiveId oc_any -ContentType " + msgType + " -Content <content> -Detailed. Nothing was sent.");
        }

        return new MessageChange(msgType, validation.Message.ContentUtf8, null, null);
    }

    private static MessageChange Refused(string problem, string fix) => new(string.Empty, System.Array.Empty<byte>(), problem, fix);
}
