using System;

namespace LarkPS.Api;

/// <summary>What kind of failure a send met, as the retry policy sees it.</summary>
internal enum FailureKind
{
    /// <summary>A failure no retry can fix: a wrong parameter, a missing permission, an unknown code.</summary>
    Final,

    /// <summary>Lark's app quota (99991400, HTTP 429): everybody waits.</summary>
    AppRateLimit,

    /// <summary>One user's or chat's quota (230020): sends to that receiver wait.</summary>
    ReceiverRateLimit,

    /// <summary>The message is still being sent (230049).</summary>
    MessageBeingSent,

    /// <summary>Trouble on Lark's side: HTTP 5xx, 1500, 5000.</summary>
    ServerError,

    /// <summary>No answer arrived: a timeout, a reset, a refused connection.</summary>
    Transport,

    /// <summary>The token was refused although the API client had just refreshed it: final (the choke point refreshes, once).</summary>
    TokenInvalid,

    /// <summary>Our own cancellation: the run is stopping.</summary>
    Canceled,
}

/// <summary>The retry policy's answer for one failed attempt: retry after a delay, or give up, with a reason for -Verbose.</summary>
internal sealed class RetryDecision
{
    private RetryDecision(bool shouldRetry, TimeSpan delay, string reason, FailureKind failure, TimeSpan? pauseApp, TimeSpan? pauseReceiver, TimeSpan? asked)
    {
        ShouldRetry = shouldRetry;
        Delay = delay;
        Reason = reason;
        Failure = failure;
        PauseApp = pauseApp;
        PauseReceiver = pauseReceiver;
        Asked = asked;
    }

    /// <summary>True to try again after <see cref="Delay"/>; false when the failure is final.</summary>
    public bool ShouldRetry { get; }

    /// <summary>How long to wait before the next attempt (zero when giving up).</summary>
    public TimeSpan Delay { get; }

    /// <summary>A sentence for the user, e.g. "Lark app rate limit (99991400, HTTP 429): waiting 1.0 s as x-ogw-ratelimit-reset asked (attempt 2 of 8)".</summary>
    public string Reason { get; }

    /// <summary>How the failure was classified.</summary>
    public FailureKind Failure { get; }

    /// <summary>Where set, every send of the app should wait this long (the limiter's PauseApp).</summary>
    public TimeSpan? PauseApp { get; }

    /// <summary>Where set, sends to this work's receiver should wait this long (the limiter's PauseReceiver).</summary>
    public TimeSpan? PauseReceiver { get; }

    /// <summary>For a quota refusal: the wait Lark asked for (x-ogw-ratelimit-reset or Retry-After), where it said; a deadline compares it.</summary>
    public TimeSpan? Asked { get; }

    internal static RetryDecision Retry(TimeSpan delay, string reason, FailureKind failure, TimeSpan? pauseApp = null, TimeSpan? pauseReceiver = null, TimeSpan? asked = null) =>
        new(true, delay, reason, failure, pauseApp, pauseReceiver, asked);

    internal static RetryDecision GiveUp(string reason, FailureKind failure, TimeSpan? asked = null) =>
        new(false, TimeSpan.Zero, reason, failure, null, null, asked);

    /// <summary>The same verdict with the wait and reason the limiter's windows set.</summary>
    internal RetryDecision WithWait(TimeSpan delay, string reason) => new(ShouldRetry, delay, reason, Failure, PauseApp, PauseReceiver, Asked);

    /// <inheritdoc />
    public override string ToString() => Reason;
}
