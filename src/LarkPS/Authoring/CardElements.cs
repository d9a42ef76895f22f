using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>One component of a card's body, written as Lark's card JSON 2.0.</summary>
internal abstract class CardElement
{
    /// <summary>Components and text objects it adds to the card's count (Lark's limit is 200).</summary>
    public abstract int ElementCount { get; }

    public abstract void Write(Utf8JsonWriter writer);
}

/// <summary>Plain-text and lark_md text objects.</summary>
internal static class CardText
{
    /// <summary>{"tag":"plain_text","content":…}: shown as typed, nothing to escape.</summary>
    public static void WritePlain(Utf8JsonWriter writer, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "plain_text");
        writer.WriteString("content", content);
        writer.WriteEndObject();
    }
}

/// <summary>A markdown component: card markdown as given (the caller escapes what must show as typed).</summary>
internal sealed class MarkdownElement : CardElement
{
    public MarkdownElement(string content) => Content = content ?? throw new ArgumentNullException(nameof(content));

    public string Content { get; }

    public override int ElementCount => 1;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "markdown");
        writer.WriteString("content", Content);
        writer.WriteEndObject();
    }
}

/// <summary>One label/value pair of a div's fields: short fields stand two to a row.</summary>
internal sealed class CardField
{
    public CardField(string label, string value, bool isShort = true)
    {
        Label = label ?? throw new ArgumentNullException(nameof(label));
        Value = value ?? string.Empty;
        IsShort = isShort;
    }

    public string Label { get; }

    public string Value { get; }

    public bool IsShort { get; }

    /// <summary>lark_md "**label**\nvalue", both escaped so that they show as typed.</summary>
    public string Markdown => "**" + MarkdownEscaper.Escape(Label) + "**\n" + MarkdownEscaper.Escape(Value);
}

/// <summary>A div: optional plain text and label/value fields (div.fields, is_short pairs two per row).</summary>
internal sealed class DivElement : CardElement
{
    public DivElement(string? text, IReadOnlyList<CardField> fields)
    {
        Text = text;
        Fields = fields ?? Array.Empty<CardField>();
    }

    public string? Text { get; }

    public IReadOnlyList<CardField> Fields { get; }

    public override int ElementCount => 1 + (Text is null ? 0 : 1) + Fields.Count;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "div");
        if (Text is not null)
        {
            writer.WritePropertyName("text");
            CardText.WritePlain(writer, Text);
        }

        if (Fields.Count > 0)
        {
            writer.WriteStartArray("fields");
            foreach (var field in Fields)
            {
                writer.WriteStartObject();
                writer.WriteBoolean("is_short", field.IsShort);
                writer.WriteStartObject("text");
                writer.WriteString("tag", "lark_md");
                writer.WriteString("content", field.Markdown);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}

/// <summary>2.0 has no note component: a div of grey notation-size plain text stands in for it.</summary>
internal sealed class NoteElement : CardElement
{
    public NoteElement(string text) => Text = text ?? throw new ArgumentNullException(nameof(text));

    public string Text { get; }

    public override int ElementCount => 2;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "div");
        writer.WriteStartObject("text");
        writer.WriteString("tag", "plain_text");
        writer.WriteString("content", Text);
        writer.WriteString("text_size", "notation");
        writer.WriteString("text_color", "grey");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>A horizontal rule.</summary>
internal sealed class HrElement : CardElement
{
    public override int ElementCount => 1;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "hr");
        writer.WriteEndObject();
    }
}

/// <summary>
/// An image: an image key Lark issued (img_…), or a local file whose "path" Send-LarkMessage uploads and replaces with
/// the key (the upload of local images that posts already have), so a card is never sent with a path in it.
/// </summary>
internal sealed class ImageElement : CardElement
{
    private ImageElement(string? imageKey, string? localPath, string alt)
    {
        ImageKey = imageKey;
        LocalPath = localPath;
        Alt = alt;
    }

    /// <summary>The property the card's img element carries for a local file until the upload fills in img_key.</summary>
    public const string PathProperty = "path";

    public string? ImageKey { get; }

    public string? LocalPath { get; }

    public string Alt { get; }

    public override int ElementCount => 2;

