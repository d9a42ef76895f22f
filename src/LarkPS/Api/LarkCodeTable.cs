using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>
/// The one place Lark's codes get their meaning: code → HTTP status, meaning, retry kind, error id, category, fix.
/// The HTTP choke point classifies every answer once into a row; retries, error records and cmdlets only read it.
/// </summary>
/// <remarks>
/// A partial class: each group of operations keeps its rows in its own file (LarkCodeTable.*.cs), so an operation
/// added later adds rows, not switches. Lookup takes the row for (code, operation) first, then (code, Any).
/// Answers without a code of their own (no answer, a bare 5xx, a redirect…) get the pseudo-codes below zero.
/// </remarks>
internal static partial class LarkCodeTable
{
    // Pseudo-codes: answers that carry no Lark code of their own.
    public const int NoAnswer = -1;
    public const int HttpServerError = -2;
    public const int HttpTooManyRequests = -3;
    public const int UnknownCode = -4;
    public const int Redirected = -5;
    public const int AnswerTooLarge = -6;
    public const int MalformedAnswer = -7;
    public const int NotLarkApi = -8;

    private const string VisibleRangeFix =
        "in the developer console, add the user to the app's availability (visible) range (App Versions > Version Management & Release > Availability), then create and publish a new app version.";

    // Fixes that several rows share, written once.
    private const string ScopesFix =
        "In the developer console, grant the app the scopes it needs (im:message:send_as_bot to send; contact:user.id:readonly to look up phone numbers and e-mails; im:chat:readonly to list chats; im:resource to upload) under Permissions & Scopes, then publish a new app version.";

    private const string FreshTokenFix =
        "Lark refused a freshly fetched tenant token too: check that the app is enabled and its latest version published, then run Connect-Lark again.";

    private const string AppRateLimitFix =
        "Lark kept refusing for its rate limit; send fewer messages per second, or lower the quotas on Connect-Lark if the tenant has a lower tier.";

    private const string RetryLaterFix =
        "Lark or the network kept failing after every retry; send the item again later (its uuid keeps it from arriving twice within an hour).";

    private static readonly Lazy<Dictionary<(int, LarkOperation), LarkCode>> Index = new(BuildIndex);

    /// <summary>Every row, each (code, operation) once.</summary>
    public static IReadOnlyList<LarkCode> Rows => Index.Value.Values.OrderBy(r => r.Code).ThenBy(r => r.Operation).ToList();

    /// <summary>The row for <paramref name="code"/> in <paramref name="operation"/>, else for every operation; null where there is none.</summary>
    public static LarkCode? Find(int code, LarkOperation operation)
    {
        var index = Index.Value;
        if (index.TryGetValue((code, operation), out var row))
        {
            return row;
        }

        return index.TryGetValue((code, LarkOperation.Any), out row) ? row : null;
    }

    /// <summary>The row of one answer, always one: Lark's code where the table knows it, else by HTTP status or transport.</summary>
    /// <param name="code">Lark's code; 0 or null where none was read.</param>
    /// <param name="httpStatus">The HTTP status; null where no answer arrived.</param>
    /// <param name="noAnswer">True where no answer arrived (timeout, reset, refused connection).</param>
    /// <param name="operation">The call the answer belongs to.</param>
    public static LarkCode Classify(int? code, int? httpStatus, bool noAnswer, LarkOperation operation)
    {
        if (noAnswer)
        {
            return Find(NoAnswer, operation)!;
        }

        // A code Lark documents wins over the HTTP status: 230001 stays final even with a 5xx.
        if (code is { } known && known != 0 && Find(known, operation) is { } row)
        {
            return row;
        }

        return httpStatus switch
        {
            >= 300 and < 400 => Find(Redirected, operation)!,
            429 => Find(HttpTooManyRequests, operation)!,
            >= 500 and < 600 => Find(HttpServerError, operation)!,
            _ => Find(UnknownCode, operation)!,
        };
    }

