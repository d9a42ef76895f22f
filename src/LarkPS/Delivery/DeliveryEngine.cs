using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Pacing;
using LarkPS.Threading;

namespace LarkPS.Delivery;

/// <summary>Sends a stream of work items through the delivery scheduler, performing its attempts, and hands every event back on the caller's thread.</summary>
/// <remarks>
/// <para>
/// This is the thin layer: every decision (order, pacing, requests in flight, retry timing, stop) is the
/// <see cref="DeliveryScheduler{TWork}"/>'s, which one dispatcher loop owns. The loop takes new items and finished
/// attempts from two queues, asks the scheduler what is due, starts those attempts, and sleeps on a signal or on the
/// clock for the wait the scheduler named. It never spins.
/// </para>
/// <para>
/// One caller thread (a cmdlet's pipeline thread) calls <see cref="Submit"/> per item and <see cref="Complete"/> once; the
/// events come back only through those enumerations, on that thread, so the caller can write them safely. Enumerate each
/// result to the end: a work item is accepted while its Submit result is being enumerated.
/// </para>
/// <para>
/// <c>sendOnce</c> runs on worker threads, must be thread-safe and must not touch PowerShell. It makes exactly one HTTP
/// attempt and reuses the work item's uuid each time, so a retry never sends twice. It is started by the dispatcher, so it
/// should return its task at its first await. It is handed the attempt's <see cref="PacingTicket"/>: the request it
/// sends carries it (<see cref="LarkRequest.Pacing"/>), so the choke point reports on the place the scheduler reserved
/// (when the request really leaves, when it is answered) instead of waiting for another.
/// </para>
/// </remarks>
/// <typeparam name="TWork">A work item; never changed by the engine.</typeparam>
/// <typeparam name="TResult">What one successful send returns.</typeparam>
internal sealed partial class DeliveryEngine<TWork, TResult> : IDisposable
{
    // CancelAfter takes at most int.MaxValue milliseconds (24.8 days); ItemDeadline is at most a day.
    private static readonly TimeSpan MaxCancelAfter = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly DeliveryScheduler<TWork> _scheduler;
    private readonly IClock _clock;
    private readonly Func<TWork, string?> _receiverKey;
    private readonly Func<TWork, PacingTicket, CancellationToken, Task<TResult>> _sendOnce;

    // Waits on the caller's thread end at least this often (a missed signal can only delay, never hang); after in-flight
    // sends are cancelled, how long Complete waits for them to notice before reporting them Stopped itself.
    private readonly TimeSpan _wakeInterval;
    private readonly TimeSpan _abandonAfterCancel;
    private readonly int _maxPending;
    private readonly TimeSpan _stopGracePeriod;
    private readonly bool _stopAtFirstFailure;

    // Stop: no new attempt starts. Abort: in-flight attempts are cancelled (StopGracePeriod after the stop).
    // Neither source is disposed: a worker may still hold its token, and on .NET Framework using a disposed source's token throws.
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentQueue<DeliveryEvent<TWork, TResult>> _events = new();
    private readonly ManualResetEventSlim _wake = new(false);

    // Handed to the dispatcher loop, which alone touches the scheduler.
    private readonly ConcurrentQueue<TWork> _incoming = new();
    private readonly ConcurrentQueue<(DeliveryScheduler<TWork>.Job Job, TResult Result, Exception? Error)> _finished = new();

    // Attempts running, so Complete can report them Stopped when a sendOnce ignores its token.
    private readonly ConcurrentDictionary<DeliveryScheduler<TWork>.Job, byte> _running = new();

    private readonly object _signalGate = new();
    private TaskCompletionSource<bool> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _submitted;
    private long _succeeded;
    private long _failed;
    private long _stopped;
    private long _retries;
    private int _inFlight;
    private int _pending;
    private long _startedAtTicks;
    private long _stopDeadlineTicks;
    private bool _completing;
    private int _disposed;

    // 1 once StopStarting was called (or the first failure under StopAtFirstFailure): no attempt starts, none is cancelled.
    private int _noNewAttempts;

