using System.Text;
using System.Text.Json;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>
/// How many bytes a card makes on the wire: for the app API the card is a JSON string inside the send body, so every
/// '"' and '\' in it costs twice (the escaping Lark's 30 KB counts); for a hook it is an object inside the body.
/// </summary>
internal static class CardSize
{
    private static readonly string SizingReceiveId = new('x', CardLimits.SizingReceiveIdLength);
    private static readonly string SizingUuid = new('0', CardLimits.SizingUuidLength);

    /// <summary>The request body's size for <paramref name="contentJson"/>, with the longest receive_id and uuid sized for.</summary>
    public static int BodyBytes(string contentJson, CardTarget target, string msgType = "interactive") =>
        target == CardTarget.Webhook
            ? Encoding.UTF8.GetByteCount(MessageJson.WriteToString(w =>
            {
                w.WriteStartObject();
                w.WriteString("timestamp", "0000000000");
                w.WriteString("sign", new string('A', 44));
                w.WriteString("msg_type", msgType);
                w.WritePropertyName(msgType == "interactive" ? "card" : "content");
                w.WriteRawValue(contentJson, skipInputValidation: true);
                w.WriteEndObject();
            }))
            : Encoding.UTF8.GetByteCount(MessageJson.WriteToString(w =>
            {
                w.WriteStartObject();
                w.WriteString("receive_id", SizingReceiveId);
                w.WriteString("msg_type", msgType);
                w.WriteString("content", contentJson);
                w.WriteString("uuid", SizingUuid);
                w.WriteEndObject();
            }));

    /// <summary>What a piece of the card's JSON adds to the body: escaped once more for the app API, as is for a hook.</summary>
    public static int PieceBytes(string json, CardTarget target) =>
        target == CardTarget.Webhook ? Encoding.UTF8.GetByteCount(json) : EscapedBytes(json);

    /// <summary>The UTF-8 bytes of <paramref name="text"/> written as a JSON string's content (without its quotes).</summary>
    public static int EscapedBytes(string text) =>
        Encoding.UTF8.GetByteCount(MessageJson.WriteToString(w => w.WriteStringValue(text))) - 2;
}
