using System;
using System.Globalization;
using LarkPS.Api;

namespace LarkPS.Delivery;

/// <summary>
/// An item ran out of its deadline (<see cref="DeliveryOptions.ItemDeadline"/>): one total time for all its attempts,
/// request timeouts and waits between them alike. Says what happened and whether it may have arrived.
/// </summary>
internal sealed class ItemDeadlineException : TimeoutException
{
    private ItemDeadlineException(string message, TimeSpan deadline, bool mayHaveArrived, Exception? last, string advice, string errorId = ErrorIds.DeadlineExceeded)
        : base(message, last)
    {
        Deadline = deadline;
        MayHaveArrived = mayHaveArrived;
        Advice = advice;
        ErrorId = errorId;
    }

    /// <summary>
    /// DeadlineExceeded; or QuotaBudgetSpent (issue 24) when Lark's last answer was a quota refusal: the item was
    /// retried for its whole budget and the quota never had room (other scripts or machines spend the same app's).
    /// </summary>
    public string ErrorId { get; }

    /// <summary>The advice for an item whose budget went to quota refusals (the RecommendedAction of QuotaBudgetSpent).</summary>
    public const string QuotaAdvice =
        "Send it again later (the same uuid is safe). Give quota refusals more time with a longer -DeadlineSec on Send-LarkMessage; " +
        "where several scripts share the app on one machine, keep Connect-Lark's quota sharing on (no -NoQuotaSharing); " +
        "where other machines share it, give each a share with Connect-Lark -QuotaPerSecond and -QuotaPerMinute " +
        "(README: Several scripts or machines on one app).";

    /// <summary>The advice for a webhook item whose budget went to the custom bot's rate limit (11232): a hook has no uuid and no app.</summary>
    public const string HookQuotaAdvice =
        "Send it again later: Lark refused it, so a resend cannot post it twice. Give the refusals more time with a longer -DeadlineSec " +
        "on Send-LarkMessage, or send fewer messages through this custom bot: its limit, 100 a minute and 5 a second, is shared by everyone " +
        "who posts with its address (scripts on this machine share its pacing unless Connect-Lark -NoQuotaSharing).";

    /// <summary>The item's deadline.</summary>
    public TimeSpan Deadline { get; }

    /// <summary>False only when Lark's last answer was a refusal (it did not arrive).</summary>
    public bool MayHaveArrived { get; }

    /// <summary>What to do about it, in words (the error record's RecommendedAction).</summary>
    public string Advice { get; }

    /// <summary>The deadline passed while an attempt ran or before the next could start.</summary>
    public static ItemDeadlineException Expired(TimeSpan deadline, int attempts, Exception last, int quotaRefusals = 0)
    {
        if (IsQuotaRefusal(last))
        {
            return BudgetSpent(deadline, attempts, quotaRefusals, (LarkApiException)last, null);
        }

        var mayHaveArrived = MayHaveArrivedAfter(last);
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Lark did not confirm it within its deadline of {0} ({1} attempt(s); the last: {2}). {3}",
            Format(deadline),
            attempts,
            LastWords(last),
            mayHaveArrived ? "It may have arrived." : "Lark refused it: it did not arrive.");
        return new ItemDeadlineException(message, deadline, mayHaveArrived, last, ResendAdvice(mayHaveArrived));
    }

    /// <summary>Lark asked for a wait (x-ogw-ratelimit-reset or Retry-After) longer than what is left of the deadline.</summary>
    public static ItemDeadlineException WaitTooLong(TimeSpan deadline, TimeSpan asked, TimeSpan left, LarkApiException refusal)
    {
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Lark refused it for its rate limit and asked to wait {0} (x-ogw-ratelimit-reset or Retry-After), longer than the {1} left of its deadline of {2}, so it was not retried and failed at once. It did not arrive.",
            Format(asked),
            Format(left),
            Format(deadline));
        return new ItemDeadlineException(
            message,
            deadline,
            mayHaveArrived: false,
            refusal,
            "Send it again once the wait is over (the same uuid is safe), or give Send-LarkMessage a -DeadlineSec longer than the wait Lark asks for.");
    }

    /// <summary>The wait before the next attempt would end after the deadline.</summary>
    public static ItemDeadlineException NextAttemptTooLate(TimeSpan deadline, TimeSpan wait, TimeSpan left, int attempts, Exception last, int quotaRefusals = 0)
    {
        if (IsQuotaRefusal(last))
        {
            return BudgetSpent(deadline, attempts, quotaRefusals, (LarkApiException)last, left);
        }

        var mayHaveArrived = MayHaveArrivedAfter(last);
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Lark did not confirm it within its deadline of {0}: the next attempt would have waited {1}, longer than the {2} left ({3} attempt(s); the last: {4}). {5}",
            Format(deadline),
            Format(wait),
            Format(left),
            attempts,
            LastWords(last),
            mayHaveArrived ? "It may have arrived." : "Lark refused it: it did not arrive.");
        return new ItemDeadlineException(message, deadline, mayHaveArrived, last, ResendAdvice(mayHaveArrived));
    }

    /// <summary>Lark kept refusing the item for a quota until its budget was spent: it did not arrive.</summary>
    private static ItemDeadlineException BudgetSpent(TimeSpan deadline, int attempts, int quotaRefusals, LarkApiException last, TimeSpan? left)
    {
        // A custom bot's limit is the hook's own, spent by whoever posts with its address: no app, no other bots.
        var hook = last.Code == LarkCodeTable.WebhookFrequencyLimited;
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Lark refused it for a rate limit {0} time(s) in {1} attempt(s) (the last: {2}) and its time budget of {3} (-DeadlineSec) is spent{4}: {5}. It did not arrive.",
            Math.Max(1, quotaRefusals),
            attempts,
            last.Message.TrimEnd('.'),
            Format(deadline),
            left is { } l && l > TimeSpan.Zero ? " (" + Format(l) + " were left, less than the wait for the quota's next room)" : string.Empty,
            hook
                ? "more is posted through this custom bot than its 100 a minute and 5 a second (by this run, or others using its address)"
                : "something else spends the same quota (other scripts or machines on this app, or other bots in the chat)");
        return new ItemDeadlineException(message, deadline, mayHaveArrived: false, last, hook ? HookQuotaAdvice : QuotaAdvice, ErrorIds.QuotaBudgetSpent);
    }

    private static bool IsQuotaRefusal(Exception last) => last is LarkApiException { Retry: RetryKind.AppQuota or RetryKind.ReceiverQuota };

    private static bool MayHaveArrivedAfter(Exception last) => last is not LarkApiException { MayHaveArrived: false };

    private static string ResendAdvice(bool mayHaveArrived) =>
        (mayHaveArrived
            ? "Send it again with the same uuid (shown above): Lark delivers a uuid at most once within an hour, so a resend cannot double it."
            : "Send it again (the same uuid is safe).")
        + " If Lark is often this slow, give Send-LarkMessage a longer -DeadlineSec.";

    private static string LastWords(Exception last) =>
        last is OperationCanceledException ? "no answer before the deadline" : last.Message.TrimEnd('.');

    internal static string Format(TimeSpan value) =>
        value >= TimeSpan.FromMinutes(1) && value.Seconds == 0 && value.Milliseconds == 0
            ? value.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min"
            : RetryPolicy.FormatSeconds(value);
}
