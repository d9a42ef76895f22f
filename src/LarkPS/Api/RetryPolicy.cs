using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using LarkPS.Pacing;

namespace LarkPS.Api;

/// <summary>
/// The one place that decides, for a failed call, what the failure means (the code table's row, chosen once by the
/// HTTP choke point) and how long to wait before the next attempt: Lark's retry table, exponential backoff with full
/// jitter, and for a quota refusal the wait the refused call's windows need (the limiter learns from it here).
/// </summary>
/// <remarks>
/// <para>
/// Retrying is safe because every attempt of a work item reuses its uuid, so Lark sends at most one message; a request
/// without one (a webhook) is final once it may have arrived (its exception says so). A refused token never reaches a
/// retry here: the choke point refreshes it once and resends once. Callers apply the verdict: the delivery scheduler
/// (sends, replies, edits, card updates, recalls), <see cref="RetryingCaller"/> (chat pages, user look-ups).
/// </para>
/// <para>Thread-safe: it is called from many workers at once.</para>
/// </remarks>
internal sealed class RetryPolicy
{
    private readonly Random _random;
    private readonly object _randomGate = new();
    private readonly int _maxAttempts;
    private readonly TimeSpan _maxTotalRetryWait;
    private readonly TimeSpan _baseBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeSpan _receiverRefusalFloor;
    private readonly TimeSpan _appPauseWithoutReset;
    private readonly TimeSpan _resetJitter;
    private readonly int _refusalsBeforeBackoff;
    private readonly TimeSpan _maxQuotaBackoff;

    /// <summary>Creates a policy with the limits of <paramref name="options"/>.</summary>
    /// <param name="options">MaxAttempts, MaxTotalRetryWait, the backoffs and the refusal figures are read.</param>
    /// <param name="random">The jitter source; pass a seeded or stub <see cref="Random"/> in tests.</param>
    public RetryPolicy(PacingOptions options, Random? random = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _maxAttempts = options.MaxAttempts;
        _maxTotalRetryWait = options.MaxTotalRetryWait;
        _baseBackoff = options.BaseBackoff;
        _maxBackoff = options.MaxBackoff;
        _receiverRefusalFloor = options.ReceiverRefusalFloor;
        _appPauseWithoutReset = options.AppPauseWithoutReset;
        _resetJitter = options.ResetJitter;
        _refusalsBeforeBackoff = options.RefusalsBeforeBackoff;
        _maxQuotaBackoff = options.MaxQuotaBackoff;
        _random = random ?? new Random();
    }

    /// <summary>Decides after a failed attempt, from the code table alone (no windows).</summary>
    /// <param name="error">What the attempt threw.</param>
    /// <param name="attempt">Attempts made so far, 1-based (1 after the first attempt failed).</param>
    /// <param name="waitedSoFar">The total of the delays already waited for this work item.</param>
    public RetryDecision Decide(Exception error, int attempt, TimeSpan waitedSoFar) =>
        Decide(error, attempt, waitedSoFar, CancellationToken.None);

    /// <summary>
    /// Decides after a failed attempt with the windows of the call that failed: a quota refusal teaches the limiter
    /// that counted the refused request (its ticket travels on the exception; else <paramref name="limiter"/>), which
    /// widens its margin, pauses, and says how long the item should wait.
    /// </summary>
    /// <param name="error">What the attempt threw.</param>
    /// <param name="attempt">Attempts made so far, 1-based.</param>
    /// <param name="waitedSoFar">The total of the delays already waited for this work item.</param>
    /// <param name="limiter">The windows of the attempt, for a failure whose request carried no ticket of its own.</param>
    /// <param name="receiverKey">The attempt's receiver, for a receiver's refusal (230020, a hook's 11232); null for none.</param>
    /// <param name="ownCancellation">Our stop token: a cancellation that comes from it is never retried.</param>
    /// <param name="quotaRefusals">
    /// How many of the item's earlier attempts were quota refusals (this one not included). They do not count against
    /// MaxAttempts: a quota refusal means "not yet", and only the item's time budget (its deadline) ends its retries.
    /// </param>
    public RetryDecision Decide(Exception error, int attempt, TimeSpan waitedSoFar, RateLimiter? limiter, string? receiverKey, CancellationToken ownCancellation, int quotaRefusals = 0)
    {
        var decision = Decide(error, attempt, waitedSoFar, ownCancellation, quotaRefusals);
        var refusal = Unwrap(error) as LarkApiException;
        limiter = refusal?.Pacing?.Limiter ?? limiter;
        if (limiter is null)
        {
            return decision;
        }

        switch (decision.Failure)
        {
            case FailureKind.AppRateLimit:
                var reset = refusal?.RetryAfter;
                var appWait = limiter.OnAppRefusal(reset, refusal?.Pacing?.Record);
                return QuotaRetry(decision, appWait, attempt, quotaRefusals, "until the app's windows have room"
                    + (reset is { } r ? " (x-ogw-ratelimit-reset " + FormatSeconds(r) + ")" : string.Empty)
                    + ", then sending a little slower");
            case FailureKind.ReceiverRateLimit when receiverKey is not null:
                var receiverWait = limiter.OnReceiverRefusal(receiverKey, refusal?.Pacing?.Record);
                return QuotaRetry(decision, receiverWait, attempt, quotaRefusals, "until this receiver's window has room");
            default:
                return decision;
        }
    }

