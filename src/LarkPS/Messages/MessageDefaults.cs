using System;
using System.Collections.Generic;
using System.Linq;

namespace LarkPS.Messages;

/// <summary>The message parameters of a cmdlet call (-ReceiveType, -ReceiveId…): defaults for what an item lacks.</summary>
internal sealed class MessageParameters
{
    public string? ReceiveType { get; set; }

    /// <summary>-ReceiveId: one message goes to each.</summary>
    public IReadOnlyList<string> ReceiveIds { get; set; } = Array.Empty<string>();

    public string? ContentType { get; set; }

    /// <summary>-Content, already unwrapped from PowerShell.</summary>
    public object? Content { get; set; }

    public string? Text { get; set; }

    public string? Uuid { get; set; }

    /// <summary>-ImagePath, -FilePath, -LiteralPath (issue 11): a local file as the content of items that have none.</summary>
    public LocalFilePaths Files { get; set; } = new();

    /// <summary>-ReplyTo: the message (om_…) each item answers, unless it names its own.</summary>
    public string? ReplyTo { get; set; }

    /// <summary>-ReplyInThread: "true", or null.</summary>
    public string? ReplyInThread { get; set; }

    /// <summary>-Updatable: cards go out with config.update_multi:true.</summary>
    public bool UpdateMulti { get; set; }

    /// <summary>-Markdown (issue 22): sent as a post of md nodes, for items without content of their own.</summary>
    public string? Markdown { get; set; }

    /// <summary>-Title: the title of a post made from markdown.</summary>
    public string? Title { get; set; }
}

/// <summary>
/// Completes an item with the cmdlet's parameters (a value on the item wins; a parameter fills what the item lacks),
/// picks the receiver among columns such as Email or Phone (<see cref="ReceiverColumns"/>' rule), infers the receiveType from the id where none is given,
/// and notes a receiveType that contradicts its id. One input per receiver: -ReceiveId a,b makes two.
/// </summary>
internal static class MessageDefaults
{
    /// <summary>The message(s) <paramref name="item"/> (null: only the parameters) makes with <paramref name="parameters"/>.</summary>
    public static IReadOnlyList<MessageInput> Apply(MessageInput? item, MessageParameters parameters)
    {
        if (parameters is null)
        {
            throw new ArgumentNullException(nameof(parameters));
        }

        item ??= new MessageInput();
        var givenType = Blank(item.ReceiveType) ? parameters.ReceiveType : item.ReceiveType;

        // The receivers, each with the receiveType its source implies (a column's name), if any.
        var receivers = new List<(string? Id, string? ImpliedType)>();
        var problems = new List<ValidationProblem>();
        string? receiverNote = null;
        if (!Blank(item.ReceiveId))
        {
            receivers.Add((item.ReceiveId, null));
        }
        else if (item.ReceiverColumns.Count > 0)
        {
            var column = PickColumn(item, givenType, out receiverNote);
            if (column is not null)
            {
                receivers.Add((column.Value, column.ReceiveType));
            }
        }
        else
        {
            foreach (var id in parameters.ReceiveIds.Where(id => !Blank(id)))
            {
                receivers.Add((id, null));
            }
        }

        // A reply (issue 12) has no receiver of its own: it goes to the chat of the message it answers.
        var replyTo = Blank(item.ReplyTo) ? parameters.ReplyTo : item.ReplyTo;
        if (receivers.Count == 0)
        {
            receivers.Add((null, null));
            if (problems.Count == 0 && item.PropertyNames is { } names && Blank(replyTo) && !ReadAlready(item, "receiveId"))
            {
                var blankReceivers = names.Where(MessageInputFields.NamesReceiver).ToList();
                problems.Add(new ValidationProblem(
                    "receiveId",
                    blankReceivers.Count > 0
                        ? "is missing: the item's " + Empty(blankReceivers)
                        : "is missing: the item has no receiver property (its properties: " + ListNames(names) + ")",
                    "a receiveId, Email, Phone, ChatId or OpenId property (see Get-Help about_LarkPS), or -ReceiveId",
                    "missing"));
            }
        }

        // A local file is content: the item's own file or content wins over the parameters' (issue 11).
        var hasContent = item.Content is not null || !Blank(item.Text) || !item.Files.IsEmpty || item.Markdown is not null;
        if (!hasContent && parameters.Content is null && Blank(parameters.Text) && parameters.Files.IsEmpty && parameters.Markdown is null && item.PropertyNames is { } had && (receivers[0].Id is not null || !Blank(replyTo)) && !ReadAlready(item, "content", "text"))
        {
            var blankContent = had.Where(MessageInputFields.NamesContent).ToList();
            problems.Add(new ValidationProblem(
                "content",
                blankContent.Count > 0
                    ? "is missing: the item's " + Empty(blankContent)
                    : "is missing: the item has no content property (its properties: " + ListNames(had) + ")",
                "a content, Text, Message, Body or Markdown property (or imagePath / filePath / path), or -Text / -Content / -Markdown / -ImagePath / -FilePath",
                "missing"));
        }

        // Markdown is the item's content: beside a content, text or file of the item's own it is a contradiction.
        if (item.Markdown is not null && (item.Content is not null || !Blank(item.Text) || !item.Files.IsEmpty))
        {
            problems.Add(new ValidationProblem(
                "markdown",
                "is given together with " + (item.Content is not null ? "content" : !Blank(item.Text) ? "text" : "a file"),
                "either markdown (sent as a post) or the content, not both",
                "conflict"));
        }

        var uuid = Blank(item.Uuid) ? parameters.Uuid : item.Uuid;
        if (!Blank(uuid) && receivers.Count > 1)
        {
            problems.Add(new ValidationProblem(
                "uuid",
                "is one uuid for " + receivers.Count + " receivers, but each message needs its own",
                "no -Uuid with several receivers: each gets a uuid of its own",
                "string"));
        }

        var inputs = new List<MessageInput>(receivers.Count);
        foreach (var (id, impliedType) in receivers)
        {
            var input = new MessageInput
            {
                ReceiveId = id,
                ContentType = Blank(item.ContentType) ? parameters.ContentType : item.ContentType,
                Content = hasContent ? item.Content : parameters.Content,
                Text = hasContent ? item.Text : parameters.Text,
                Files = hasContent ? item.Files : parameters.Files,
                Markdown = hasContent ? item.Markdown : parameters.Markdown,

                // The item's title only beside its own markdown (a directory object's Title is a job title).
                Title = item.Markdown is not null && !Blank(item.Title) ? item.Title : parameters.Title,
                TitleProblem = item.Markdown is not null ? item.TitleProblem : null,
                Uuid = uuid,
                ReplyTo = replyTo,
                ReplyInThread = Blank(item.ReplyInThread) ? parameters.ReplyInThread : item.ReplyInThread,
                UpdateMulti = item.UpdateMulti || parameters.UpdateMulti,
                SourceDescription = item.SourceDescription,
                PropertyNames = item.PropertyNames,
                ReceiverNote = receiverNote,
            };
            foreach (var problem in item.ReadProblems.Concat(problems))
            {
                input.ReadProblems.Add(problem);
            }

            input.ReceiveType = ResolveType(Blank(givenType) ? impliedType : givenType, id, input.ReadProblems);
            inputs.Add(input);
        }

        return inputs;
    }

