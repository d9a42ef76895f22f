using System;
using System.Collections.Generic;
using System.Threading;
using LarkPS.Api;
using LarkPS.Pacing;
using LarkPS.Threading;

namespace LarkPS.Delivery;

/// <summary>
/// The decisions of a delivery run, with no threads and no waiting: which accepted item starts an attempt now, in what
/// order, how many run at once, when a failed one may try again, and what a stop leaves. Time is read from the clock
/// only; nothing sleeps, so a test drives it step by step on a fake clock and gets the same answer every time.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: one caller (the engine's dispatcher loop, or a test) owns it.</para>
/// <para>
/// Per-receiver order: among items with the same receiver key, first attempts start in submission order; an item that
/// waits holds back its receiver's later items. A retry backing off for at most MaxReceiverHold (2 s) keeps its place and holds its
/// receiver; a longer one lets later items pass. A receiver that waits never holds back other receivers. Across
/// receivers, items start in submission order, except in the last seconds of work, when the receivers with the most
/// items waiting go first (see <c>InEndPhase</c>) so that no chat's last messages end the run a second late.
/// </para>
/// <para>
/// Pacing is the limiter's (<see cref="RateLimiter"/>): the scheduler reserves room before starting an attempt and
/// hands the attempt its <see cref="PacingTicket"/>, which the attempt's request carries to the HTTP choke point, which
/// reports on it when the request leaves and when its answer comes. What a failure means and how long to wait is the
/// <see cref="RetryPolicy"/>'s; the scheduler applies it within the item's deadline. Requests in flight follow the
/// measured round trip unless ThrottleLimit was set.
/// </para>
/// </remarks>
internal sealed partial class DeliveryScheduler<TWork>
{
    private readonly RateLimiter _limiter;
    private readonly RetryPolicy _retryPolicy;
    private readonly IClock _clock;
    private readonly int _maxPending;
    private readonly int _throttleLimit;
    private readonly bool _autoThrottle;
    private readonly TimeSpan _itemDeadline;
    private readonly long _maxReceiverHold;
    private readonly int _autoThrottleFloor;
    private readonly int _endPhaseWindows;
    private readonly Action? _leaving;
    private readonly TimeSpan _leastQuotaAttemptTime;

    // Items waiting to start an attempt, in submission order (retries go back to their place), and how many of them
    // each receiver has.
    private readonly LinkedList<Job> _waiting = new();
    private readonly Dictionary<string, int> _waitingByReceiver = new(StringComparer.Ordinal);
    private readonly int _appPerSecond;
    private readonly int _receiverPerSecond;
    private readonly HashSet<string> _heldReceivers = new(StringComparer.Ordinal);
    private long _nextId;
    private bool _stopping;

    /// <param name="options">ThrottleLimit, MaxPending, the quotas, the deadline and the order's figures are read.</param>
    /// <param name="limiter">The windows of the run's quota class, shared with every other call of that class on the connection.</param>
    /// <param name="retryPolicy">Decides what a failure means and how long to wait.</param>
    /// <param name="clock">The only source of time.</param>
    /// <param name="leaving">Runs when an attempt's request starts to leave (the engine wakes its dispatcher): an estimate moved.</param>
    public DeliveryScheduler(DeliveryOptions options, RateLimiter limiter, RetryPolicy retryPolicy, IClock clock, Action? leaving = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        _retryPolicy = retryPolicy ?? throw new ArgumentNullException(nameof(retryPolicy));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _maxPending = options.MaxPending;
        _throttleLimit = options.ThrottleLimit;
        _autoThrottle = options.IsThrottleLimitAuto;
        _itemDeadline = options.ItemDeadline;
        _appPerSecond = options.AppPerSecond;
        _receiverPerSecond = options.ReceiverPerSecond;
        _maxReceiverHold = options.Pacing.MaxReceiverHold.Ticks;
        _autoThrottleFloor = options.Pacing.AutoThrottleFloor;
        _endPhaseWindows = options.Pacing.EndPhaseWindows;
        _leaving = leaving;
        _leastQuotaAttemptTime = options.Pacing.LeastQuotaAttemptTime;
    }

    /// <summary>Accepted items not finished yet (waiting, backing off or in flight).</summary>
    public int Pending { get; private set; }

    /// <summary>Attempts running now.</summary>
    public int InFlight { get; private set; }

    /// <summary>How many attempts may run at once right now.</summary>
    public int InFlightLimit => _autoThrottle ? _limiter.SuggestedInFlight(Math.Min(_autoThrottleFloor, _throttleLimit), _throttleLimit) : _throttleLimit;

    /// <summary>True while another item may be accepted.</summary>
    public bool HasRoom => !_stopping && Pending < _maxPending;

