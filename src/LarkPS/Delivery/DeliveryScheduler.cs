using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using LarkPS.Api;
using LarkPS.Session;

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
/// waits holds back its receiver's later items. A retry backing off for at most 2 s keeps its place and holds its
/// receiver; a longer one lets later items pass. A receiver that waits never holds back other receivers. Across
/// receivers, items start in submission order, except in the last seconds of work, when the receivers with the most
/// items waiting go first (see <c>InEndPhase</c>) so that no chat's last messages end the run a second late.
/// </para>
/// <para>
/// Pacing is the limiter's (<see cref="RateLimiter"/>): the scheduler asks it for room before starting an attempt and
/// hands the attempt its <see cref="SendRecord"/>, which the HTTP layer fills in when the request leaves and when its
/// answer comes. Requests in flight follow the measured round trip unless ThrottleLimit was set.
/// </para>
/// </remarks>
internal sealed class DeliveryScheduler<TWork>
{
    // A retry that backs off this long or less keeps its receiver's later items behind it; a longer one lets them pass.
    private static readonly long MaxReceiverHoldTicks = TimeSpan.FromSeconds(2).Ticks;
    private const int AutoThrottleFloor = 16;

    // From the third quota refusal of one item on, its wait is at least the retry policy's backoff.
    private const int RefusalsBeforeBackoff = 3;

    private readonly RateLimiter _limiter;
    private readonly RetryPolicy _retryPolicy;
    private readonly IClock _clock;
    private readonly int _maxPending;
    private readonly int _throttleLimit;
    private readonly bool _autoThrottle;
    private readonly int _maxAttempts;
    private readonly TimeSpan _itemDeadline;

    // Items waiting to start an attempt, in submission order (retries go back to their place), and how many of them
    // each receiver has.
    private readonly LinkedList<Job> _waiting = new();
    private readonly Dictionary<string, int> _waitingByReceiver = new(StringComparer.Ordinal);
    private readonly int _appPerSecond;
    private readonly int _receiverPerSecond;
    private readonly HashSet<string> _heldReceivers = new(StringComparer.Ordinal);
    private long _nextId;
    private bool _stopping;