    // The given receiveType, or the one the id's shape names; a given one that the id contradicts is a problem.
    private static string? ResolveType(string? given, string? id, IList<ValidationProblem> problems)
    {
        var inferred = ReceiveTypeInference.Infer(id);
        if (Blank(given))
        {
            return inferred;
        }

        var normalized = ReceiveTypes.Normalize(given);
        if (normalized is not null && inferred is not null && ReceiveTypeInference.Contradicts(normalized, inferred))
        {
            problems.Add(new ValidationProblem(
                "receiveType",
                ValidationProblem.Quote(given!.Trim()) + " contradicts the receiveId " + ValidationProblem.Quote(id!.Trim()) +
                    ", which is " + ReceiveTypeInference.DescribeShape(inferred),
                "receiveType '" + inferred + "', or no receiveType at all (it is inferred from the id)",
                "conflict"));
        }

        return given;
    }

    // Of several receiver columns: the one ReceiverColumns' rule picks (the given receiveType's kind, else the first
    // present of open_id, email, phone, chat). Issue 26: a row with Email and Phone is one message, not refused.
    private static ReceiverColumn? PickColumn(MessageInput item, string? givenType, out string? note)
    {
        var choice = ReceiverColumns.Pick(item.ReceiverColumns, givenType);
        note = choice.Note;
        return choice.Chosen;
    }

    // "Message is empty", "Email and Phone are empty": properties that are there, but blank (a CSV row's empty cell).
    private static string Empty(List<string> names) =>
        (names.Count == 1 ? names[0] + " is" : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[names.Count - 1] + " are") + " empty";

    private static string ListNames(IList<string> names) =>
        names.Count == 0 ? "none" : string.Join(", ", names.Take(12)) + (names.Count > 12 ? ", …" : string.Empty);

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    // A field the reading already refused (an array or object where a string goes) is not also "missing: … is empty".
    private static bool ReadAlready(MessageInput item, params string[] fields) =>
        item.ReadProblems.Any(p => fields.Contains(p.Field));
}
