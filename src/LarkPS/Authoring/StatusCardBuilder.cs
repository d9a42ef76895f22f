using System;
using System.Collections.Generic;
using System.Linq;

namespace LarkPS.Authoring;

/// <summary>
/// A status card from its parts (New-LarkCard's work, without PowerShell): a coloured header with title and
/// subtitle, a markdown body with the mentions after it, label/value fields two to a row, an image, a button (several in one
/// row), and a grey note at the foot. Labels and values are escaped, so they show as typed; the markdown body is
/// card markdown as written.
/// </summary>
internal sealed class StatusCardBuilder
{
    private readonly List<CardField> _fields = new();
    private readonly List<ButtonElement> _buttons = new();
    private readonly List<Mention> _mentions = new();

    public StatusCardBuilder(string title, string? subtitle = null, string? template = null)
    {
        Header = new CardHeader(title, subtitle, template);
    }

    public CardHeader Header { get; }

    public string? Markdown { get; set; }

    public ImageElement? Image { get; set; }

    public string? Note { get; set; }

    public IReadOnlyList<ButtonElement> Buttons => _buttons;

    public StatusCardBuilder AddField(string label, string value)
    {
        _fields.Add(new CardField(label, value));
        return this;
    }

    public StatusCardBuilder AddButton(ButtonElement button)
    {
        _buttons.Add(button ?? throw new ArgumentNullException(nameof(button)));
        return this;
    }

    public StatusCardBuilder AddMentions(IEnumerable<Mention> mentions)
    {
        _mentions.AddRange(mentions ?? throw new ArgumentNullException(nameof(mentions)));
        return this;
    }

    /// <summary>The card; throws <see cref="CardLimitException"/> where it would break Lark's limits.</summary>
    public CardDocument Build()
    {
        var elements = new List<CardElement>();
        var body = string.IsNullOrWhiteSpace(Markdown) ? null : Markdown;
        if (_mentions.Count > 0)
        {
            var mentions = MentionWriter.ForCardMarkdown(_mentions);
            body = body is null ? mentions : body + "\n" + mentions;
        }

        if (body is not null)
        {
            elements.Add(new MarkdownElement(body));
        }

        if (_fields.Count > 0)
        {
            elements.Add(new DivElement(null, _fields.ToList()));
        }

        if (Image is not null)
        {
            elements.Add(Image);
        }

        if (_buttons.Count == 1)
        {
            elements.Add(_buttons[0]);
        }
        else if (_buttons.Count > 1)
        {
            // 2.0 stacks buttons in body.elements one per line: a column_set puts them in one row.
            elements.Add(new ColumnSetElement(_buttons.Select(b => new CardColumn(new CardElement[] { b })).ToList()));
        }

        if (!string.IsNullOrWhiteSpace(Note))
        {
            elements.Add(new NoteElement(Note!));
        }

        return new CardDocument(Header, elements);
    }
}