    /// <summary>Decides after a failed attempt from the code table alone, knowing our own cancellation.</summary>
    /// <param name="error">What the attempt threw.</param>
    /// <param name="attempt">Attempts made so far, 1-based.</param>
    /// <param name="waitedSoFar">The total of the delays already waited for this work item.</param>
    /// <param name="ownCancellation">Our stop token: a cancellation that comes from it is never retried.</param>
    /// <param name="quotaRefusals">How many earlier attempts were quota refusals: they do not count against MaxAttempts.</param>
    public RetryDecision Decide(Exception error, int attempt, TimeSpan waitedSoFar, CancellationToken ownCancellation, int quotaRefusals = 0)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        if (attempt < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempt counts the attempts made, from 1.");
        }

        var (kind, what) = Classify(error, ownCancellation);
        switch (kind)
        {
            case FailureKind.Final:
                return RetryDecision.GiveUp(error is LarkApiException { MayHaveArrived: true, Row.Retry: RetryKind.Transient }
                    ? $"{what}: it may have arrived, and without an idempotency key it is not sent again"
                    : $"{what}: final, not retried", kind);
            case FailureKind.Canceled:
                return RetryDecision.GiveUp($"{what}: the run is stopping", kind);
            case FailureKind.TokenInvalid:
                // The HTTP choke point already dropped the token, fetched a fresh one and resent once: never again here.
                return RetryDecision.GiveUp($"{what}: refused again after a fresh token, not retried", kind);
        }

        // The wait Lark asked for, for a quota refusal: an item's deadline is measured against it.
        var asked = error is LarkApiException { RetryAfter: { } askedWait, Retry: RetryKind.AppQuota or RetryKind.ReceiverQuota } ? askedWait : (TimeSpan?)null;

        // Issue 24: a quota refusal is "not yet", never "no": it is retried until the item's time budget (its deadline,
        // MaxTotalRetryWait here) is spent, whatever the count; other failures count their attempts, refusals left out.
        var quota = kind is FailureKind.AppRateLimit or FailureKind.ReceiverRateLimit;
        if (!quota && attempt - Math.Max(0, quotaRefusals) >= _maxAttempts)
        {
            return RetryDecision.GiveUp(
                string.Format(CultureInfo.InvariantCulture, "{0}: gave up after {1} attempts", what, attempt),
                kind,
                asked);
        }

        TimeSpan delay;
        string why;
        TimeSpan? pauseApp = null;
        TimeSpan? pauseReceiver = null;
        var retryAfter = (error as LarkApiException)?.RetryAfter;
        switch (kind)
        {
            case FailureKind.AppRateLimit when retryAfter > TimeSpan.Zero:
                delay = retryAfter.Value + Jitter(_resetJitter);
                pauseApp = retryAfter.Value;
                why = "as x-ogw-ratelimit-reset asked";
                break;
            case FailureKind.AppRateLimit:
                delay = Min(Backoff(attempt), _maxQuotaBackoff);
                pauseApp = _appPauseWithoutReset;
                why = "before retrying";
                break;
            case FailureKind.ReceiverRateLimit:
                delay = Max(Min(Backoff(attempt), _maxQuotaBackoff), _receiverRefusalFloor);
                pauseReceiver = delay;
                why = "for this receiver's quota";
                break;
            default:
                delay = Backoff(attempt);
                why = "before retrying";
                break;
        }

