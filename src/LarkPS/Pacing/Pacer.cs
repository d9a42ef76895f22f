using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Threading;

namespace LarkPS.Pacing;

/// <summary>
/// The seam every network call passes through on its way out: the HTTP choke point asks it for a ticket by the call's
/// quota class (from the endpoint table) unless the delivery scheduler already reserved one.
/// </summary>
/// <remarks>
/// Other processes on the machine are counted inside each limiter (issue 24: <see cref="SharedQuotaFile"/>); what the
/// limiters learn from refusals stays in <see cref="RateLimiter"/>.
/// </remarks>
internal interface IRequestPacer
{
    /// <summary>Waits until the windows of <paramref name="quota"/> have room for one more call, and returns its ticket; null for <see cref="QuotaClass.None"/>.</summary>
    Task<PacingTicket?> AcquireAsync(QuotaClass quota, CancellationToken cancellationToken);
}

/// <summary>One connection's limiters, one per quota class: calls of one class share its windows, classes never wait for each other.</summary>
internal sealed class Pacer : IRequestPacer
{
    private readonly Dictionary<QuotaClass, RateLimiter> _limiters = new();

    /// <summary>Every class gets the quotas and figures of <paramref name="options"/> (the connection's quotas apply to each).</summary>
    public Pacer(PacingOptions options, IClock clock)
        : this(options, clock, shared: null)
    {
    }

    /// <summary>
    /// As above; <paramref name="shared"/> gives each class the machine's shared file of its quota (issue 24), so every
    /// process on this machine with the same app and host (or hook) counts the others' calls; null, or a null file, for none.
    /// </summary>
    public Pacer(PacingOptions options, IClock clock, Func<QuotaClass, SharedQuotaFile?>? shared)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (clock is null)
        {
            throw new ArgumentNullException(nameof(clock));
        }

        foreach (QuotaClass quota in Enum.GetValues(typeof(QuotaClass)))
        {
            if (quota != QuotaClass.None)
            {
                _limiters.Add(quota, new RateLimiter(options, clock, options.RateWindowMargin, shared?.Invoke(quota)));
            }
        }
    }

    /// <summary>The limiter of <paramref name="quota"/>, shared by every call of that class on the connection.</summary>
    public RateLimiter For(QuotaClass quota) =>
        _limiters.TryGetValue(quota, out var limiter)
            ? limiter
            : throw new ArgumentOutOfRangeException(nameof(quota), quota, "Calls of this class are not paced.");

    /// <inheritdoc />
    public async Task<PacingTicket?> AcquireAsync(QuotaClass quota, CancellationToken cancellationToken) =>
        quota == QuotaClass.None ? null : await For(quota).AcquireTicketAsync(null, cancellationToken).ConfigureAwait(false);
}