    public static ImageElement FromKey(string imageKey, string alt = "") => new(imageKey ?? throw new ArgumentNullException(nameof(imageKey)), null, alt ?? string.Empty);

    public static ImageElement FromFile(string path, string alt = "") => new(null, path ?? throw new ArgumentNullException(nameof(path)), alt ?? string.Empty);

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "img");
        if (ImageKey is not null)
        {
            writer.WriteString("img_key", ImageKey);
        }
        else
        {
            writer.WriteString(PathProperty, LocalPath);
        }

        writer.WritePropertyName("alt");
        CardText.WritePlain(writer, Alt);
        writer.WriteEndObject();
    }
}

/// <summary>A button: a link to open (open_url), a value the app's callback receives (callback), or both.</summary>
internal sealed class ButtonElement : CardElement
{
    /// <summary>The button styles New-LarkCard offers (Lark has more: text, laser, *_filled…).</summary>
    public static IReadOnlyList<string> Styles { get; } = new[] { "default", "primary", "danger" };

    public ButtonElement(string text, string? style, Uri? url, object? callbackValue)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("A button needs a text.", nameof(text));
        }

        if (text.Length > CardLimits.MaxButtonText)
        {
            throw new ArgumentException("A button's text has at most " + CardLimits.MaxButtonText + " characters; '" + text.Substring(0, 20) + "…' has " + text.Length + ".", nameof(text));
        }

        if (url is null && callbackValue is null)
        {
            throw new ArgumentException("A button needs a link to open or a callback value.", nameof(url));
        }

        if (url is not null && !(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            throw new ArgumentException("'" + url + "' is not an http or https link; Lark opens only those.", nameof(url));
        }

        Text = text;
        Style = style ?? "default";
        if (!Styles.Contains(Style))
        {
            throw new ArgumentException("'" + Style + "' is not a button style: " + string.Join(", ", Styles) + ".", nameof(style));
        }

        Url = url;
        CallbackValue = callbackValue;
    }

    public string Text { get; }

    public string Style { get; }

    public Uri? Url { get; }

    /// <summary>Plain values (dictionaries, lists, scalars) as the card's callback sends them back; null for a link only.</summary>
    public object? CallbackValue { get; }

    public bool HasCallback => CallbackValue is not null;

    public override int ElementCount => 2;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "button");
        writer.WriteString("type", Style);
        writer.WritePropertyName("text");
        CardText.WritePlain(writer, Text);
        writer.WriteStartArray("behaviors");
        if (Url is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "open_url");
            writer.WriteString("default_url", Url.OriginalString);
            writer.WriteEndObject();
        }

        if (CallbackValue is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "callback");
            writer.WritePropertyName("value");
            MessageJson.Write(writer, CallbackValue);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>One column of a column_set: anything but a table (Lark allows tables only directly in the body).</summary>
internal sealed class CardColumn
{
    public CardColumn(IReadOnlyList<CardElement> elements, string width = "auto")
    {
        Elements = elements ?? throw new ArgumentNullException(nameof(elements));
        if (elements.Any(e => e is TableElement))
        {
            throw new ArgumentException("A table cannot go into a column: Lark takes tables only directly in the card's body.", nameof(elements));
        }

        Width = width;
    }

    public IReadOnlyList<CardElement> Elements { get; }

    public string Width { get; }
}

/// <summary>Columns side by side (buttons in a row, label/value layouts).</summary>
internal sealed class ColumnSetElement : CardElement
{
    public ColumnSetElement(IReadOnlyList<CardColumn> columns, string flexMode = "none")
    {
        Columns = columns ?? throw new ArgumentNullException(nameof(columns));
        FlexMode = flexMode;
    }

    public IReadOnlyList<CardColumn> Columns { get; }

    public string FlexMode { get; }

    public override int ElementCount => 1 + Columns.Sum(c => 1 + c.Elements.Sum(e => e.ElementCount));

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "column_set");
        writer.WriteString("flex_mode", FlexMode);
        writer.WriteStartArray("columns");
        foreach (var column in Columns)
        {
            writer.WriteStartObject();
            writer.WriteString("tag", "column");
            writer.WriteString("width", column.Width);
            writer.WriteStartArray("elements");
            foreach (var element in column.Elements)
            {
                element.Write(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
