using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Delivery;
using LarkPS.Session;

namespace LarkPS.Api;

/// <summary>
/// Runs one Lark call (a chat page, a batch_get_id, an upload) through the delivery machinery sends use: the call
/// waits for a slot of its own <see cref="RateLimiter"/> (Lark counts these operations apart from sending, each at
/// 50/s and 1000/min), and failures go to the same <see cref="RetryPolicy"/>: rate limits wait for the reset,
/// transient faults back off, a refused token is refreshed once, anything final is thrown at once.
/// </summary>
internal sealed class PacedCaller
{
    private readonly RateLimiter _limiter;
    private readonly RetryPolicy _policy;
    private readonly IClock _clock;

    public PacedCaller(RateLimiter limiter, RetryPolicy policy, IClock clock)
    {
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Why calls were retried, for the cmdlet to write as verbose lines on its own thread.</summary>
    public ConcurrentQueue<string> RetryReasons { get; } = new();

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (call is null)
        {
            throw new ArgumentNullException(nameof(call));
        }

        var attempt = 0;
        var waited = TimeSpan.Zero;
        var tokenRetries = 0;
        while (true)
        {
            await _limiter.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
            attempt++;
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (LarkApiException ex)
            {
                var decision = _policy.Decide(ex, attempt, waited, tokenRetries, cancellationToken);
                if (!decision.ShouldRetry)
                {
                    throw;
                }

                if (decision.Failure == FailureKind.TokenInvalid)
                {
                    tokenRetries++;
                }

                if (decision.PauseApp is { } pause)
                {
                    _limiter.PauseApp(pause);
                }

                waited += decision.Delay;
                RetryReasons.Enqueue(decision.Reason);
                await _clock.Delay(decision.Delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
