namespace LarkPS.Sandbox;

/// <summary>
/// The limits Lark puts on acting on a sent message (LARK-API.md "Other message operations"). The edit and
/// recall windows are set by each tenant's administrator, so they are settings here, not constants.
/// </summary>
public sealed class SandboxMessageLimits
{
    /// <summary>Lark: a message can be edited at most 20 times (230072 beyond).</summary>
    public int MaxEdits { get; set; } = 20;

    /// <summary>
    /// How long after sending a message can still be edited (230075 beyond). Unconfirmed default: the
    /// administrator sets it; 24 hours matches the recall window Lark's own error text names.
    /// </summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long after sending the bot can recall a message (230009: "Message can only be recalled within one days.").</summary>
    public TimeSpan RecallWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Lark: only cards sent within the last 14 days can be updated (230031).</summary>
    public TimeSpan CardUpdateWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Lark: one message takes at most 5 card updates a second (230020 beyond).</summary>
    public int CardUpdatesPerSecond { get; set; } = 5;
}
