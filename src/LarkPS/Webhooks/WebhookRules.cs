using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LarkPS.Messages;

namespace LarkPS.Webhooks;

/// <summary>The verdict on one item for a webhook connection: the validator's result and, when valid, the hook message.</summary>
internal sealed class WebhookValidation
{
    public WebhookValidation(MessageValidationResult result, WebhookMessage? message, bool uuidIgnored)
    {
        Result = result;
        Message = result.IsValid ? message : null;
        UuidIgnored = uuidIgnored;
    }

    public MessageValidationResult Result { get; }

    public bool IsValid => Result.IsValid;

    public WebhookMessage? Message { get; }

    /// <summary>The item had a uuid, which a hook request cannot carry.</summary>
    public bool UuidIgnored { get; }
}

/// <summary>
/// What a custom-bot webhook can send, checked offline by Send-LarkMessage and Test-LarkMessage alike: the item's
/// content through the one <see cref="MessageValidator"/>, then the hook's own rules (its chat is the receiver, five
/// content types, 20 KB).
/// </summary>
internal static class WebhookRules
{
    /// <summary>A chat id that stands in for the hook's chat while the content is validated: the hook decides the chat.</summary>
    internal const string PlaceholderChatId = "oc_00000000000000000000000000000000";

    /// <summary>The content types a custom bot can send.</summary>
    public static IReadOnlyList<string> SendableTypes { get; } = new[]
    {
        ContentTypes.Text, ContentTypes.Post, ContentTypes.Image, ContentTypes.ShareChat, ContentTypes.Interactive,
    };

    private const string AppOnlyFix = "through an app connection (Connect-Lark -AppId … -AppSecret …)";

    public static WebhookValidation Check(MessageInput input, bool signed)
    {
        if (input is null)
        {
            throw new ArgumentNullException(nameof(input));
        }

        var problems = new List<ValidationProblem>();
        CheckReceiver(input, problems);
        if (!string.IsNullOrWhiteSpace(input.ReplyTo))
        {
            // A hook only posts: reply, edit and recall need the app's message API (issue 12).
            problems.Add(new ValidationProblem(
                "replyTo",
                "is given, but a custom-bot webhook cannot reply to a message",
                "no replyTo on a webhook connection; reply " + AppOnlyFix + " with Send-LarkMessage -ReplyTo -Connection",
                "string"));
        }

        // The content goes through the one validator, addressed to a stand-in chat: the hook's chat is the receiver.
        var stand = new MessageInput
        {
            ReceiveType = ReceiveTypes.Chat,
            ReceiveId = PlaceholderChatId,
            ContentType = input.ContentType,
            Content = input.Content,
            Text = input.Text,
            SourceDescription = input.SourceDescription,
        };
        // A missing receiver is no problem on a hook (its chat is the receiver): the readers cannot know that.
        foreach (var problem in input.ReadProblems.Where(p => !(p.Field == "receiveId" && p.ActualKind == "missing")))
        {
            stand.ReadProblems.Add(problem);
        }

        var checkedContent = MessageValidator.Validate(stand);

        // The app API's size limits (30 and 150 KB) are looser than the hook's 20 KB, checked below.
        problems.AddRange(checkedContent.Problems.Where(p => !IsAppSizeProblem(p) && !WebhookCardRules.IsLocalImageProblem(p)));

        // Issue 22: a hook's card cannot call back, and a hook cannot upload a card's image.
        problems.AddRange(WebhookCardRules.Check(ContentTypes.Normalize(input.ContentType), input.Content));

        var msgType = ContentTypes.Normalize(input.ContentType);
        if (msgType is not null && !SendableTypes.Contains(msgType))
        {
            problems.Add(new ValidationProblem(
                "contentType",
                ValidationProblem.Quote(msgType) + " cannot be sent by a custom-bot webhook",
                ValidationProblem.OneOf(SendableTypes) + " (an image by its image_key); send " + msgType + " messages " + AppOnlyFix,
                "string"));
        }

        WebhookMessage? message = null;
        if (problems.Count == 0 && checkedContent.Message is { } outgoing)
        {
            message = new WebhookMessage(outgoing);
            var bytes = message.ByteCount(signed);
            if (bytes > WebhookMessage.MaxBodyBytes)
            {
                problems.Add(new ValidationProblem(
                    "content",
                    "makes a webhook request body of " + Count(bytes) + " bytes, over the 20 KB limit of custom-bot webhooks",
                    "a request body of at most " + Count(WebhookMessage.MaxBodyBytes) + " bytes (20 KB); longer messages " + AppOnlyFix,
                    "object"));
                message = null;
            }
        }

        var result = new MessageValidationResult(input, problems, problems.Count == 0 ? checkedContent.Message : null);
        return new WebhookValidation(result, message, !string.IsNullOrWhiteSpace(input.Uuid));
    }

    // A hook posts into its own group only: a receiver that names anything else contradicts it.
    private static void CheckReceiver(MessageInput input, List<ValidationProblem> problems)
    {
        var givenType = string.IsNullOrWhiteSpace(input.ReceiveType) ? null : input.ReceiveType!.Trim();
        var givenId = string.IsNullOrWhiteSpace(input.ReceiveId) ? null : input.ReceiveId!.Trim();
        if (givenType is null && givenId is null)
        {
            return;
        }

        var type = givenType is null ? null : ReceiveTypes.Normalize(givenType);
        if (givenType is not null && type is null)
        {
            problems.Add(new ValidationProblem(
                "receiveType",
                ValidationProblem.Quote(givenType) + " is not a receive type",
                "nothing (a webhook posts into its own group), or 'chat'",
                "string"));
            return;
        }

        var isChat = type is ReceiveTypes.Chat or ReceiveTypes.ChatId
            || (type is null && givenId!.StartsWith("oc_", StringComparison.Ordinal));
        if (!isChat)
        {
            problems.Add(new ValidationProblem(
                givenType is null ? "receiveId" : "receiveType",
                (givenType is null ? ValidationProblem.Quote(givenId!) : ValidationProblem.Quote(givenType)) + " names a " + (type ?? ReceiveTypes.User) + ", but a custom-bot webhook posts only into its own group",
                "no receiveType and receiveId (the hook's group is the receiver); to reach users, send " + AppOnlyFix,
                "string"));
        }
    }

    private static bool IsAppSizeProblem(ValidationProblem problem) =>
        problem.Field == "content" && problem.Problem.StartsWith("makes a request body of", StringComparison.Ordinal);

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