    /// <summary>True after <see cref="Stop"/>.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Takes an item into the run; it starts when <see cref="TakeDue"/> finds room for it.</summary>
    public Job Accept(TWork work, string? receiverKey)
    {
        if (_stopping)
        {
            throw new InvalidOperationException("The run is stopping: no item is accepted.");
        }

        var job = new Job(++_nextId, work, receiverKey);
        Pending++;
        _waiting.AddLast(job);
        CountWaiting(job, +1);
        return job;
    }

    /// <summary>
    /// One walk over the waiting items in submission order: returns the ones to start now (each holding a slot and a
    /// pacing ticket), and in <paramref name="wakeIn"/> how long until time alone could let another start (null when
    /// only an event can: a new item, an answer, a request leaving).
    /// </summary>
    public IReadOnlyList<Job> TakeDue(out TimeSpan? wakeIn)
    {
        wakeIn = null;
        var due = new List<Job>();
        if (_stopping)
        {
            return due;
        }

        var now = _clock.UtcNow.UtcTicks;
        var limit = InFlightLimit;
        long? next = null;
        _heldReceivers.Clear();
        if (InEndPhase())
        {
            foreach (var node in ByBacklog())
            {
                if (Visit(node, due, now, limit, ref next))
                {
                    break;
                }
            }
        }
        else
        {
            for (var node = _waiting.First; node is not null;)
            {
                var following = node.Next;
                if (Visit(node, due, now, limit, ref next))
                {
                    break;
                }

                node = following;
            }
        }

        wakeIn = next is { } ticks ? TimeSpan.FromTicks(ticks) : null;
        return due;
    }

    // One waiting item of the walk: started (into due), or left waiting with the time that could change that (next).
    // True when no later item can start now either (the requests in flight or the app's windows are full).
    private bool Visit(LinkedListNode<Job> node, List<Job> due, long now, int limit, ref long? next)
    {
        var job = node.Value;
        if (job.Key is not null && _heldReceivers.Contains(job.Key))
        {
            // An earlier item to this receiver has not started: keep the order.
            return false;
        }

        if (job.NotBefore > now)
        {
            next = Earliest(next, job.NotBefore - now);
            if (job.HoldsReceiver && job.Key is not null)
            {
                _heldReceivers.Add(job.Key);
            }

            return false;
        }

        if (InFlight >= limit)
        {
            // An answer frees a slot and wakes the walk.
            return true;
        }

        if (_limiter.TryReserve(job.Key, _leaving, out var ticket, out var wait))
        {
            _waiting.Remove(node);
            CountWaiting(job, -1);
            if (job.Attempts == 0)
            {
                // The item's one deadline runs from its first attempt: waiting for a first slot is the run's pace, not the item's trouble.
                job.DeadlineTicks = now + _itemDeadline.Ticks;
            }

            job.Ticket = ticket;
            job.AttemptStartedTicks = now;
            job.Attempts++;
            InFlight++;
            due.Add(job);
            return false;
        }

        var appWait = job.Key is null ? wait : _limiter.TimeUntilAvailable(null);
        if (appWait > TimeSpan.Zero)
        {
            // The app's windows are full: nobody can start before they free.
            next = Earliest(next, appWait.Ticks);
            return true;
        }

        next = Earliest(next, wait.Ticks);
        _heldReceivers.Add(job.Key!);
        return false;
    }

    /// <summary>What is left of <paramref name="job"/>'s deadline now (the most its running attempt may take); zero or less when it has passed.</summary>
    public TimeSpan TimeLeft(Job job) => TimeSpan.FromTicks(job.DeadlineTicks - _clock.UtcNow.UtcTicks);

    /// <summary>The attempt of <paramref name="job"/> succeeded: it is finished.</summary>
    public void Succeeded(Job job)
    {
        EndAttempt(job, roundTripKnown: true);
        Pending--;
        job.IsFinished = true;
    }

    /// <summary>
    /// The attempt of <paramref name="job"/> failed with <paramref name="error"/>: the retry policy's verdict (for a quota
    /// refusal, with the wait the refused call's windows need), kept within the item's deadline. A retry goes back to its place.
    /// </summary>
    public Verdict Failed(Job job, Exception error, CancellationToken ownCancellation)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        var answered = error is LarkApiException { HttpStatus: not null };

        // An attempt whose body never started to leave cannot have arrived: what the item last met is the earlier
        // attempt's failure (a quota refusal: its budget, not "may have arrived"). Sends always carry a JSON body that
        // reports leaving (LarkApiClient.JsonContent).
        var previous = job.Ticket is { HasLeft: false } ? job.LastError : null;
        EndAttempt(job, answered);
        var took = TimeSpan.FromTicks(_clock.UtcNow.UtcTicks - job.AttemptStartedTicks);
        if (took > job.LongestAttempt)
        {
            job.LongestAttempt = took;
        }

