using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Session;

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
/// should return its task at its first await. While it runs, <see cref="DeliveryAttempt.Current"/> is its attempt: a
/// body made with <see cref="DeliveryAttempt.JsonContent"/> tells the limiter when the request really leaves.
/// </para>
/// </remarks>
/// <typeparam name="TWork">A work item; never changed by the engine.</typeparam>
/// <typeparam name="TResult">What one successful send returns.</typeparam>
internal sealed class DeliveryEngine<TWork, TResult> : IDisposable
{
    // Waits on the caller's thread end at least this often, so a missed signal can only delay, never hang.
    private static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(100);

    // After in-flight sends are cancelled, how long Complete waits for them to notice before reporting them Stopped itself.
    private static readonly TimeSpan AbandonAfterCancel = TimeSpan.FromMilliseconds(250);

    // CancelAfter takes at most int.MaxValue milliseconds (24.8 days); ItemDeadline is at most a day.
    private static readonly TimeSpan MaxCancelAfter = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly DeliveryScheduler<TWork> _scheduler;
    private readonly RateLimiter _limiter;
    private readonly IClock _clock;
    private readonly Func<TWork, string?> _receiverKey;
    private readonly Func<TWork, CancellationToken, Task<TResult>> _sendOnce;
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
    /// <param name="options">ThrottleLimit, MaxPending, MaxAttempts and StopGracePeriod are read.</param>
    /// <param name="limiter">Lark's windows, shared by every run of a connection; asked before every attempt, retries included.</param>
    /// <param name="retryPolicy">Decides after every failed attempt.</param>
    /// <param name="clock">Times the windows, the backoffs and the stop's grace period.</param>
    /// <param name="receiverKey">The user or chat of a work item, e.g. "open_id:ou_x"; null for none (no per-receiver limit). Asked once per item.</param>
    /// <param name="sendOnce">One HTTP attempt; throws LarkApiException and the like on failure. Its token is cancelled StopGracePeriod after a stop.</param>
    /// <param name="stopToken">The caller's stop (the cmdlet's StopProcessing).</param>
    public DeliveryEngine(
        DeliveryOptions options,
        RateLimiter limiter,
        RetryPolicy retryPolicy,
        IClock clock,
        Func<TWork, string?> receiverKey,
        Func<TWork, CancellationToken, Task<TResult>> sendOnce,
        CancellationToken stopToken)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _scheduler = new DeliveryScheduler<TWork>(options, limiter, retryPolicy ?? throw new ArgumentNullException(nameof(retryPolicy)), clock);
        _receiverKey = receiverKey ?? throw new ArgumentNullException(nameof(receiverKey));
        _sendOnce = sendOnce ?? throw new ArgumentNullException(nameof(sendOnce));
        _maxPending = options.MaxPending;
        _stopGracePeriod = options.StopGracePeriod;
        _stopAtFirstFailure = options.StopAtFirstFailure;
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

            _wake.Wait(WakeInterval);
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

