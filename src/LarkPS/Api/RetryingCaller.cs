using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Threading;

namespace LarkPS.Api;

/// <summary>
/// Retries one Lark call that no delivery run carries (a chat page, a Get-LarkUser batch_get_id) as the one refusal
/// decision says: rate limits wait until the refused call's windows have room (the choke point paced it by its quota
/// class, apart from sending), transient faults back off, a refused token was already refreshed once at the choke
/// point, anything final is thrown at once.
/// </summary>
internal sealed class RetryingCaller
{
    private readonly RetryPolicy _policy;
    private readonly IClock _clock;

    public RetryingCaller(RetryPolicy policy, IClock clock)
    {
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
        var refusals = 0;
        var waited = TimeSpan.Zero;
        while (true)
        {
            attempt++;
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (LarkApiException ex)
            {
                // The refusal's ticket (on the exception) names the windows that learn from it.
                // Quota refusals do not count against MaxAttempts: MaxTotalRetryWait is their budget.
                var decision = _policy.Decide(ex, attempt, waited, limiter: null, receiverKey: null, cancellationToken, refusals);
                if (!decision.ShouldRetry)
                {
                    throw;
                }

                if (decision.Failure is FailureKind.AppRateLimit or FailureKind.ReceiverRateLimit)
                {
                    refusals++;
                }

                waited += decision.Delay;
                RetryReasons.Enqueue(decision.Reason);
                await _clock.Delay(decision.Delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
