using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using LarkPS.Api;
using LarkPS.Broadcast;
using LarkPS.Commands.Support;
using LarkPS.Messages;

namespace LarkPS.Commands;

/// <summary>
/// Send-LarkBroadcast's content: the parameters Send-LarkMessage takes (-Text, -Content, -ContentType, -ImagePath,
/// -Markdown with -Title, -Mention, a card from New-LarkCard or ConvertTo-LarkCard as -Card or -Content), through the
/// same authoring and checks (ItemAuthoring, ItemPreparer), then batch_send's shape (BroadcastContent). Markdown becomes
/// a card with a markdown component: a batch post has no md node, and a card's markdown shows what was written.
/// </summary>
public sealed partial class SendLarkBroadcastCommand
{
    /// <summary>
    /// Markdown, sent as a card whose body is one markdown component (a batch message's post has no md node; a card's
    /// markdown shows headings, lists, code, links and colours as written).
    /// </summary>
    [Parameter]
    [Alias("md")]
    public string? Markdown { get; set; }

    /// <summary>With -Markdown: the title of the card's header.</summary>
    [Parameter]
    public string? Title { get; set; }

    /// <summary>
    /// People to mention in the message: e-mail addresses (looked up, 50 a call), open_ids (ou_…), users from
    /// Get-LarkUser, or 'all'. Written as the content needs: text, post, card (and -Markdown's card).
    /// </summary>
    [Parameter]
    public object[]? Mention { get; set; }

    /// <summary>A card: from New-LarkCard or ConvertTo-LarkCard (one card), its JSON, or a hashtable; sent as an interactive message.</summary>
    [Parameter]
    public object? Card { get; set; }

    private PreparedItem PrepareContent()
    {
        var content = ReadContentParameters(out var contentType);
        var input = new MessageInput
        {
            ReceiveType = ReceiveTypes.User,
            ReceiveId = OutgoingMessage.PlaceholderOpenId,
            ContentType = contentType,
            Content = content,
            Text = Text,
            Markdown = Markdown,
            Title = Markdown is null ? null : Title,
            UpdateMulti = Updatable.IsPresent,
            Files = new LocalFilePaths { ImagePath = ImagePath },
        };
        var item = new InputItem(Card ?? Content ?? Text ?? Markdown, input, "the broadcast's content");
        var authoring = ReadMentions(Mention, _connection, markdownAsCard: true);
        var preparer = new ItemPreparer(_connection?.Transport ?? Transports.OfflineTransport.Instance, ChatNameLookup.Offline(null, WriteVerbose), ResolvePath, sending: true, authoring);
        var prepared = preparer.Prepare(item, null);
        if (prepared.Refusal is { } refusal)
        {
            ThrowTerminatingError(refusal);
        }

        if (!prepared.IsValid)
        {
            ThrowTerminatingError(ItemErrors.Invalid(item.Target, item.Description, prepared.Message!.Result));
        }

        foreach (var note in input.Notes)
        {
            WriteWarning("The broadcast's content: " + note);
        }

        return prepared;
    }

    // -Content, -Card, -Text, -Markdown and -ImagePath are each the whole content: one of them (a card's ContentType
    // is interactive); a conflict ends the command before anything is sent.
    private object? ReadContentParameters(out string? contentType)
    {
        contentType = ContentType;
        var given = new List<string>();
        void Add(object? value, string name)
        {
            if (value is not null)
            {
                given.Add(name);
            }
        }

        Add(Content, "-Content");
        Add(Card, "-Card");
        Add(Text, "-Text");
        Add(Markdown, "-Markdown");
        Add(ImagePath, "-ImagePath");
        if (given.Count > 1)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(new ArgumentException("Give one content, not " + string.Join(" and ", given) + ": each is the whole message."),
                ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidArgument, null,
                "Use -Text for plain text, -Markdown (with -Title) for formatted text, -Card for a card, -ImagePath for a picture, -Content for any other content. Nothing was sent."));
        }

        if (Title is not null && Markdown is null)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(new ArgumentException("-Title is the title of the card -Markdown makes; there is no -Markdown."),
                ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidArgument, Title,
                "Give -Markdown with -Title, or put the title into the content (New-LarkCard -Title, a post's title). Nothing was sent."));
        }

        var value = Card ?? Content;
        var cards = Cards(value);
        if (cards > 1)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(new ArgumentException($"The content is {cards.ToString(CultureInfo.InvariantCulture)} cards; a broadcast sends one message."),
                ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidArgument, value,
                "Send each card in a broadcast of its own: $cards | ForEach-Object { Send-LarkBroadcast -Card $_ … }. Nothing was sent."));
        }

        if (Card is not null || cards == 1)
        {
            if (!string.IsNullOrWhiteSpace(ContentType) && ContentTypes.Normalize(ContentType) != ContentTypes.Interactive)
            {
                ThrowTerminatingError(ErrorRecords.WithFix(new ArgumentException($"A card is an interactive message, not {ContentType}."),
                    ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidArgument, value,
                    "Leave -ContentType out with a card (or give interactive). Nothing was sent."));
            }

            contentType = ContentTypes.Interactive;
        }

        try
        {
            return PSInputReader.UnwrapContent(value is PSObject { BaseObject: object[] { Length: 1 } one } ? one[0] : value is object[] { Length: 1 } single ? single[0] : value);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidArgument, value,
                "Give the content as a JSON string, a hashtable or an object that does not contain itself. Nothing was sent."));
            return null;
        }
    }

    // How many LarkCards the value is (New-LarkCard makes one, ConvertTo-LarkCard one per part of a table).
    private static int Cards(object? value)
    {
        var item = value is PSObject ps ? ps.BaseObject : value;
        return item switch
        {
            Authoring.LarkCard => 1,
            object[] list => list.Count(v => (v is PSObject p ? p.BaseObject : v) is Authoring.LarkCard),
            _ => 0,
        };
    }

    // The content in batch_send's shape; with upload, local images uploaded first (once per content on the connection).
    private BroadcastContent? MakeContent(bool upload)
    {
        var message = _content!.Message!.Message!;
        var bytes = message.ContentUtf8;
        if (upload && _content.Uploads is { } uploads && _connection is not null)
        {
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in uploads.Files)
            {
                keys[file.Key] = RunAsync(_connection, ct => _connection.Uploads.GetKeyAsync(file.Value, ct));
            }

            bytes = Encoding.UTF8.GetBytes(Uploads.ItemUploads.Fill(message.Content, keys));
        }

        try
        {
            return BroadcastContent.From(message.MsgType, bytes);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(new ArgumentException("The broadcast's content cannot be sent as a batch message: " + ex.Message + "."),
                ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidData, Card ?? Content ?? Text ?? Markdown,
                "Change the content as said above, or send it per receiver with Send-LarkMessage. Nothing was sent."));
            return null;
        }
    }

    private string ResolvePath(string path, bool literal)
    {
        if (literal)
        {
            return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }

        var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
        return resolved.Count == 1 ? resolved[0] : throw new ArgumentException($"it matches {resolved.Count.ToString(CultureInfo.InvariantCulture)} files; give one");
    }
}