            _wake.Wait(untilDeadline < WakeInterval ? untilDeadline : WakeInterval);
        }
    }

    // The one loop that touches the scheduler. It never ends: after a stop it reports whatever reaches it Stopped.
    private async Task DispatchLoopAsync()
    {
        while (Volatile.Read(ref _disposed) == 0 || !_incoming.IsEmpty || !_finished.IsEmpty)
        {
            var signal = ArmSignal();
            TimeSpan? wait;
            try
            {
                wait = DispatchOnce();
            }
            // A bug here must not hang the run: fail what waits, keep the loop alive.
            catch (Exception ex)
            {
                FailWaiting(ex);
                wait = null;
            }

            if (wait is null)
            {
                await signal.ConfigureAwait(false);
                continue;
            }

            using var cancelDelay = new CancellationTokenSource();
            var delay = _clock.Delay(wait.Value, cancelDelay.Token);
            if (await Task.WhenAny(signal, delay).ConfigureAwait(false) != delay)
            {
                // Woken early: drop the timer so a fake clock does not keep it, and a real one frees it.
                cancelDelay.Cancel();
            }
        }
    }

    // Takes what was handed over, then asks the scheduler what is due and starts it.
    private TimeSpan? DispatchOnce()
    {
        while (_finished.TryDequeue(out var done))
        {
            Settle(done.Job, done.Result, done.Error);
        }

        while (_incoming.TryDequeue(out var work))
        {
            Accept(work);
        }

        if (IsStopping)
        {
            if (!_scheduler.IsStopping)
            {
                foreach (var job in _scheduler.Stop())
                {
                    var reason = job.Attempts == 0
                        ? "The run was stopped before this item could be sent."
                        : "The run was stopped before this item could be retried.";
                    Report(job, DeliveryEventKind.Stopped, default, job.LastError, reason);
                }
            }

            return null;
        }

        var due = _scheduler.TakeDue(out var wait);
        Volatile.Write(ref _inFlight, _scheduler.InFlight);
        foreach (var job in due)
        {
            _running[job] = 0;
            _ = AttemptAsync(job, _scheduler.TimeLeft(job));
        }

        return wait;
    }

    private void Accept(TWork work)
    {
        string? key;
        try
        {
            key = _receiverKey(work);
        }
        // A throwing receiverKey must end the item with an event, not lose it.
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failed);
            _events.Enqueue(new DeliveryEvent<TWork, TResult>(DeliveryEventKind.Failed, work, default, ex, 0, "The delivery engine failed on this item: " + ex.Message, TimeSpan.Zero));
            Interlocked.Decrement(ref _pending);
            _wake.Set();
            return;
        }

        if (IsStopping)
        {
            Interlocked.Increment(ref _stopped);
            _events.Enqueue(new DeliveryEvent<TWork, TResult>(DeliveryEventKind.Stopped, work, default, null, 0, "The run was stopped before this item was sent.", TimeSpan.Zero));
            Interlocked.Decrement(ref _pending);
            _wake.Set();
            return;
        }

        _scheduler.Accept(work, key);
    }

    // One attempt, on a worker: its verdict goes back to the dispatcher loop.
    // The attempt is cancelled when the item's deadline passes (timeLeft): on the wall clock, like HttpClient's own
    // timeout, so a fake clock's waits stay the scheduler's alone; the verdict is then the scheduler's, on its clock.
    private async Task AttemptAsync(DeliveryScheduler<TWork>.Job job, TimeSpan timeLeft)
    {
        TResult result = default!;
        Exception? error = null;
        var record = job.Send!;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        if (timeLeft <= TimeSpan.Zero)
        {
            attempt.Cancel();
        }
        else if (timeLeft < MaxCancelAfter)
        {
            attempt.CancelAfter(timeLeft);
        }

        DeliveryAttempt.Current = new DeliveryAttempt(_limiter, record, Signal);
        try
        {
            result = await _sendOnce(job.Work, attempt.Token).ConfigureAwait(false);
        }
        // Every failure of one attempt goes to the scheduler's verdict; none may escape a worker.
        catch (Exception ex)
        {
            error = ex;
            job.CutByDeadline = attempt.IsCancellationRequested && !_abort.IsCancellationRequested;
        }
        finally
        {
            DeliveryAttempt.Current = null;
        }

        _finished.Enqueue((job, result, error));
        Signal();
    }

    // On the dispatcher loop: the scheduler's verdict on one finished attempt becomes an event.
    private void Settle(DeliveryScheduler<TWork>.Job job, TResult result, Exception? error)
    {
        if (!_running.TryRemove(job, out _))
        {
            // Complete already reported it Stopped (its sendOnce ignored the cancellation): only free its slot.
            _scheduler.Abandoned(job);
            return;
        }

        if (error is null)
        {
            _scheduler.Succeeded(job);
            Report(job, DeliveryEventKind.Succeeded, result, null, null);
            return;
        }

        if (_abort.IsCancellationRequested)
        {
            _scheduler.Abandoned(job);
            job.LastError = error;
            Report(job, DeliveryEventKind.Stopped, default, error, "The run was stopped while this item was being sent.");
            return;
        }

        var verdict = _scheduler.Failed(job, error, _stop.Token);
        if (verdict.Kind == DeliveryEventKind.Retrying)
        {
            Interlocked.Increment(ref _retries);
            _events.Enqueue(new DeliveryEvent<TWork, TResult>(DeliveryEventKind.Retrying, job.Work, default, error, job.Attempts, verdict.Reason, verdict.Delay));
            _wake.Set();
            return;
        }

        Report(job, verdict.Kind, default, verdict.Error ?? error, verdict.Reason);
    }

    // Exactly one terminal event per item: the scheduler has finished it, or Complete gave up on its send.
    private void Report(DeliveryScheduler<TWork>.Job job, DeliveryEventKind kind, TResult? result, Exception? error, string? reason)
    {
        switch (kind)
        {
            case DeliveryEventKind.Succeeded:
                Interlocked.Increment(ref _succeeded);
                break;
            case DeliveryEventKind.Failed:
                Interlocked.Increment(ref _failed);
                if (_stopAtFirstFailure)
                {
                    // Before the dispatcher looks for due work again: nothing starts after this verdict.
                    Interlocked.Exchange(ref _noNewAttempts, 1);
                }

                break;
            default:
                Interlocked.Increment(ref _stopped);
                break;
        }

        _events.Enqueue(new DeliveryEvent<TWork, TResult>(kind, job.Work, result, error, job.Attempts, reason, TimeSpan.Zero));
        Interlocked.Decrement(ref _pending);
        _wake.Set();
    }

    private void FailWaiting(Exception error)
    {
        foreach (var job in _scheduler.Stop())
        {
            Report(job, DeliveryEventKind.Failed, default, error, "The delivery engine failed on this item: " + error.Message);
        }
    }

    private void OnStop()
    {
        Interlocked.Exchange(ref _stopDeadlineTicks, _clock.UtcNow.UtcTicks + _stopGracePeriod.Ticks + AbandonAfterCancel.Ticks);

        // The grace period runs on the engine's clock, so tests move it instead of waiting.
        _ = _clock.Delay(_stopGracePeriod, CancellationToken.None).ContinueWith(
            _ =>
            {
                _abort.Cancel();
                _wake.Set();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        _wake.Set();
        Signal();
    }

    // Time left before Complete stops waiting for in-flight sends; TimeSpan.MaxValue while not stopping.
    private TimeSpan UntilStopDeadline()
    {
        var deadline = Interlocked.Read(ref _stopDeadlineTicks);
        return deadline == 0 ? TimeSpan.MaxValue : TimeSpan.FromTicks(deadline - _clock.UtcNow.UtcTicks);
    }

    // Returns the task the next Signal completes; the lock orders it with Signal so no wake-up is lost.
    private Task<bool> ArmSignal()
    {
        lock (_signalGate)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _signal.Task;
        }
    }

    // Wakes the dispatcher after a change it must see: an item handed over, an attempt finished or left, a stop.
    private void Signal()
    {
        lock (_signalGate)
        {
            _signal.TrySetResult(true);
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(DeliveryEngine<TWork, TResult>));
        }
    }
}
