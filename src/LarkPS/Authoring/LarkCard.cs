namespace LarkPS.Authoring;

/// <summary>
/// A card that ConvertTo-LarkCard or New-LarkCard built: a JSON 2.0 card, shared (so Set-LarkMessage can update
/// it), that pipes into Send-LarkMessage and Test-LarkMessage by its ContentType and Content properties, as any
/// message item does, and into Set-LarkMessage by Content.
/// </summary>
public sealed class LarkCard
{
    internal LarkCard(string content, string? title, int part, int parts, int rows, int byteCount)
    {
        Content = content;
        Title = title;
        Part = part;
        Parts = parts;
        Rows = rows;
        ByteCount = byteCount;
    }

    /// <summary>Always "interactive": what Send-LarkMessage reads as the item's contentType.</summary>
    public string ContentType { get; } = "interactive";

    /// <summary>The card's JSON (schema 2.0), compact: what Send-LarkMessage sends as the message's content.</summary>
    public string Content { get; }

    /// <summary>The header's title, with "(1/3)" where a table took several cards; null for a card without a header.</summary>
    public string? Title { get; }

    /// <summary>Which of the cards built from one table this is (1 for a single card).</summary>
    public int Part { get; }

    /// <summary>How many cards that table took (1 for a single card).</summary>
    public int Parts { get; }

    /// <summary>The table rows this card holds (0 for a status card).</summary>
    public int Rows { get; }

    /// <summary>The request body's size in bytes (sized with the longest receive_id and uuid); under Lark's 30 KB with a margin.</summary>
    public int ByteCount { get; }

    /// <summary>The card's JSON.</summary>
    public override string ToString() => Content;
}
