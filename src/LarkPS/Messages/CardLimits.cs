namespace LarkPS.Messages;

/// <summary>
/// Every limit the card and post builders keep, each with where it comes from (LARK-API.md, "Cards (JSON 2.0) and
/// rich text" and "Custom bot webhooks", from Lark's card JSON 2.0 and table component pages), or why it was chosen.
/// </summary>
internal static class CardLimits
{
    /// <summary>Lark, table component: at most 50 columns; more are not shown and no error says so.</summary>
    public const int MaxColumns = 50;

    /// <summary>Lark, card JSON 2.0: at most 5 table components in one card (11310 beyond).</summary>
    public const int MaxTables = 5;

    /// <summary>Lark, card JSON 2.0: at most 200 components and elements, each plain_text object counting (11310 beyond).</summary>
    public const int MaxElements = 200;

    /// <summary>Lark, table component: page_size 1..10 (the client pages the rest).</summary>
    public const int MinPageSize = 1;

    /// <summary>Lark, table component: page_size 1..10.</summary>
    public const int MaxPageSize = 10;

    /// <summary>Lark, table number format: precision 0..10.</summary>
    public const int MaxPrecision = 10;

    /// <summary>Lark, button component: the button text is at most 100 characters.</summary>
    public const int MaxButtonText = 100;

    /// <summary>Lark, send message: a post or interactive request body is at most 30 KB (230025 beyond).</summary>
    public const int AppBodyBytes = 30 * 1024;

    /// <summary>Lark, custom bot: a hook request body is at most 20 KB.</summary>
    public const int HookBodyBytes = 20 * 1024;

    /// <summary>
    /// Chosen, not measured: LARK-API.md says style tags make the stored message larger than the request and to keep a
    /// margin. 2 KB under each limit leaves room for that and for a longer receive_id than the sizing assumes.
    /// </summary>
    public const int Margin = 2 * 1024;

    /// <summary>
    /// The receive_id a card is sized for before anyone knows who receives it: 128 characters covers an open_id or
    /// chat_id (35) and nearly every e-mail address. A longer one eats into <see cref="Margin"/>.
    /// </summary>
    public const int SizingReceiveIdLength = 128;

    /// <summary>Lark: a uuid is at most 50 characters; a card is sized with the longest.</summary>
    public const int SizingUuidLength = 50;

    /// <summary>The most row bytes a card of each kind may carry, after the margin.</summary>
    public static int BudgetFor(CardTarget target) =>
        (target == CardTarget.Webhook ? HookBodyBytes : AppBodyBytes) - Margin;
}

/// <summary>Where a card will be sent, which decides how its size is counted and against which limit.</summary>
internal enum CardTarget
{
    /// <summary>POST /open-apis/im/v1/messages: the card is a JSON string inside the body (escaped once more), ≤ 30 KB.</summary>
    App,

    /// <summary>A custom bot's hook: the card is an object inside the body, ≤ 20 KB.</summary>
    Webhook,
}
