namespace LarkPS.Commands;

/// <summary>The FullyQualifiedErrorId first halves of ConvertTo-LarkCard and New-LarkCard (issue 22): stable once released.</summary>
internal static class AuthoringErrorIds
{
    /// <summary>A card would break one of Lark's limits (more than 50 columns, 200 elements, 5 tables).</summary>
    public const string CardLimit = "CardLimit";

    /// <summary>-Property, -Format, -Field or -Button has a value that cannot be used.</summary>
    public const string InvalidCardInput = "InvalidCardInput";

    /// <summary>A row too large for any card on its own.</summary>
    public const string RowTooLarge = "RowTooLarge";

    /// <summary>A -Property expression that threw for a row.</summary>
    public const string ExpressionFailed = "ExpressionFailed";

    /// <summary>A -Mention value that is not a mention, or an e-mail Lark has no user for.</summary>
    public const string InvalidMention = "InvalidMention";

    /// <summary>-Image names no single existing file.</summary>
    public const string ImageNotFound = "ImageNotFound";
}