    private static Dictionary<(int, LarkOperation), LarkCode> BuildIndex()
    {
        var index = new Dictionary<(int, LarkOperation), LarkCode>();
        foreach (var row in CoreRows().Concat(TokenRows()).Concat(SendRows()).Concat(DirectoryRows()).Concat(MessageOpRows()).Concat(WebhookRows()).Concat(EventEndpointRows()).Concat(HistoryRows()).Concat(MessageIdRows()).Concat(BroadcastRows()))
        {
            // A second row for the same (code, operation) is a bug in the table: fail loudly in the unit tests.
            index.Add((row.Code, row.Operation), row);
        }

        return index;
    }

    private static LarkCode Row(int code, int? http, LarkOperation operation, string meaning, RetryKind retry, string errorId, ErrorCategory category, string? fix) =>
        new(code, http, operation, meaning, retry, errorId, category, fix);

    // Rows for every operation: transport, HTTP-level answers, quotas, server trouble, tokens, scopes.
    private static LarkCode[] CoreRows() => new[]
    {
        Row(NoAnswer, null, LarkOperation.Any, "gave no answer (timeout, reset or refused connection)", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError, RetryLaterFix),
        Row(HttpServerError, null, LarkOperation.Any, "had a server error", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError, RetryLaterFix),
        Row(HttpTooManyRequests, 429, LarkOperation.Any, "refused for the app's rate limit", RetryKind.AppQuota, ErrorIds.RateLimited, ErrorCategory.LimitsExceeded,
            AppRateLimitFix),
        Row(UnknownCode, null, LarkOperation.Any, "refused the request", RetryKind.Never, ErrorIds.LarkRequestFailed, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's error code list (open.feishu.cn > Server API > error codes); if the cause is unclear, give Lark support the log id."),
        Row(Redirected, null, LarkOperation.Any, "answered with a redirect, which LarkPS never follows (it would carry the token or App Secret to another host)", RetryKind.Never, ErrorIds.LarkRedirected, ErrorCategory.SecurityError,
            "Lark's Open API does not redirect: check -BaseUri / -Region (https://open.feishu.cn or https://open.larksuite.com), and any proxy or gateway in between."),
        Row(AnswerTooLarge, null, LarkOperation.Any, "sent an answer larger than any Lark answer", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ProtocolError,
            "Check -BaseUri: the host is not answering like the Lark Open API (a proxy or gateway in between may be broken)."),
        Row(MalformedAnswer, null, LarkOperation.Any, "sent an answer that is not in Lark's format", RetryKind.Never, ErrorIds.LarkAnswerInvalid, ErrorCategory.ProtocolError,
            "Check -BaseUri: the host is not answering like the Lark Open API. If it is Lark, give Lark support the log id."),
        Row(NotLarkApi, 404, LarkOperation.Any, "does not know this path", RetryKind.Never, ErrorIds.LarkRequestFailed, ErrorCategory.InvalidOperation,
            "Check that -BaseUri points at the Lark Open API (https://open.feishu.cn or https://open.larksuite.com), not at a web page or a gateway."),

        Row(LarkErrorCodes.AppFrequencyLimit, 429, LarkOperation.Any, "refused for the app's rate limit", RetryKind.AppQuota, ErrorIds.RateLimited, ErrorCategory.LimitsExceeded,
            AppRateLimitFix),
        Row(LarkErrorCodes.ReceiverFrequencyLimit, 400, LarkOperation.Any, "refused for the rate limit of one user or chat (5 per second)", RetryKind.ReceiverQuota, ErrorIds.RateLimited, ErrorCategory.LimitsExceeded,
            "Lark kept refusing for this receiver's rate limit; send fewer messages to this user or chat per second (other bots in a chat share its limit)."),
        Row(LarkErrorCodes.InternalError, null, LarkOperation.Any, "had an internal error", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError, RetryLaterFix),
        Row(LarkErrorCodes.ServerError, null, LarkOperation.Any, "had a server error", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError, RetryLaterFix),

        Row(LarkErrorCodes.TokenMissing, 400, LarkOperation.Any, "got no access token", RetryKind.Never, ErrorIds.TokenRejected, ErrorCategory.AuthenticationError,
            "This is a LarkPS bug (every call carries the tenant token): please report it with the log id."),
        Row(LarkErrorCodes.TokenInvalid, 400, LarkOperation.Any, "refused the access token as invalid", RetryKind.RefreshToken, ErrorIds.TokenRejected, ErrorCategory.AuthenticationError,
            FreshTokenFix),
        Row(LarkErrorCodes.TokenInvalid2, 400, LarkOperation.Any, "refused the access token as invalid", RetryKind.RefreshToken, ErrorIds.TokenRejected, ErrorCategory.AuthenticationError,
            FreshTokenFix),
        Row(LarkErrorCodes.TokenExpired, 400, LarkOperation.Any, "refused the access token as expired", RetryKind.RefreshToken, ErrorIds.TokenRejected, ErrorCategory.AuthenticationError,
            "Lark refused a freshly fetched tenant token too: check the machine's clock, then run Connect-Lark again."),
        Row(LarkErrorCodes.MissingScope, 400, LarkOperation.Any, "refused: the app lacks a permission scope", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied,
            ScopesFix),
        Row(LarkErrorCodes.MissingPermission, 400, LarkOperation.Any, "refused: the app lacks a permission", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied,
            ScopesFix),
    };

    // The tenant token endpoint: its errors come with HTTP 200 (LARK-API.md).
    private static LarkCode[] TokenRows() => new[]
    {
        Row(NoAnswer, null, LarkOperation.Token, "could not be reached", RetryKind.Transient, ErrorIds.LarkUnreachable, ErrorCategory.ConnectionError,
            "Check the network path to the host (proxy, firewall) and -Region / -BaseUri."),
        Row(UnknownCode, null, LarkOperation.Token, "refused to issue a tenant token", RetryKind.Never, ErrorIds.AuthenticationFailed, ErrorCategory.AuthenticationError,
            "Check the App ID, App Secret and region; the log id is what Lark support asks for."),
        Row(LarkErrorCodes.AppSecretInvalid, 200, LarkOperation.Token, "rejected the App Secret", RetryKind.Never, ErrorIds.InvalidAppSecret, ErrorCategory.AuthenticationError,
            "Copy the App Secret again from the app's 'Credentials & Basic Info' page in the developer console; if it was reset, use the new one."),
        Row(LarkErrorCodes.AppIdSecretMismatch, 200, LarkOperation.Token, "found that the App ID and App Secret do not belong together", RetryKind.Never, ErrorIds.InvalidAppSecret, ErrorCategory.AuthenticationError,
            "Copy the App ID and App Secret of the same app from its 'Credentials & Basic Info' page in the developer console."),
        Row(LarkErrorCodes.InvalidParam, 200, LarkOperation.Token, "does not know the app", RetryKind.Never, ErrorIds.UnknownAppId, ErrorCategory.AuthenticationError, UnknownAppFix),
        Row(LarkErrorCodes.AppNotFound, 200, LarkOperation.Token, "does not know the app", RetryKind.Never, ErrorIds.UnknownAppId, ErrorCategory.AuthenticationError, UnknownAppFix),
        Row(LarkErrorCodes.AppTicketInvalid, 200, LarkOperation.Token, "does not accept the app", RetryKind.Never, ErrorIds.UnknownAppId, ErrorCategory.AuthenticationError, UnknownAppFix),
    };

    private const string UnknownAppFix =
        "Check the App ID (cli_…) on the app's 'Credentials & Basic Info' page, and the region: an app made on open.larksuite.com does not exist on open.feishu.cn (use -Region Lark).";

    // Send message (and reply, which answers with the same codes unless a row of its own says otherwise).
    private static LarkCode[] SendRows() => new[]
    {
        Row(UnknownCode, null, LarkOperation.Send, "refused to send the message", RetryKind.Never, ErrorIds.SendFailed, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's error code list; if the cause is unclear, give Lark support the log id."),
        Row(LarkErrorCodes.MessageBeingSent, 400, LarkOperation.Any, "is still sending this message", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ResourceBusy, RetryLaterFix),
        Row(LarkErrorCodes.InvalidParameter, 400, LarkOperation.Any, "refused a parameter", RetryKind.Never, ErrorIds.InvalidMessage, ErrorCategory.InvalidData,
            "Check the item with Test-LarkMessage -Detailed; Lark's msg above names the field it refused."),
        Row(LarkErrorCodes.BotNotInChat, 400, LarkOperation.Any, "refused: the bot is not in the chat", RetryKind.Never, ErrorIds.BotNotInChat, ErrorCategory.PermissionDenied,
            "Add the bot to the chat (chat settings > Group bots > Add bot), or send to a chat the bot is in."),
        Row(LarkErrorCodes.BotCapabilityDisabled, 400, LarkOperation.Any, "refused: the app's bot capability is not enabled", RetryKind.Never, ErrorIds.BotCapabilityDisabled, ErrorCategory.PermissionDenied,
            "In the developer console, enable the Bot feature of the app (Features > Bot), then create and publish a new app version."),
        Row(LarkErrorCodes.UserOutsideVisibleRange, 400, LarkOperation.Any, "refused: the user is outside the app's availability range", RetryKind.Never, ErrorIds.ReceiverOutsideVisibleRange, ErrorCategory.PermissionDenied,
            "The user is outside the app's availability range: " + VisibleRangeFix),
        Row(LarkErrorCodes.ContentTooLong, 400, LarkOperation.Any, "refused: the content is too long", RetryKind.Never, ErrorIds.InvalidMessage, ErrorCategory.InvalidData,
            "Shorten the content: a text request body may have 150 KB, a post or card 30 KB (Test-LarkMessage -Detailed shows the size)."),
        Row(LarkErrorCodes.UserResigned, 400, LarkOperation.Any, "refused: the user has resigned", RetryKind.Never, ErrorIds.ReceiverResigned, ErrorCategory.InvalidArgument,
            "The user has left the organisation: Lark delivers nothing to resigned users. Remove them from the list."),
        Row(LarkErrorCodes.ReceiveIdInvalid, 400, LarkOperation.Any, "refused the receive_id", RetryKind.Never, ErrorIds.ReceiverInvalid, ErrorCategory.InvalidArgument, OtherAppIdFix),
        Row(LarkErrorCodes.OpenIdNotExist, 400, LarkOperation.Any, "found no user with this open_id", RetryKind.Never, ErrorIds.ReceiverInvalid, ErrorCategory.InvalidArgument, OtherAppIdFix),
        Row(LarkErrorCodes.OpenIdOtherApp, 400, LarkOperation.Any, "refused an open_id that belongs to another app", RetryKind.Never, ErrorIds.ReceiverInvalid, ErrorCategory.InvalidArgument, OtherAppIdFix),
        Row(LarkErrorCodes.UserBlockedBot, 400, LarkOperation.Any, "refused: the user has blocked the bot", RetryKind.Never, ErrorIds.ReceiverInvalid, ErrorCategory.PermissionDenied,
            "The user has blocked the bot; only the user can allow it again."),
        Row(LarkErrorCodes.UserStoppedBot, 400, LarkOperation.Any, "refused: the user has stopped the bot", RetryKind.Never, ErrorIds.ReceiverInvalid, ErrorCategory.PermissionDenied,
            "The user has stopped the bot; only the user can allow it again."),
        Row(LarkErrorCodes.FileKeyTypeMismatch, 400, LarkOperation.Any, "refused a file key uploaded for another message type", RetryKind.Never, ErrorIds.InvalidMessage, ErrorCategory.InvalidData,
            "Upload the file with the file_type that fits the message (opus for audio, mp4 for media, any other for file), or let -FilePath do it."),
        Row(LarkErrorCodes.CardContentInvalid, 400, LarkOperation.Any, "refused the card content", RetryKind.Never, ErrorIds.InvalidMessage, ErrorCategory.InvalidData,
            "Check the card with Test-LarkMessage -Detailed and in Lark's card builder; Lark's msg above names what it refused."),
    };

    private const string OtherAppIdFix =
        "Check receiveId and receiveType: an open_id (ou_…) belongs to one app, so ids copied from another app do not work here; Get-LarkUser finds the open_id by e-mail or phone.";
}
