using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Pacing;

namespace LarkPS.Delivery;

/// <summary>The engine's dispatcher loop and the attempts it runs: the one thread that touches the scheduler, and the workers that send.</summary>
internal sealed partial class DeliveryEngine<TWork, TResult>
{
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
        var ticket = job.Ticket!;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        if (timeLeft <= TimeSpan.Zero)
        {
            attempt.Cancel();
        }
        else if (timeLeft < MaxCancelAfter)
        {
            attempt.CancelAfter(timeLeft);
        }

        try
        {
            result = await _sendOnce(job.Work, ticket, attempt.Token).ConfigureAwait(false);
        }
        // Every failure of one attempt goes to the scheduler's verdict; none may escape a worker.
        catch (Exception ex)
        {
            error = ex;
            job.CutByDeadline = attempt.IsCancellationRequested && !_abort.IsCancellationRequested;
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
        Interlocked.Exchange(ref _stopDeadlineTicks, _clock.UtcNow.UtcTicks + _stopGracePeriod.Ticks + _abandonAfterCancel.Ticks);

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
