using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Authoring;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// New-LarkCard: a status card (JSON 2.0, shared so Set-LarkMessage can update it) from parameters: a coloured
/// header, a markdown body, label/value fields two to a row, an image, buttons that open a link or call back, a note
/// and mentions. The card pipes into Send-LarkMessage, Test-LarkMessage and Set-LarkMessage.
/// </summary>
[Cmdlet(VerbsCommon.New, "LarkCard")]
[OutputType(typeof(LarkCard))]
public sealed class NewLarkCardCommand : LarkCmdlet
{
    private const string ButtonFix =
        "Give each button as @{Text='Open'; Url='https://…'} (a link) or @{Text='Ack'; Value=@{action='ack'}; Style='primary'} (a callback the app receives), with the keys Text, Url, Value and Style (default, primary or danger).";

    /// <summary>The header's title.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>A second line under the title.</summary>
    [Parameter]
    public string? Subtitle { get; set; }

    /// <summary>The header's colour.</summary>
    [Parameter]
    [ValidateSet("blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple", "indigo", "grey", "default")]
    public string? Template { get; set; }

    /// <summary>The body, in Lark's card markdown (bold, links, lists, colours, headings…).</summary>
    [Parameter(Position = 1)]
    public string? Markdown { get; set; }

    /// <summary>Label/value pairs shown two to a row, in the order of an ordered hashtable ([ordered]@{Host='db-02'; Used='93%'}); shown as typed.</summary>
    [Parameter]
    public IDictionary? Field { get; set; }

    /// <summary>Buttons in one row: @{Text='Open'; Url='https://…'} opens a link; @{Text='Ack'; Value=@{action='ack'}; Style='primary'} sends Value to the app.</summary>
    [Parameter]
    public IDictionary[]? Button { get; set; }

    /// <summary>An image: the path of a local file (uploaded by Send-LarkMessage, once per connection) or an image key (img_…).</summary>
    [Parameter]
    public string? Image { get; set; }

    /// <summary>A grey line of small text at the foot of the card.</summary>
    [Parameter]
    public string? Note { get; set; }

    /// <summary>People to mention under the body: e-mail addresses (looked up), open_ids, Get-LarkUser output, or 'all'.</summary>
    [Parameter]
    public object[]? Mention { get; set; }

    /// <summary>The connection that looks e-mail addresses up, and whose kind sizes the card; default: this session's.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        if (string.IsNullOrWhiteSpace(Title))
        {
            // [ValidateNotNullOrEmpty] lets spaces through; the header would throw an ArgumentException of its own.
            ThrowTerminatingError(ErrorRecords.WithFix(
                new ArgumentException("-Title is only spaces: a card's header needs a title to show."),
                AuthoringErrorIds.InvalidCardInput, ErrorCategory.InvalidArgument, Title,
                "Give -Title the words the card's header shows, such as -Title 'Disk 93% on db-02'. No card was made."));
        }

