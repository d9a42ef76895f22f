namespace LarkPS.Api;

/// <summary>
/// The stable first half of every FullyQualifiedErrorId LarkPS writes (the second is the cmdlet's type name):
/// scripts match on these, so they never change once released.
/// </summary>
internal static partial class ErrorIds
{
    public const string MissingCredentials = "MissingCredentials";
    public const string InvalidBaseUri = "InvalidBaseUri";
    public const string RegionAndBaseUri = "RegionAndBaseUri";
    public const string UnknownAppId = "UnknownAppId";
    public const string InvalidAppSecret = "InvalidAppSecret";
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string LarkUnreachable = "LarkUnreachable";
    public const string NotConnected = "NotConnected";

    public const string InvalidMessage = "InvalidMessage";
    public const string PhoneNotResolved = "PhoneNotResolved";
    public const string SendFailed = "SendFailed";
    public const string SendStopped = "SendStopped";
    public const string ReceiverOutsideVisibleRange = "ReceiverOutsideVisibleRange";
    public const string BotNotInChat = "BotNotInChat";
    public const string BotCapabilityDisabled = "BotCapabilityDisabled";
    public const string MissingPermission = "MissingPermission";
    public const string ReceiverInvalid = "ReceiverInvalid";
    public const string RateLimited = "RateLimited";
    public const string LarkServerError = "LarkServerError";
    public const string ReceiverResigned = "ReceiverResigned";

    // Any call
    public const string LarkRequestFailed = "LarkRequestFailed";
    public const string LarkRedirected = "LarkRedirected";
    public const string LarkAnswerInvalid = "LarkAnswerInvalid";
    public const string TokenRejected = "TokenRejected";

    // Custom-bot webhooks (issue 13)
    public const string InvalidWebhookUri = "InvalidWebhookUri";
    public const string WebhookSignatureRejected = "WebhookSignatureRejected";
    public const string WebhookIpNotAllowed = "WebhookIpNotAllowed";
    public const string WebhookKeywordMissing = "WebhookKeywordMissing";
    public const string WebhookTokenInvalid = "WebhookTokenInvalid";
    public const string WebhookBadRequest = "WebhookBadRequest";
    public const string WebhookMayHaveArrived = "WebhookMayHaveArrived";

    // Issue 14: item isolation, duplicate uuids, the journal.
    public const string DuplicateUuid = "DuplicateUuid";
    public const string MayHaveArrived = "MayHaveArrived";
    public const string JournalUnusable = "JournalUnusable";
    public const string DeadlineExceeded = "DeadlineExceeded";

    // Issue 24: quota refusals are retried until the item's time budget (-DeadlineSec) is spent, then this.
    public const string QuotaBudgetSpent = "QuotaBudgetSpent";

    // Issue 11: chats, users, uploads.
    public const string ChatNotFound = "ChatNotFound";
    public const string ChatNameAmbiguous = "ChatNameAmbiguous";
    public const string ChatListFailed = "ChatListFailed";
    public const string UserLookupFailed = "UserLookupFailed";
    public const string InvalidUserInput = "InvalidUserInput";
    public const string UploadRefused = "UploadRefused";
    public const string UploadNeedsApp = "UploadNeedsApp";
    public const string NeedsAppConnection = "NeedsAppConnection";

    // Acting on sent messages: Set-LarkMessage, Remove-LarkMessage, Send-LarkMessage -ReplyTo (issue 12)
    public const string InvalidMessageId = "InvalidMessageId";
    public const string MessageNotFound = "MessageNotFound";
    public const string MessageRecalled = "MessageRecalled";
    public const string NotMessageSender = "NotMessageSender";
    public const string EditLimitReached = "EditLimitReached";
    public const string EditWindowPassed = "EditWindowPassed";
    public const string CardNotUpdatable = "CardNotUpdatable";
    public const string CardUpdateWindowPassed = "CardUpdateWindowPassed";
    public const string CardSplit = "CardSplit";
    public const string RecallWindowPassed = "RecallWindowPassed";
    public const string MessageChangeFailed = "MessageChangeFailed";
    public const string MessageChangeStopped = "MessageChangeStopped";
    public const string WebhookCannotActOnMessages = "WebhookCannotActOnMessages";
}