        job.LastError = error;
        var left = TimeLeft(job);
        var decision = _retryPolicy.Decide(error, job.Attempts, job.Waited, _limiter, job.Key, ownCancellation, job.QuotaRefusals);
        if (decision.Failure is FailureKind.AppRateLimit or FailureKind.ReceiverRateLimit)
        {
            // Not counted against MaxAttempts: only the item's deadline (its time budget) ends a quota refusal's retries.
            job.QuotaRefusals++;
        }

        // Lark refused for a quota and asked for a wait (x-ogw-ratelimit-reset, Retry-After) that ends after the item's
        // deadline: waiting cannot help, so it fails now and says so. The limiter has learned of the refusal all the same.
        if (!ownCancellation.IsCancellationRequested && left > TimeSpan.Zero && decision.Asked is { } asked && asked > left && error is LarkApiException refusal)
        {
            var tooLong = ItemDeadlineException.WaitTooLong(_itemDeadline, asked, left, refusal);
            return Finish(job, DeliveryEventKind.Failed, tooLong.Message, tooLong);
        }

        if (job.CutByDeadline && decision.Failure != FailureKind.Canceled)
        {
            // The attempt was cancelled at the deadline: the item's time is up, whatever the attempt count.
            var cut = previous is not null
                ? ItemDeadlineException.Expired(_itemDeadline, job.Attempts - 1, previous, job.QuotaRefusals)
                : ItemDeadlineException.Expired(_itemDeadline, job.Attempts, error, job.QuotaRefusals);
            return Finish(job, DeliveryEventKind.Failed, cut.Message, cut);
        }

        if (!decision.ShouldRetry)
        {
            return Finish(job, decision.Failure == FailureKind.Canceled ? DeliveryEventKind.Stopped : DeliveryEventKind.Failed, decision.Reason);
        }

        if (_stopping)
        {
            return Finish(job, DeliveryEventKind.Stopped, "The run was stopped before this item could be retried.");
        }

        if (left <= TimeSpan.Zero)
        {
            var expired = ItemDeadlineException.Expired(_itemDeadline, job.Attempts, error, job.QuotaRefusals);
            return Finish(job, DeliveryEventKind.Failed, expired.Message, expired);
        }

        var delay = decision.Delay;

        // After a quota refusal, a retry that would start with less than LeastQuotaAttemptTime left, or less than twice the
        // longest attempt of this item so far (a slow or loaded round trip), is likely cut in flight (and then may have
        // arrived): the budget is spent now, and the item did not arrive.
        var quotaRefused = decision.Failure is FailureKind.AppRateLimit or FailureKind.ReceiverRateLimit;
        var attemptNeeds = job.LongestAttempt + job.LongestAttempt > _leastQuotaAttemptTime ? job.LongestAttempt + job.LongestAttempt : _leastQuotaAttemptTime;
        if (delay > left || (quotaRefused && delay + attemptNeeds > left))
        {
            var late = ItemDeadlineException.NextAttemptTooLate(_itemDeadline, delay, left, job.Attempts, error, job.QuotaRefusals);
            return Finish(job, DeliveryEventKind.Failed, late.Message, late);
        }

        job.Waited += delay;
        job.NotBefore = _clock.UtcNow.UtcTicks + delay.Ticks;
        job.HoldsReceiver = delay.Ticks <= _maxReceiverHold;
        Requeue(job);
        return new Verdict(DeliveryEventKind.Retrying, decision.Reason, delay);
    }

    /// <summary>An attempt ended without a verdict of its own (the run was aborted): the item is finished as Stopped.</summary>
    public void Abandoned(Job job)
    {
        EndAttempt(job, roundTripKnown: false);
        Pending--;
        job.IsFinished = true;
    }

    /// <summary>No attempt starts from now on. Returns the items that were waiting (never started or backing off): they are finished.</summary>
    public IReadOnlyList<Job> Stop()
    {
        _stopping = true;
        var left = new List<Job>(_waiting);
        _waiting.Clear();
        _waitingByReceiver.Clear();
        foreach (var job in left)
        {
            Pending--;
            job.IsFinished = true;
        }

        return left;
    }

    private Verdict Finish(Job job, DeliveryEventKind kind, string reason, Exception? error = null)
    {
        Pending--;
        job.IsFinished = true;
        return new Verdict(kind, reason, TimeSpan.Zero, error);
    }

    private void EndAttempt(Job job, bool roundTripKnown)
    {
        // The reserved place ends here: answered over HTTP (the choke point reported when its headers came), or not (a
        // transport failure, or a request never sent: the phone number was not found, an upload failed).
        if (job.Ticket is { } ticket)
        {
            ticket.Answered(roundTripKnown);
            job.Ticket = null;
        }

        InFlight--;
    }

    private static long Earliest(long? current, long ticks) => current is { } known && known <= ticks ? known : ticks;
}
