using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using LarkPS.Api;

namespace LarkPS.Delivery;

/// <summary>Decides, for one failed send attempt, whether to retry and after how long (Lark's retry table, exponential backoff with full jitter).</summary>
/// <remarks>
/// Retrying is safe because every attempt of a work item reuses its uuid, so Lark sends at most one message.
/// Thread-safe: the engine calls it from many workers at once.
/// </remarks>
internal sealed class RetryPolicy
{
    // Lark's per-receiver quota is counted per second: waiting less after a 230020 only meets the same refusal.
    private static readonly TimeSpan ReceiverLimitFloor = TimeSpan.FromSeconds(1);

    // Without a reset header, a 429 still means the app's second is used up.
    private static readonly TimeSpan AppPauseWithoutReset = TimeSpan.FromSeconds(1);

    // Spread the senders that all got the same x-ogw-ratelimit-reset, so they do not return in one burst.
    private static readonly TimeSpan RateLimitJitter = TimeSpan.FromMilliseconds(250);

    private readonly Random _random;
    private readonly object _randomGate = new();
    private readonly int _maxAttempts;
    private readonly TimeSpan _maxTotalRetryWait;
    private readonly TimeSpan _baseBackoff;
    private readonly TimeSpan _maxBackoff;

    /// <summary>Creates a policy with the limits of <paramref name="options"/>.</summary>
    /// <param name="options">MaxAttempts, MaxTotalRetryWait, BaseBackoff and MaxBackoff are read.</param>
    /// <param name="random">The jitter source; pass a seeded or stub <see cref="Random"/> in tests.</param>
    public RetryPolicy(DeliveryOptions options, Random? random = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _maxAttempts = options.MaxAttempts;
        _maxTotalRetryWait = options.MaxTotalRetryWait;
        _baseBackoff = options.BaseBackoff;
        _maxBackoff = options.MaxBackoff;
        _random = random ?? new Random();
    }

    /// <summary>Decides after a failed attempt.</summary>
    /// <param name="error">What the attempt threw.</param>
    /// <param name="attempt">Attempts made so far, 1-based (1 after the first attempt failed).</param>
    /// <param name="waitedSoFar">The total of the delays already waited for this work item.</param>
    public RetryDecision Decide(Exception error, int attempt, TimeSpan waitedSoFar) =>
        Decide(error, attempt, waitedSoFar, 0, CancellationToken.None);

    /// <summary>Decides after a failed attempt, knowing the item's earlier token retries and our own cancellation.</summary>
    /// <param name="error">What the attempt threw.</param>
    /// <param name="attempt">Attempts made so far, 1-based.</param>
    /// <param name="waitedSoFar">The total of the delays already waited for this work item.</param>
    /// <param name="tokenRetriesSoFar">Retries this item already had for a refused token: only one is allowed.</param>
    /// <param name="ownCancellation">Our stop token: a cancellation that comes from it is never retried.</param>
    public RetryDecision Decide(Exception error, int attempt, TimeSpan waitedSoFar, int tokenRetriesSoFar, CancellationToken ownCancellation)
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

        if (attempt >= _maxAttempts)
        {
            return RetryDecision.GiveUp(
                string.Format(CultureInfo.InvariantCulture, "{0}: gave up after {1} attempts", what, attempt),
                kind);
        }

        TimeSpan delay;
        string why;
        TimeSpan? pauseApp = null;
        TimeSpan? pauseReceiver = null;
        var retryAfter = (error as LarkApiException)?.RetryAfter;
        switch (kind)
        {
            case FailureKind.AppRateLimit when retryAfter > TimeSpan.Zero:
                delay = retryAfter.Value + Jitter(RateLimitJitter);
                pauseApp = retryAfter.Value;
                why = "as x-ogw-ratelimit-reset asked";
                break;
            case FailureKind.AppRateLimit:
                delay = Backoff(attempt);
                pauseApp = AppPauseWithoutReset;
                why = "before retrying";
                break;
            case FailureKind.ReceiverRateLimit:
                delay = Max(Backoff(attempt), ReceiverLimitFloor);
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
                kind);
        }

        var reason = string.Format(
            CultureInfo.InvariantCulture,
            "{0}: waiting {1} {2} (attempt {3} of {4})",
            what,
            FormatSeconds(delay),
            why,
            attempt + 1,
            _maxAttempts);
        return RetryDecision.Retry(delay, reason, kind, pauseApp, pauseReceiver);
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
            FailureKind.ReceiverRateLimit => $"Lark rate limit for this user or chat {ids}",
            FailureKind.MessageBeingSent => $"Lark is still sending this message {ids}",
            FailureKind.ServerError => $"Lark server error {ids}",
            FailureKind.TokenInvalid => $"Lark refused the access token {ids}",
            _ => $"Lark {error.Row.Meaning} {ids}",
        };
        return (kind, what.TrimEnd());
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

    internal static string FormatSeconds(TimeSpan value) =>
        value.TotalSeconds.ToString(value < TimeSpan.FromSeconds(1) && value > TimeSpan.Zero ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";
}
