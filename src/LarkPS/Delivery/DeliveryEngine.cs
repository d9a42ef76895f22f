using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Session;

namespace LarkPS.Delivery;

/// <summary>Sends a stream of work items with a bounded number in flight, under the rate limiter, retrying what Lark asks to retry.</summary>
/// <remarks>
/// <para>
/// One caller thread (a cmdlet's pipeline thread) calls <see cref="Submit"/> per item and <see cref="Complete"/> once; the
/// events of the run come back only through those enumerations, on that thread, so the caller can write them safely.
/// Enumerate each result to the end: a work item is accepted while its Submit result is being enumerated.
/// </para>
/// <para>
/// The two delegates run on worker threads and must be thread-safe; they must not touch PowerShell. <c>sendOnce</c> makes
/// exactly one HTTP attempt and reuses the work item's uuid each time, so a retry never sends twice. It is called on the
/// dispatcher thread, so it should return its task quickly (at its first await) and never block.
/// </para>
/// <para>
/// One dispatcher loop starts every attempt. It keeps the accepted items that wait to start an attempt in one list in
/// submission order and, whenever an HTTP slot frees, an item arrives, or the limiter or a backoff says time has come,
/// walks that list once and starts each item that is due, has a free one of <see cref="DeliveryOptions.ThrottleLimit"/>
/// slots, and gets room from the limiter (recorded under its lock the moment the attempt starts). It never spins: between
/// walks it sleeps on a signal and, if something is held by time, on the clock for the shortest wait the limiter or a
/// backoff named.
/// </para>
/// <para>
/// Per-receiver order: among items with the same receiver key, attempts start in submission order. An item that waits
/// to start holds back every later item to its receiver (a receiver over its quota blocks only its own items, never the
/// others, which is why MaxPending exceeds ThrottleLimit). Items without a receiver key are not ordered.
/// Retries: an item that failed and backs off for at most 2 s (a 5xx, a refused token, Lark's per-receiver limit)
/// keeps its place and holds its receiver's later items that have not started yet, so a short hiccup keeps the order.
/// A longer backoff does not hold the receiver: later items go ahead, and when the backoff ends the item takes its place
/// again before any later item that has still not started. Order among first attempts is the guarantee; a send already
/// started is never held back, so an attempt that fails after a later item started can land after it.
/// The receiver key is asked once per item, by the dispatcher, when it first sees the item.
/// </para>
/// </remarks>
/// <typeparam name="TWork">A work item; never changed by the engine.</typeparam>
/// <typeparam name="TResult">What one successful send returns.</typeparam>
internal sealed partial class DeliveryEngine<TWork, TResult> : IDisposable
{
    // Waits on the caller's thread end at least this often, so a missed signal can only delay, never hang.
    private static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(100);

    // After in-flight sends are cancelled, how long Complete waits for them to notice before reporting them Stopped itself.
    private static readonly TimeSpan AbandonAfterCancel = TimeSpan.FromMilliseconds(250);

    // A retry that backs off this long or less keeps its receiver's later items behind it; a longer one lets them pass.
    // 2 s covers the first retries after a 5xx (0.5 s, 1 s) and after Lark's per-receiver limit (1 s), where order
    // costs little; an alert stream should not stall for a 30 s backoff.
    private static readonly long MaxReceiverHoldTicks = TimeSpan.FromSeconds(2).Ticks;

    private readonly RateLimiter _limiter;
    private readonly RetryPolicy _retryPolicy;
    private readonly IClock _clock;
    private readonly Func<TWork, string?> _receiverKey;
    private readonly Func<TWork, CancellationToken, Task<TResult>> _sendOnce;
    private readonly int _maxPending;
    private readonly TimeSpan _stopGracePeriod;

    // Stop: no new attempt starts. Abort: in-flight attempts are cancelled (StopGracePeriod after the stop).
    // Neither source is disposed: a worker may still hold its token, and on .NET Framework using a disposed source's token throws.
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentQueue<DeliveryEvent<TWork, TResult>> _events = new();
    private readonly ConcurrentDictionary<long, Entry> _live = new();
    private readonly ManualResetEventSlim _wake = new(false);