        if (waitedSoFar + delay > _maxTotalRetryWait)
        {
            return RetryDecision.GiveUp(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: gave up after {1} attempts, waiting {2} more would pass the {3} retry budget",
                    what,
                    attempt,
                    FormatSeconds(delay),
                    FormatSeconds(_maxTotalRetryWait)),
                kind,
                asked);
        }

        var reason = string.Format(
            CultureInfo.InvariantCulture,
            "{0}: waiting {1} {2} ({3})",
            what,
            FormatSeconds(delay),
            why,
            AttemptWords(attempt - (quota ? 0 : Math.Max(0, quotaRefusals)), quota));
        return RetryDecision.Retry(delay, reason, kind, pauseApp, pauseReceiver, asked);
    }

    /// <summary>Exponential backoff with full jitter: uniform in [0, min(MaxBackoff, BaseBackoff × 2^(attempt−1))).</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Min(Math.Max(attempt, 1) - 1, 40);
        var capTicks = Math.Min((double)_maxBackoff.Ticks, _baseBackoff.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(NextDouble() * capTicks));
    }

    /// <summary>Sorts an error into a <see cref="FailureKind"/> and says in words what happened.</summary>
    public static (FailureKind Kind, string Description) Classify(Exception error, CancellationToken ownCancellation = default)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        if (error is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
        {
            return Classify(aggregate.InnerExceptions[0], ownCancellation);
        }

        switch (error)
        {
            case LarkApiException lark:
                return ClassifyLark(lark);
            case OperationCanceledException when ownCancellation.IsCancellationRequested:
                return (FailureKind.Canceled, "The send was cancelled");

            // HttpClient's own timeout surfaces as a TaskCanceledException that is not from our token.
            case OperationCanceledException:
                return (FailureKind.Transport, "The request to Lark timed out");
            case HttpRequestException:
            case IOException:
            case SocketException:
            case TimeoutException:
                return (FailureKind.Transport, $"Network failure ({error.GetType().Name}: {error.Message})");
            default:
                return (FailureKind.Final, $"Unexpected {error.GetType().Name}");
        }
    }

    // Reads the code table's row, chosen once by the HTTP choke point: no code is looked at here.
    private static (FailureKind Kind, string Description) ClassifyLark(LarkApiException error)
    {
        var code = error.Code;
        var status = (int?)error.HttpStatus;
        var ids = code != 0 && status is not null
            ? string.Format(CultureInfo.InvariantCulture, "({0}, HTTP {1})", code, status)
            : code != 0
                ? string.Format(CultureInfo.InvariantCulture, "({0})", code)
                : status is not null
                    ? string.Format(CultureInfo.InvariantCulture, "(HTTP {0})", status)
                    : string.Empty;
        var kind = error.Retry switch
        {
            RetryKind.AppQuota => FailureKind.AppRateLimit,
            RetryKind.ReceiverQuota => FailureKind.ReceiverRateLimit,
            RetryKind.RefreshToken => FailureKind.TokenInvalid,
            RetryKind.Transient when error.IsTransport => FailureKind.Transport,
            RetryKind.Transient when error.Code == LarkErrorCodes.MessageBeingSent => FailureKind.MessageBeingSent,
            RetryKind.Transient => FailureKind.ServerError,
            _ => FailureKind.Final,
        };
        var what = kind switch
        {
            FailureKind.Transport => $"No answer from Lark ({error.Message})",
            FailureKind.AppRateLimit => $"Lark app rate limit {ids}",
            FailureKind.ReceiverRateLimit when error.Code == LarkCodeTable.WebhookFrequencyLimited => $"Lark rate limit of the custom bot (100 a minute, 5 a second) {ids}",
            FailureKind.ReceiverRateLimit => $"Lark rate limit for this user or chat {ids}",
            FailureKind.MessageBeingSent => $"Lark is still sending this message {ids}",
            FailureKind.ServerError => $"Lark server error {ids}",
            FailureKind.TokenInvalid => $"Lark refused the access token {ids}",
            _ => $"Lark {error.Row.Meaning} {ids}",
        };
        return (kind, what.TrimEnd());
    }

    // A quota refusal the limiter has learned from: retried after what its windows need (and the backoff once it
    // repeats), the reason saying how long and until what.
    private RetryDecision QuotaRetry(RetryDecision decision, TimeSpan windowWait, int attempt, int quotaRefusals, string until)
    {
        if (!decision.ShouldRetry)
        {
            return decision;
        }

        var wait = AfterRepeatedRefusals(windowWait, decision, quotaRefusals + 1);
        return decision.WithWait(wait, string.Format(
            CultureInfo.InvariantCulture,
            "{0}: waiting {1} {2} ({3})",
            FirstClause(decision.Reason),
            FormatSeconds(wait),
            until,
            AttemptWords(attempt, quota: true)));
    }

    // Refused again and again: something else shares the quota; from the third refusal on, back off as the table says
    // (for a refusal with x-ogw-ratelimit-reset, that is the reset: the count of refusals never grows the wait past it).
    private TimeSpan AfterRepeatedRefusals(TimeSpan windowWait, RetryDecision decision, int refusals) =>
        refusals >= _refusalsBeforeBackoff ? Max(windowWait, decision.Delay) : windowWait;

    // "attempt 3 of 8" while the count means something; past it, a quota refusal's retries run on the item's time budget.
    private string AttemptWords(int attempt, bool quota) =>
        !quota || attempt + 1 <= _maxAttempts
            ? string.Format(CultureInfo.InvariantCulture, "attempt {0} of {1}", attempt + 1, _maxAttempts)
            : string.Format(CultureInfo.InvariantCulture, "attempt {0}; quota refusals are retried until the item's deadline", attempt + 1);

    private static Exception Unwrap(Exception error) =>
        error is AggregateException aggregate && aggregate.InnerExceptions.Count == 1 ? Unwrap(aggregate.InnerExceptions[0]) : error;

    private static string FirstClause(string reason)
    {
        var colon = reason.IndexOf(':');
        return colon > 0 ? reason.Substring(0, colon) : reason;
    }

    private TimeSpan Jitter(TimeSpan max) => TimeSpan.FromTicks((long)(NextDouble() * max.Ticks));

    private double NextDouble()
    {
        lock (_randomGate)
        {
            // Random is not thread-safe; jitter needs no cryptographic quality.
            return _random.NextDouble();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;

    internal static string FormatSeconds(TimeSpan value) =>
        value.TotalSeconds.ToString(value < TimeSpan.FromSeconds(1) && value > TimeSpan.Zero ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";
}