    /// <summary>Creates an engine; nothing is sent until <see cref="Submit"/>.</summary>
    /// <param name="options">ThrottleLimit, MaxPending, MaxAttempts, StopGracePeriod and the engine's figures are read.</param>
    /// <param name="limiter">Lark's windows, shared by every run of a connection; asked before every attempt, retries included.</param>
    /// <param name="retryPolicy">Decides after every failed attempt.</param>
    /// <param name="clock">Times the windows, the backoffs and the stop's grace period.</param>
    /// <param name="receiverKey">The user or chat of a work item, e.g. "open_id:ou_x"; null for none (no per-receiver limit). Asked once per item.</param>
    /// <param name="sendOnce">One HTTP attempt on the given ticket; throws LarkApiException and the like on failure. Its token is cancelled StopGracePeriod after a stop.</param>
    /// <param name="stopToken">The caller's stop (the cmdlet's StopProcessing).</param>
    public DeliveryEngine(
        DeliveryOptions options,
        RateLimiter limiter,
        RetryPolicy retryPolicy,
        IClock clock,
        Func<TWork, string?> receiverKey,
        Func<TWork, PacingTicket, CancellationToken, Task<TResult>> sendOnce,
        CancellationToken stopToken)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _scheduler = new DeliveryScheduler<TWork>(
            options,
            limiter ?? throw new ArgumentNullException(nameof(limiter)),
            retryPolicy ?? throw new ArgumentNullException(nameof(retryPolicy)),
            clock,
            Signal);
        _receiverKey = receiverKey ?? throw new ArgumentNullException(nameof(receiverKey));
        _sendOnce = sendOnce ?? throw new ArgumentNullException(nameof(sendOnce));
        _maxPending = options.MaxPending;
        _stopGracePeriod = options.StopGracePeriod;
        _stopAtFirstFailure = options.StopAtFirstFailure;
        _wakeInterval = options.Pacing.WakeInterval;
        _abandonAfterCancel = options.Pacing.AbandonAfterCancel;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopToken);

        // When stopToken is already cancelled this runs OnStop at once; the loop then only reports items Stopped.
        _stop.Token.Register(OnStop);
        _ = Task.Run(DispatchLoopAsync, CancellationToken.None);
    }

    /// <summary>A snapshot of the run's counters; safe to read from any thread.</summary>
    public DeliveryStatistics Statistics
    {
        get
        {
            var startedTicks = Interlocked.Read(ref _startedAtTicks);
            DateTimeOffset? startedAt = startedTicks == 0 ? null : new DateTimeOffset(startedTicks, TimeSpan.Zero);
            var elapsed = startedAt is null ? TimeSpan.Zero : _clock.UtcNow - startedAt.Value;
            return new DeliveryStatistics(
                Interlocked.Read(ref _submitted),
                Interlocked.Read(ref _succeeded),
                Interlocked.Read(ref _failed),
                Interlocked.Read(ref _stopped),
                Interlocked.Read(ref _retries),
                Volatile.Read(ref _inFlight),
                Volatile.Read(ref _pending),
                startedAt,
                elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
        }
    }

    private bool IsStopping => _stop.IsCancellationRequested || Volatile.Read(ref _noNewAttempts) == 1;

    /// <summary>
    /// From now on no attempt starts: items not yet started (or backing off) get Stopped events, later Submits too;
    /// attempts in flight are NOT cancelled: they finish and report as usual (-ErrorAction Stop). Safe from any thread.
    /// </summary>
    public void StopStarting()
    {
        Interlocked.Exchange(ref _noNewAttempts, 1);
        _wake.Set();
        Signal();
    }

    /// <summary>
    /// Hands one work item to the engine. Enumerating the result blocks while MaxPending items are unfinished, yielding
    /// the events of earlier items as they happen, and ends once this item is accepted. After a stop, the item is not
    /// sent: a Stopped event for it is yielded instead.
    /// </summary>
    public IEnumerable<DeliveryEvent<TWork, TResult>> Submit(TWork work)
    {
        ThrowIfDisposed();
        if (_completing)
        {
            throw new InvalidOperationException("Submit was called after Complete.");
        }

        return SubmitCore(work);
    }

    /// <summary>
    /// Call once, after the last Submit: yields the remaining events as they happen until every item has its terminal
    /// event. After a stop it returns within StopGracePeriod plus a quarter second, reporting unfinished items as Stopped.
    /// </summary>
    public IEnumerable<DeliveryEvent<TWork, TResult>> Complete()
    {
        ThrowIfDisposed();
        _completing = true;
        return CompleteCore();
    }

    /// <summary>Stops the run at once: no new attempt starts and in-flight attempts are cancelled. Events not yet taken are dropped.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _abort.Cancel();
        _wake.Set();
        Signal();
    }

    private IEnumerable<DeliveryEvent<TWork, TResult>> SubmitCore(TWork work)
    {
        Interlocked.Increment(ref _submitted);
        Interlocked.CompareExchange(ref _startedAtTicks, _clock.UtcNow.UtcTicks, 0);
        while (true)
        {
            // Reset before looking, so a signal raised after the look ends the wait at once.
            _wake.Reset();
            while (_events.TryDequeue(out var pendingEvent))
            {
                yield return pendingEvent;
            }

            if (IsStopping)
            {
                Interlocked.Increment(ref _stopped);
                yield return new DeliveryEvent<TWork, TResult>(
                    DeliveryEventKind.Stopped, work, default, null, 0, "The run was stopped before this item was sent.", TimeSpan.Zero);
                yield break;
            }

            if (Volatile.Read(ref _pending) < _maxPending)
            {
                break;
            }

            _wake.Wait(_wakeInterval);
        }

        Interlocked.Increment(ref _pending);
        _incoming.Enqueue(work);
        Signal();

        while (_events.TryDequeue(out var doneEvent))
        {
            yield return doneEvent;
        }
    }

    private IEnumerable<DeliveryEvent<TWork, TResult>> CompleteCore()
    {
        while (true)
        {
            _wake.Reset();
            while (_events.TryDequeue(out var pendingEvent))
            {
                yield return pendingEvent;
            }

            // Every terminal event is queued before _pending drops, so at zero every event is already queued.
            if (Volatile.Read(ref _pending) == 0)
            {
                while (_events.TryDequeue(out var lastEvent))
                {
                    yield return lastEvent;
                }

                yield break;
            }

            var untilDeadline = UntilStopDeadline();
            if (untilDeadline <= TimeSpan.Zero)
            {
                // A sendOnce that ignores its token must not hold the caller: report it Stopped; whatever it does later is dropped.
                foreach (var job in _running.Keys)
                {
                    if (_running.TryRemove(job, out _))
                    {
                        Report(job, DeliveryEventKind.Stopped, default, job.LastError, "The run was stopped while this item was being sent.");
                    }
                }

                continue;
            }

            _wake.Wait(untilDeadline < _wakeInterval ? untilDeadline : _wakeInterval);
        }
    }
}