    // Handed to the dispatcher: new items from Submit (in submission order), items back from a failed attempt.
    private readonly ConcurrentQueue<Entry> _incoming = new();
    private readonly ConcurrentQueue<Entry> _returning = new();

    // The dispatcher's own: items waiting to start an attempt, by id (submission order); receivers held during one walk.
    private readonly LinkedList<Entry> _waiting = new();
    private readonly HashSet<string> _heldReceivers = new(StringComparer.Ordinal);

    private readonly object _signalGate = new();
    private TaskCompletionSource<bool> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _nextId;
    private long _submitted;
    private long _succeeded;
    private long _failed;
    private long _stopped;
    private long _retries;
    private int _inFlight;
    private int _freeSlots;
    private int _pending;
    private long _startedAtTicks;
    private long _stopTimestamp;
    private bool _completing;
    private int _disposed;

    /// <summary>Creates an engine; nothing is sent until <see cref="Submit"/>.</summary>
    /// <param name="options">ThrottleLimit, MaxPending and StopGracePeriod are read.</param>
    /// <param name="limiter">Acquired right before every attempt, retries included.</param>
    /// <param name="retryPolicy">Decides after every failed attempt.</param>
    /// <param name="clock">Times the limiter waits and the backoffs.</param>
    /// <param name="receiverKey">The user or chat of a work item, e.g. "open_id:ou_x"; null for none (no per-receiver limit). Asked before every attempt.</param>
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
        _retryPolicy = retryPolicy ?? throw new ArgumentNullException(nameof(retryPolicy));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _receiverKey = receiverKey ?? throw new ArgumentNullException(nameof(receiverKey));
        _sendOnce = sendOnce ?? throw new ArgumentNullException(nameof(sendOnce));
        _maxPending = options.MaxPending;
        _stopGracePeriod = options.StopGracePeriod;
        _freeSlots = options.ThrottleLimit;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopToken);

        // When stopToken is already cancelled this runs OnStop at once; the dispatcher then only reports items Stopped.
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

    private bool IsStopping => _stop.IsCancellationRequested;

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

        var entry = new Entry(Interlocked.Increment(ref _nextId), work);
        Interlocked.Increment(ref _pending);
        _live[entry.Id] = entry;
        _incoming.Enqueue(entry);
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

            // Finish queues an item's event before it lowers _pending, so at zero every event is already queued.
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
                foreach (var entry in _live.Values)
                {
                    Finish(entry, DeliveryEventKind.Stopped, default, null, "The run was stopped while this item was being sent.");
                }

                continue;
            }

            _wake.Wait(untilDeadline < WakeInterval ? untilDeadline : WakeInterval);
        }
    }

    // Called by the dispatcher holding a slot and the limiter's record; runs sendOnce up to its first await on the
    // dispatcher's thread, so sends to one receiver also leave in submission order.
    private async Task AttemptAsync(Entry entry)
    {
        try
        {
            TResult result = default!;
            Exception? error = null;
            Interlocked.Increment(ref entry.Attempts);
            try
            {
                result = await _sendOnce(entry.Work, _abort.Token).ConfigureAwait(false);
            }
            // Every failure of one attempt goes to the retry policy; none may escape a worker.
            catch (Exception ex)
            {
                error = ex;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                Interlocked.Increment(ref _freeSlots);
                Signal();
            }

            if (error is null)
            {
                Finish(entry, DeliveryEventKind.Succeeded, result, null, null);
                return;
            }

            entry.LastError = error;
            if (_abort.IsCancellationRequested)
            {
                Finish(entry, DeliveryEventKind.Stopped, default, error, "The run was stopped while this item was being sent.");
                return;
            }

            var decision = _retryPolicy.Decide(error, entry.Attempts, entry.Waited, entry.TokenRetries, _stop.Token);
            if (!decision.ShouldRetry)
            {
                var kind = decision.Failure == FailureKind.Canceled ? DeliveryEventKind.Stopped : DeliveryEventKind.Failed;
                Finish(entry, kind, default, error, decision.Reason);
                return;
            }

            if (IsStopping)
            {
                Finish(entry, DeliveryEventKind.Stopped, default, error, "The run was stopped before this item could be retried.");
                return;
            }

            if (decision.PauseApp is { } appPause)
            {
                _limiter.PauseApp(appPause);
            }

            if (decision.PauseReceiver is { } receiverPause && entry.Key is not null)
            {
                _limiter.PauseReceiver(entry.Key, receiverPause);
            }

            if (decision.Failure == FailureKind.TokenInvalid)
            {
                entry.TokenRetries++;
            }

            Interlocked.Increment(ref _retries);
            Enqueue(new DeliveryEvent<TWork, TResult>(
                DeliveryEventKind.Retrying, entry.Work, default, error, entry.Attempts, decision.Reason, decision.Delay));
            entry.Waited += decision.Delay;
            entry.NotBefore = _clock.UtcNow.UtcTicks + decision.Delay.Ticks;
            entry.HoldsReceiver = decision.Delay.Ticks <= MaxReceiverHoldTicks;

            // The dispatcher reports it Stopped if a stop came meanwhile.
            _returning.Enqueue(entry);
            Signal();
        }
        // A bug here must still end the item with an event, not lose it.
        catch (Exception ex)
        {
            Finish(entry, DeliveryEventKind.Failed, default, ex, "The delivery engine failed on this item: " + ex.Message);
        }
    }

    private void Finish(Entry entry, DeliveryEventKind kind, TResult? result, Exception? error, string? reason)
    {
        // Exactly one terminal event per item, even when Complete gives up on a send that ignores its token.
        if (Interlocked.Exchange(ref entry.Finished, 1) == 1)
        {
            return;
        }

        switch (kind)
        {
            case DeliveryEventKind.Succeeded:
                Interlocked.Increment(ref _succeeded);
                break;
            case DeliveryEventKind.Failed:
                Interlocked.Increment(ref _failed);
                break;
            default:
                Interlocked.Increment(ref _stopped);
                break;
        }

        _events.Enqueue(new DeliveryEvent<TWork, TResult>(kind, entry.Work, result, error, Volatile.Read(ref entry.Attempts), reason, TimeSpan.Zero));
        _live.TryRemove(entry.Id, out _);
        Interlocked.Decrement(ref _pending);
        _wake.Set();
    }

    private void Enqueue(DeliveryEvent<TWork, TResult> deliveryEvent)
    {
        _events.Enqueue(deliveryEvent);
        _wake.Set();
    }

    private void OnStop()
    {
        Interlocked.Exchange(ref _stopTimestamp, Stopwatch.GetTimestamp());

        // Wall time, not the injected clock: a stop is a person pressing Ctrl+C.
        _abort.CancelAfter(_stopGracePeriod);
        _wake.Set();
        Signal();
    }

    // Time left before Complete stops waiting for in-flight sends; TimeSpan.MaxValue while not stopping.
    private TimeSpan UntilStopDeadline()
    {
        var stoppedAt = Interlocked.Read(ref _stopTimestamp);
        if (stoppedAt == 0)
        {
            return TimeSpan.MaxValue;
        }

        var elapsedTicks = (long)((Stopwatch.GetTimestamp() - stoppedAt) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        return TimeSpan.FromTicks(_stopGracePeriod.Ticks + AbandonAfterCancel.Ticks - elapsedTicks);
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(DeliveryEngine<TWork, TResult>));
        }
    }

    /// <summary>One accepted work item while it is unfinished.</summary>
    private sealed class Entry
    {
        public Entry(long id, TWork work)
        {
            Id = id;
            Work = work;
        }

        public long Id { get; }

        public TWork Work { get; }

        // Set by the dispatcher when it first sees the item.
        public string? Key { get; set; }

        // The following are written by the one attempt running, or by the dispatcher while none runs.
        public Exception? LastError { get; set; }

        public TimeSpan Waited { get; set; }

        public int TokenRetries { get; set; }

        // Clock ticks before which the next attempt may not start (a backoff), and whether it holds the receiver meanwhile.
        public long NotBefore { get; set; }

        public bool HoldsReceiver { get; set; }

        // Fields, because Interlocked needs them by ref.
        public int Attempts;

        public int Finished;
    }
}
