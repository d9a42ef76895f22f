namespace LarkPS.Messages;

/// <summary>
/// An object that names a message to answer (a received or listed message, a card action, a SentMessage):
/// Send-LarkMessage reads it as a reply to <see cref="ReplyTo"/> and nothing else
/// (none of its other properties, ChatId or Text among them, is read as a receiver or as content).
/// </summary>
internal interface IReplyTarget
{
    /// <summary>The message a reply goes to (om_…).</summary>
    string? ReplyTo { get; }
}
