using System;
using System.Text;
using System.Text.Json;
using LarkPS.Messages;

namespace LarkPS.Webhooks;

/// <summary>
/// A validated message in a custom bot's format: msg_type with content as an OBJECT (post inside "post",
/// share_chat as share_chat_id), or a card as a top-level "card". It has no uuid: Lark cannot de-duplicate a hook
/// request, so the sender never resends one that may have arrived.
/// </summary>
internal sealed class WebhookMessage
{
    /// <summary>Lark: a hook request body is at most 20 KB.</summary>
    public const int MaxBodyBytes = 20 * 1024;

    // What a signature adds, sized with the longest values it can have (10-digit timestamp, 44-character sign).
    private static readonly string SignatureSizing = SignedPrefix("0000000000", new string('A', 44));

    public WebhookMessage(OutgoingMessage message)
    {
        Message = message ?? throw new ArgumentNullException(nameof(message));
        UnsignedBody = Map(message.MsgType, message.ContentUtf8);
    }

    /// <summary>The message as the app API would send it (content as a string); receiver fields are placeholders.</summary>
    public OutgoingMessage Message { get; }

    public string MsgType => Message.MsgType;

    /// <summary>The body without timestamp and sign: {"msg_type":…,"content":{…}} or {"msg_type":"interactive","card":{…}}.</summary>
    public string UnsignedBody { get; }

    /// <summary>The body's size in UTF-8 bytes as sent, with a signature where <paramref name="signed"/>.</summary>
    public int ByteCount(bool signed) =>
        Encoding.UTF8.GetByteCount(UnsignedBody) + (signed ? Encoding.UTF8.GetByteCount(SignatureSizing) : 0);

    /// <summary>The body to send: signed (timestamp and sign first) where a timestamp and sign are given.</summary>
    public string Body(string? timestamp, string? sign) =>
        timestamp is null || sign is null ? UnsignedBody : SignedPrefix(timestamp, sign) + UnsignedBody.Substring(1);

    private static string SignedPrefix(string timestamp, string sign) =>
        MessageJson.WriteToString(w =>
        {
            w.WriteStartObject();
            w.WriteString("timestamp", timestamp);
            w.WriteString("sign", sign);
            w.WriteEndObject();
        }).TrimEnd('}') + ",";

    // The content's bytes are the validator's one compact write: they go into the hook's body as they are, never
    // parsed again (share_chat alone renames its one field).
    private static string Map(string msgType, byte[] content) =>
        MessageJson.WriteToString(w =>
        {
            w.WriteStartObject();
            w.WriteString("msg_type", msgType);
            switch (msgType)
            {
                case ContentTypes.Interactive:
                    w.WritePropertyName("card");
                    w.WriteRawValue(content, skipInputValidation: true);
                    break;
                case ContentTypes.Post:
                    w.WriteStartObject("content");
                    w.WritePropertyName("post");
                    w.WriteRawValue(content, skipInputValidation: true);
                    w.WriteEndObject();
                    break;
                case ContentTypes.ShareChat:
                    var reader = new Utf8JsonReader(content);
                    string? chatId = null;
                    while (reader.Read())
                    {
                        if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("chat_id"))
                        {
                            reader.Read();
                            chatId = reader.GetString();
                            break;
                        }
                    }

                    w.WriteStartObject("content");
                    w.WriteString("share_chat_id", chatId);
                    w.WriteEndObject();
                    break;
                default:
                    w.WritePropertyName("content");
                    w.WriteRawValue(content, skipInputValidation: true);
                    break;
            }

            w.WriteEndObject();
        });
}
