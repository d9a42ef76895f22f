using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LarkPS.Authoring;
using LarkPS.Messages;

namespace LarkPS.Commands.Support;

/// <summary>
/// The authoring step of the item path (issue 22), before files and validation, the same for Send-LarkMessage, its
/// -WhatIf and Test-LarkMessage: an item's markdown becomes a post of md nodes (<see cref="MarkdownPost"/>), and the
/// run's -Mention is written into each item's content in the form its type needs (<see cref="MentionWriter"/>).
/// What Lark's post markdown does not show is a note of the item (reported, never dropped); what cannot be done
/// (markdown beside another contentType, a mention on an image) is a problem of that item only. For Lark's batch
/// messages (no md node in their post) markdown becomes a card with a markdown component instead (<see cref="MarkdownCard"/>).
/// </summary>
internal sealed class ItemAuthoring
{
    private static readonly string[] ParameterNameSuffixes = { " (Parameter", "\r\nParameter name", "\nParameter name" };

    private readonly IReadOnlyList<Mention> _mentions;
    private readonly IReadOnlyList<string> _lookedUpWhenSent;
    private readonly bool _markdownAsCard;

    /// <param name="mentions">The run's -Mention, resolved (none: empty).</param>
    /// <param name="lookedUpWhenSent">
    /// E-mail addresses of -Mention that could not be looked up now (no connection to ask): a check notes them; they
    /// are never invented.
    /// </param>
    /// <param name="markdownAsCard">
    /// Markdown becomes a card with a markdown component instead of a post of md nodes: for Lark's batch messages,
    /// whose post has no md node (Send-LarkBroadcast).
    /// </param>
    public ItemAuthoring(IReadOnlyList<Mention> mentions, IReadOnlyList<string> lookedUpWhenSent, bool markdownAsCard = false)
    {
        _markdownAsCard = markdownAsCard;
        _mentions = mentions ?? throw new ArgumentNullException(nameof(mentions));
        _lookedUpWhenSent = lookedUpWhenSent ?? throw new ArgumentNullException(nameof(lookedUpWhenSent));
    }

    /// <summary>No -Mention: only an item's markdown is turned into its post.</summary>
    public static ItemAuthoring None { get; } = new(Array.Empty<Mention>(), Array.Empty<string>());

    /// <summary>The run's mentions.</summary>
    public IReadOnlyList<Mention> Mentions => _mentions;

    private bool HasMentions => _mentions.Count > 0 || _lookedUpWhenSent.Count > 0;

    /// <summary>Rewrites <paramref name="input"/>'s content in place; problems and notes land on the input.</summary>
    public void Apply(MessageInput input)
    {
        if (input is null)
        {
            throw new ArgumentNullException(nameof(input));
        }

        if (input.Markdown is { } markdown)
        {
            ApplyMarkdown(input, markdown);
        }
        else if (HasMentions)
        {
            ApplyMentions(input);
        }

        if (_lookedUpWhenSent.Count > 0)
        {
            input.Notes.Add(new ValidationProblem(
                "mention",
                "'" + string.Join("', '", _lookedUpWhenSent) + "' " + (_lookedUpWhenSent.Count == 1 ? "is" : "are") +
                    " looked up when sent (not connected): the content shown leaves " + (_lookedUpWhenSent.Count == 1 ? "that mention" : "those mentions") + " out",
                "Connect-Lark first to check the look-up too"));
        }
    }

