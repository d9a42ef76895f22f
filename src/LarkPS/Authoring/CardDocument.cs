using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>
/// A card of schema 2.0 as the builders make it: a header and body elements, written as Lark's card JSON. Every
/// card is shared (config.update_multi:true, which 2.0 implies anyway), so Set-LarkMessage can update it. Lark's
/// limits are checked when the card is made: at most five tables, tables only directly in the body, at most 200
/// elements counted as <see cref="ElementCount"/> counts them.
/// </summary>
internal sealed class CardDocument
{
    public CardDocument(CardHeader? header, IReadOnlyList<CardElement> elements)
    {
        Header = header;
        Elements = elements ?? throw new ArgumentNullException(nameof(elements));
        var tables = elements.Count(e => e is TableElement);
        if (tables > CardLimits.MaxTables)
        {
            throw new CardLimitException(
                "The card has " + Count(tables) + " tables; Lark shows at most " + Count(CardLimits.MaxTables) + " in one card (11310).",
                "Split the rows into several cards (ConvertTo-LarkCard does), at most " + Count(CardLimits.MaxTables) + " tables each.");
        }

        ElementCount = (header?.ElementCount ?? 0) + elements.Sum(e => e.ElementCount);
        if (ElementCount > CardLimits.MaxElements)
        {
            throw new CardLimitException(
                "The card has " + Count(ElementCount) + " components and text elements; Lark takes at most " + Count(CardLimits.MaxElements) + " in a 2.0 card (11310).",
                "Give fewer fields or buttons, or send several cards.");
        }
    }

    public CardHeader? Header { get; }

    public IReadOnlyList<CardElement> Elements { get; }

    /// <summary>Components and text objects (every JSON object with a tag, table rows and callback values aside), as Lark counts toward 200.</summary>
    public int ElementCount { get; }

    /// <summary>The card's compact JSON, as it goes into a message's content.</summary>
    public string ToJson() => MessageJson.WriteToString(Write);

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("schema", "2.0");
        writer.WriteStartObject("config");
        writer.WriteBoolean("update_multi", true);
        writer.WriteEndObject();
        Header?.Write(writer);
        writer.WriteStartObject("body");
        writer.WriteStartArray("elements");
        foreach (var element in Elements)
        {
            element.Write(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>A card's header: a title, an optional subtitle and the header colour.</summary>
internal sealed class CardHeader
{
    public CardHeader(string title, string? subtitle = null, string? template = null)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ArgumentException("A card header needs a title.", nameof(title));
        }

        if (template is not null && !CardTemplates.All.Contains(template))
        {
            throw new ArgumentException("'" + template + "' is not a header colour; Lark's are " + string.Join(", ", CardTemplates.All) + ".", nameof(template));
        }

        Title = title;
        Subtitle = string.IsNullOrWhiteSpace(subtitle) ? null : subtitle;
        Template = template;
    }

    public string Title { get; }

    public string? Subtitle { get; }

    public string? Template { get; }

    public int ElementCount => Subtitle is null ? 1 : 2;

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("header");
        writer.WritePropertyName("title");
        CardText.WritePlain(writer, Title);
        if (Subtitle is not null)
        {
            writer.WritePropertyName("subtitle");
            CardText.WritePlain(writer, Subtitle);
        }

        if (Template is not null)
        {
            writer.WriteString("template", Template);
        }

        writer.WriteEndObject();
    }
}

/// <summary>Lark's header colours (card JSON 2.0, title component: template).</summary>
internal static class CardTemplates
{
    public static IReadOnlyList<string> All { get; } = new[]
    {
        "blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple", "indigo", "grey", "default",
    };
}

/// <summary>A limit of Lark's that a card would break: the message says which, the fix what to do instead.</summary>
internal sealed class CardLimitException : Exception
{
    public CardLimitException(string message, string fix)
        : base(message)
    {
        Fix = fix;
    }

    public CardLimitException()
    {
        Fix = string.Empty;
    }

    public CardLimitException(string message)
        : base(message)
    {
        Fix = string.Empty;
    }

    public CardLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Fix = string.Empty;
    }

    public string Fix { get; }
}
