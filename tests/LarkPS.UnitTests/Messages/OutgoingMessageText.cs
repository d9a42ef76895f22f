using System.Text;
using LarkPS.Messages;

namespace LarkPS.UnitTests.Messages;

/// <summary>Test-only readings of an OutgoingMessage: its one body as text, and its size as sent.</summary>
internal static class OutgoingMessageText
{
    public static string ToRequestBody(this OutgoingMessage message) => Encoding.UTF8.GetString(message.RequestBody);

    /// <summary>The size the validator checks: the body as sent, a generated uuid counted where none is set.</summary>
    public static int GetRequestBodyByteCount(this OutgoingMessage message) => message.SentBodyByteCount;
}