    public DeliveryScheduler(DeliveryOptions options, RateLimiter limiter, RetryPolicy retryPolicy, IClock clock)
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
        _maxAttempts = options.MaxAttempts;
        _itemDeadline = options.ItemDeadline;
        _appPerSecond = options.AppPerSecond;
        _receiverPerSecond = options.ReceiverPerSecond;
    }

    /// <summary>Accepted items not finished yet (waiting, backing off or in flight).</summary>
    public int Pending { get; private set; }

    /// <summary>Attempts running now.</summary>
    public int InFlight { get; private set; }

    /// <summary>How many attempts may run at once right now.</summary>
    public int InFlightLimit => _autoThrottle ? _limiter.SuggestedInFlight(Math.Min(AutoThrottleFloor, _throttleLimit), _throttleLimit) : _throttleLimit;

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
    /// send record), and in <paramref name="wakeIn"/> how long until time alone could let another start (null when
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

        if (_limiter.TryRecord(job.Key, out var record, out var wait))
        {
            _waiting.Remove(node);
            CountWaiting(job, -1);
            if (job.Attempts == 0)
            {
                // The item's one deadline runs from its first attempt: waiting for a first slot is the run's pace, not the item's trouble.
                job.DeadlineTicks = now + _itemDeadline.Ticks;
            }

            job.Send = record;
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

    // Near the end of a run the app's windows and the receivers' both bind: 300 messages need six of Lark's seconds,
    // each of them full, and a chat with 15 messages left needs three seconds of its own. Walked in submission order, a
    // chat whose turn came while its own slot was a millisecond from freeing loses that slot to a later chat, and the
    // run ends a second late with that chat's last message. So in the last seconds of work (at most 10 of the app's
    // windows waiting, when a receiver could need as many seconds as the app) the receivers with the most items waiting
    // go first (ties: submission order), as the highest-level-first rule of scheduling has it; each receiver's own
    // items keep their order. Submission order is kept earlier (the receivers are many seconds from their end), in the
    // last of the app's windows (everything left fits in it), for runs that fit in one, and when ThrottleLimit was set:
    // then the requests in flight bind, not the app's quota, and the input's order is what the user asked for.
    // Only while some receiver is critical: its waiting items need as many seconds at its 5/s as all waiting items
    // need at the app's 50/s. Otherwise every receiver ends in time whatever the order, and order is kept (it also
    // keeps a receiver's messages apart, so jitter reorders fewer of them on arrival).
    private bool InEndPhase()
    {
        if (!_autoThrottle || _appPerSecond <= 0 || _receiverPerSecond <= 0 || _receiverPerSecond >= _appPerSecond
            || _waiting.Count <= _appPerSecond || _waiting.Count > 10 * _appPerSecond)
        {
            return false;
        }

        var appSeconds = (_waiting.Count + _appPerSecond - 1) / _appPerSecond;
        foreach (var backlog in _waitingByReceiver.Values)
        {
            if ((backlog + _receiverPerSecond - 1) / _receiverPerSecond >= appSeconds)
            {
                return true;
            }
        }

        return false;
    }

    private List<LinkedListNode<Job>> ByBacklog()
    {
        var nodes = new List<(LinkedListNode<Job> Node, int Backlog, long First)>(_waiting.Count);
        var firstOf = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            var key = node.Value.Key;
            var backlog = 0;
            var first = node.Value.Id;
            if (key is not null)
            {
                _waitingByReceiver.TryGetValue(key, out backlog);
                if (!firstOf.TryGetValue(key, out first))
                {
                    first = node.Value.Id;
                    firstOf.Add(key, first);
                }
            }

            nodes.Add((node, backlog, first));
        }

        // Most waiting first, then the receiver whose first item came first, then the items' own order.
        nodes.Sort((a, b) => a.Backlog != b.Backlog ? b.Backlog.CompareTo(a.Backlog)
            : a.First != b.First ? a.First.CompareTo(b.First)
            : a.Node.Value.Id.CompareTo(b.Node.Value.Id));
        return nodes.ConvertAll(n => n.Node);
    }

    private void CountWaiting(Job job, int change)
    {
        if (job.Key is not { } key)
        {
            return;
        }

        _waitingByReceiver.TryGetValue(key, out var count);
        count += change;
        if (count > 0)
        {
            _waitingByReceiver[key] = count;
        }
        else
        {
            _waitingByReceiver.Remove(key);
        }
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
    /// The attempt of <paramref name="job"/> failed with <paramref name="error"/>: the retry policy's verdict, with the
    /// wait before the next attempt fitted to the windows when Lark refused by quota. A retry goes back to its place.
    /// </summary>
    public Verdict Failed(Job job, Exception error, CancellationToken ownCancellation)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        var answered = error is LarkApiException { HttpStatus: not null };
        EndAttempt(job, answered);
        job.LastError = error;
        var left = TimeLeft(job);
        if (WaitAskedPastDeadline(job, error, left, ownCancellation) is { } tooLong)
        {
            return Finish(job, DeliveryEventKind.Failed, tooLong.Message, tooLong);
        }

        var decision = _retryPolicy.Decide(error, job.Attempts, job.Waited, job.TokenRetries, ownCancellation);
        if (job.CutByDeadline && decision.Failure != FailureKind.Canceled)
        {
            // The attempt was cancelled at the deadline: the item's time is up, whatever the attempt count.
            var cut = ItemDeadlineException.Expired(_itemDeadline, job.Attempts, error);
            return Finish(job, DeliveryEventKind.Failed, cut.Message, cut);
        }

        if (!decision.ShouldRetry)
        {
            return Finish(job, decision.Failure == FailureKind.Canceled ? DeliveryEventKind.Stopped : DeliveryEventKind.Failed, decision.Reason);
        }

        if (decision.Failure == FailureKind.TokenInvalid)
        {
            // The HTTP choke point already dropped the token, fetched a fresh one and resent once: a second refusal is final.
            return Finish(job, DeliveryEventKind.Failed, FirstClause(decision.Reason) + ": refused again after a fresh token, not retried");
        }

        if (_stopping)
        {
            return Finish(job, DeliveryEventKind.Stopped, "The run was stopped before this item could be retried.");
        }

        if (left <= TimeSpan.Zero)
        {
            var expired = ItemDeadlineException.Expired(_itemDeadline, job.Attempts, error);
            return Finish(job, DeliveryEventKind.Failed, expired.Message, expired);
        }

        TimeSpan delay;
        string reason;
        switch (decision.Failure)
        {
            case FailureKind.AppRateLimit:
                var reset = (error as LarkApiException)?.RetryAfter;
                delay = _limiter.OnAppRefusal(reset);
                if (job.Attempts >= RefusalsBeforeBackoff)
                {
                    // Refused again and again: something else shares the quota; back off as the policy says.
                    delay = Max(delay, decision.Delay);
                }

                reason = string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: waiting {1} until the app's windows have room{2}, then sending a little slower (attempt {3} of {4})",
                    FirstClause(decision.Reason),
                    RetryPolicy.FormatSeconds(delay),
                    reset is { } r ? " (x-ogw-ratelimit-reset " + RetryPolicy.FormatSeconds(r) + ")" : string.Empty,
                    job.Attempts + 1,
                    _maxAttempts);
                break;
            case FailureKind.ReceiverRateLimit when job.Key is not null:
                delay = _limiter.OnReceiverRefusal(job.Key);
                if (job.Attempts >= RefusalsBeforeBackoff)
                {
                    delay = Max(delay, decision.Delay);
                }

                reason = string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: waiting {1} until this receiver's window has room (attempt {2} of {3})",
                    FirstClause(decision.Reason),
                    RetryPolicy.FormatSeconds(delay),
                    job.Attempts + 1,
                    _maxAttempts);
                break;
            default:
                delay = decision.Delay;
                reason = decision.Reason;
                if (decision.PauseApp is { } appPause)
                {
                    _limiter.PauseApp(appPause);
                }

                if (decision.PauseReceiver is { } receiverPause && job.Key is not null)
                {
                    _limiter.PauseReceiver(job.Key, receiverPause);
                }

                break;
        }

        if (delay > left)
        {
            var late = ItemDeadlineException.NextAttemptTooLate(_itemDeadline, delay, left, job.Attempts, error);
            return Finish(job, DeliveryEventKind.Failed, late.Message, late);
        }

        job.Waited += delay;
        job.NotBefore = _clock.UtcNow.UtcTicks + delay.Ticks;
        job.HoldsReceiver = delay.Ticks <= MaxReceiverHoldTicks;
        Requeue(job);
        return new Verdict(DeliveryEventKind.Retrying, reason, delay);
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

    // Lark refused for a quota and asked for a wait (x-ogw-ratelimit-reset, Retry-After) that ends after the item's
    // deadline: waiting cannot help, so it fails now and says so. The limiter still learns of the refusal.
    private ItemDeadlineException? WaitAskedPastDeadline(Job job, Exception error, TimeSpan left, CancellationToken ownCancellation)
    {
        if (ownCancellation.IsCancellationRequested
            || left <= TimeSpan.Zero
            || error is not LarkApiException { RetryAfter: { } asked, Retry: RetryKind.AppQuota or RetryKind.ReceiverQuota } refusal
            || asked <= left)
        {
            return null;
        }

        if (refusal.Retry == RetryKind.AppQuota)
        {
            _limiter.OnAppRefusal(asked);
        }
        else if (job.Key is not null)
        {
            _limiter.OnReceiverRefusal(job.Key);
        }

        return ItemDeadlineException.WaitTooLong(_itemDeadline, asked, left < TimeSpan.Zero ? TimeSpan.Zero : left, refusal);
    }

    private void EndAttempt(Job job, bool roundTripKnown)
    {
        if (job.Send is { } record)
        {
            _limiter.Answered(record, roundTripKnown);
            job.Send = null;
        }

        InFlight--;
    }

    // Back to its place: after every earlier item still waiting, before every later one.
    private void Requeue(Job job)
    {
        var after = _waiting.Last;
        while (after is not null && after.Value.Id > job.Id)
        {
            after = after.Previous;
        }

        if (after is null)
        {
            _waiting.AddFirst(job);
        }
        else
        {
            _waiting.AddAfter(after, job);
        }

        CountWaiting(job, +1);
    }

    private static string FirstClause(string reason)
    {
        var colon = reason.IndexOf(':');
        return colon > 0 ? reason.Substring(0, colon) : reason;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;

    private static long Earliest(long? current, long ticks) => current is { } known && known <= ticks ? known : ticks;

    /// <summary>One accepted item while the run holds it.</summary>
    internal sealed class Job
    {
        public Job(long id, TWork work, string? key)
        {
            Id = id;
            Work = work;
            Key = key;
        }

        public long Id { get; }

        public TWork Work { get; }

        public string? Key { get; }

        public int Attempts { get; set; }

        public TimeSpan Waited { get; set; }

        public int TokenRetries { get; set; }

        public Exception? LastError { get; set; }

        /// <summary>The running attempt's place in the windows; null between attempts.</summary>
        public SendRecord? Send { get; set; }

        // Clock ticks before which the next attempt may not start, and whether it holds its receiver meanwhile.
        public long NotBefore { get; set; }

        public bool HoldsReceiver { get; set; }

        public bool IsFinished { get; set; }

        // Clock ticks of the item's deadline, set when its first attempt starts.
        public long DeadlineTicks { get; set; }

        /// <summary>Set by the engine when it cancelled the running attempt at the deadline.</summary>
        public bool CutByDeadline { get; set; }
    }

    /// <summary>What became of a failed attempt: Retrying (after Delay), Failed or Stopped, and why in words.</summary>
    internal readonly struct Verdict
    {
        public Verdict(DeliveryEventKind kind, string reason, TimeSpan delay, Exception? error = null)
        {
            Kind = kind;
            Reason = reason;
            Delay = delay;
            Error = error;
        }

        /// <summary>The error to report instead of the attempt's own (the item's deadline passed); null for the attempt's.</summary>
        public Exception? Error { get; }

        public DeliveryEventKind Kind { get; }

        public string Reason { get; }

        public TimeSpan Delay { get; }
    }
}