    private void ApplyMarkdown(MessageInput input, string markdown)
    {
        var given = input.ContentType;
        var sentAs = _markdownAsCard ? ContentTypes.Interactive : ContentTypes.Post;
        if (!string.IsNullOrWhiteSpace(given) && ContentTypes.Normalize(given) != sentAs)
        {
            input.ReadProblems.Add(new ValidationProblem(
                "contentType",
                "is " + ValidationProblem.Quote(given!.Trim()) + ", but markdown is sent as " + (_markdownAsCard ? "a card" : "a post"),
                "no contentType with markdown (or '" + sentAs + "')",
                "conflict"));
        }

        if (input.TitleProblem is { } titleProblem)
        {
            input.ReadProblems.Add(titleProblem);
        }

        if (string.IsNullOrWhiteSpace(markdown) && _mentions.Count == 0)
        {
            input.ReadProblems.Add(new ValidationProblem("markdown", "is empty", "some markdown text", "string"));
        }

        if (_markdownAsCard)
        {
            try
            {
                input.Content = MarkdownCard.Build(input.Title, markdown, _mentions);
                input.ContentType = ContentTypes.Interactive;
            }
            catch (CardLimitException ex)
            {
                input.ReadProblems.Add(new ValidationProblem("markdown", ex.Message.TrimEnd('.'), ex.Fix, "string"));
            }

            return;
        }

        var post = MarkdownPost.Build(input.Title, markdown, _mentions);
        foreach (var note in post.Problems.Where(p => p.Problem != "is empty"))
        {
            input.Notes.Add(note);
        }

        input.ContentType = post.MsgType;
        input.Content = string.IsNullOrWhiteSpace(markdown) && _mentions.Count == 0
            ? EmptyMarkdownPost // "markdown: is empty" is the item's problem: not a second one for the post it would have made
            : post.ContentJson;
    }

    private const string EmptyMarkdownPost = "{\"zh_cn\":{\"content\":[[{\"tag\":\"md\",\"text\":\"(empty)\"}]]}}";

    private void ApplyMentions(MessageInput input)
    {
        if (_mentions.Count == 0)
        {
            return;
        }

        var msgType = string.IsNullOrWhiteSpace(input.ContentType) ? ContentTypes.Text : ContentTypes.Normalize(input.ContentType);
        if (!input.Files.IsEmpty)
        {
            input.ReadProblems.Add(MentionProblem("a local file's message cannot carry mentions"));
            return;
        }

        if (msgType == ContentTypes.Text)
        {
            // The -Text shortcut and a plain string are the text itself: the mentions follow it.
            if (!string.IsNullOrEmpty(input.Text))
            {
                input.Text = input.Text + " " + MentionWriter.ForText(_mentions);
                return;
            }

            if (input.Content is string plain && !JsonSyntax.LooksLikeJson(plain))
            {
                input.Content = plain.Length == 0 ? MentionWriter.ForText(_mentions) : plain + " " + MentionWriter.ForText(_mentions);
                return;
            }
        }

        if (msgType is null || input.Content is null || ContentJson(input.Content) is not { } json)
        {
            // No content, or one the validator will refuse in its own words: nothing to write the mentions into.
            return;
        }

        try
        {
            input.Content = MentionWriter.AddToContent(msgType, json, _mentions.ToList());
        }
        catch (ArgumentException ex)
        {
            // The message without the parameter's name .NET appends (" (Parameter 'x')", or a line on .NET Framework).
            input.ReadProblems.Add(MentionProblem(ex.Message.Split(ParameterNameSuffixes, StringSplitOptions.None)[0].TrimEnd('.')));
        }
        catch (JsonException)
        {
            // Broken JSON: the validator reports it with its position.
        }
    }

    // The content as JSON text, or null when it is not an object the validator could take.
    private static string? ContentJson(object content)
    {
        switch (content)
        {
            case string text:
                return JsonSyntax.LooksLikeJson(text) ? text : null;
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                return MessageJson.Compact(element);
            case IDictionary:
            case IEnumerable<KeyValuePair<string, object?>>:
                try
                {
                    return MessageJson.Serialize(content);
                }
                catch (ArgumentException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    private static ValidationProblem MentionProblem(string reason) => new(
        "mention",
        reason,
        "-Mention with text, post, markdown or card content; send the mention in a text message of its own (-Text) beside this one",
        "conflict");
}