        var builder = new StatusCardBuilder(Title!, Subtitle, Template) { Markdown = Markdown, Note = Note };
        try
        {
            AddFields(builder);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, AuthoringErrorIds.InvalidCardInput, ErrorCategory.InvalidArgument, Field,
                "Give -Field as an ordered hashtable of label = value: -Field ([ordered]@{Host='db-02'; Used='93%'}). No card was made."));
        }

        foreach (var button in Button ?? Array.Empty<IDictionary>())
        {
            try
            {
                builder.AddButton(ReadButton(button));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.WithFix(ex, AuthoringErrorIds.InvalidCardInput, ErrorCategory.InvalidArgument, button, ButtonFix + " No card was made."));
            }
        }

        if (Image is not null)
        {
            builder.Image = ReadImage(Image);
        }

        if (Mention is { Length: > 0 })
        {
            var mentions = ResolveMentions();
            if (mentions is null)
            {
                return;
            }

            builder.AddMentions(mentions);
        }

        CardDocument card;
        try
        {
            card = builder.Build();
        }
        catch (CardLimitException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, AuthoringErrorIds.CardLimit, ErrorCategory.LimitsExceeded, null, ex.Fix));
            return;
        }

        var json = card.ToJson();
        var target = (Connection ?? ConnectionStore.Current)?.Kind == LarkConnectionKind.Webhook ? CardTarget.Webhook : CardTarget.App;
        var bytes = CardSize.BodyBytes(json, target);
        if (bytes > CardLimits.BudgetFor(target))
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The card makes a request body of {0:N0} bytes; Lark takes at most {1:N0} ({2}), and LarkPS keeps {3:N0} bytes of margin.",
                    bytes, target == CardTarget.Webhook ? CardLimits.HookBodyBytes : CardLimits.AppBodyBytes, target == CardTarget.Webhook ? "a custom bot's hook" : "a card", CardLimits.Margin)),
                AuthoringErrorIds.CardLimit, ErrorCategory.LimitsExceeded, null,
                "Shorten the markdown or the fields; for many rows of data use ConvertTo-LarkCard, which splits them over several cards."));
        }

        WriteObject(new LarkCard(json, Title, 1, 1, 0, bytes));
    }

    private void AddFields(StatusCardBuilder builder)
    {
        if (Field is null)
        {
            return;
        }

        foreach (DictionaryEntry entry in Field)
        {
            var label = LanguagePrimitives.ConvertTo<string>(entry.Key);
            if (string.IsNullOrWhiteSpace(label))
            {
                throw new ArgumentException("A -Field label is empty: each key of -Field is the label shown in bold.");
            }

            builder.AddField(label, entry.Value is null ? string.Empty : LanguagePrimitives.ConvertTo<string>(entry.Value));
        }
    }

    private static ButtonElement ReadButton(IDictionary button)
    {
        string? text = null;
        string? style = null;
        Uri? url = null;
        object? value = null;
        foreach (DictionaryEntry entry in button)
        {
            var key = LanguagePrimitives.ConvertTo<string>(entry.Key);
            switch (key.ToUpperInvariant())
            {
                case "TEXT":
                    text = LanguagePrimitives.ConvertTo<string>(entry.Value);
                    break;
                case "STYLE":
                    style = LanguagePrimitives.ConvertTo<string>(entry.Value)?.ToLowerInvariant();
                    break;
                case "URL":
                    var link = LanguagePrimitives.ConvertTo<string>(entry.Value);
                    if (!Uri.TryCreate(link, UriKind.Absolute, out url))
                    {
                        throw new ArgumentException("The button's Url '" + link + "' is not an absolute link such as https://example.com/.");
                    }

                    break;
                case "VALUE":
                    value = PSInputReader.UnwrapContent(entry.Value);
                    if (value is not null and not IDictionary<string, object?>)
                    {
                        // Lark documents a callback's value as an object: a plain value is wrapped.
                        value = new Dictionary<string, object?> { ["value"] = value };
                    }

                    break;
                default:
                    throw new ArgumentException("A -Button has the key '" + key + "', which is not a button key: a button takes Text, Url, Value and Style.");
            }
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("A -Button has no Text: every button needs the words it shows.");
        }

        if (url is null && value is null)
        {
            throw new ArgumentException("The button '" + text + "' has neither Url nor Value: give Url to open a link, or Value for the app's callback.");
        }

        return new ButtonElement(text!, style, url, value);
    }

    private ImageElement ReadImage(string image)
    {
        if (image.StartsWith("img_", StringComparison.Ordinal))
        {
            return ImageElement.FromKey(image);
        }

        string? resolved = null;
        try
        {
            var paths = SessionState.Path.GetResolvedProviderPathFromPSPath(image, out var provider);
            if (provider.Name == "FileSystem" && paths.Count == 1 && System.IO.File.Exists(paths[0]))
            {
                resolved = paths[0];
            }
        }
        catch (Exception ex) when (ex is ItemNotFoundException or DriveNotFoundException or ProviderNotFoundException or ArgumentException or NotSupportedException)
        {
            resolved = null;
        }

        if (resolved is null)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new System.IO.FileNotFoundException("-Image '" + image + "' is neither one existing file nor an image key (img_…)."),
                AuthoringErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, image,
                "Give the path of one image file (relative paths and PSDrives work; a wildcard must match one file), or the img_… key of an uploaded image."));
        }

        return ImageElement.FromFile(resolved!);
    }

    // Null when a mention could not be made: the errors are written and no card comes out.
    private List<Authoring.Mention>? ResolveMentions()
    {
        var requests = MentionLookup.Read(Mention!);
        var emails = MentionLookup.EmailsOf(requests);
        IReadOnlyDictionary<string, (string? OpenId, string? Problem)>? resolved = null;
        if (emails.Count > 0)
        {
            var connection = RequireAppConnection(Connection, "looks the e-mail addresses of -Mention up (POST /open-apis/contact/v3/users/batch_get_id)");
            try
            {
                resolved = RunAsync(ct => MentionLookup.ResolveAsync(connection, emails, ct));
            }
            catch (LarkApiException ex)
            {
                ThrowTerminatingError(ErrorRecords.WithFix(ex, ex.Row.ErrorId, ex.Row.Category, emails, ex.Row.Fix, "Could not look up the e-mail addresses of -Mention: " + ex.Message));
            }
        }

        var problems = new List<(object? Given, string Problem)>();
        var mentions = MentionLookup.Complete(requests, resolved, problems);
        foreach (var (given, problem) in problems)
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException("-Mention " + problem.TrimEnd('.') + "."), AuthoringErrorIds.InvalidMention, ErrorCategory.InvalidArgument, given,
                "Give 'all', an open_id (ou_…), the user's own e-mail address, or a Found user from Get-LarkUser. No card was made, so that nobody is left out unnoticed."));
        }

        return problems.Count == 0 ? mentions : null;
    }
}
