using System;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Delivery;

/// <summary>The dispatcher: the one loop that starts every attempt, in submission order per receiver.</summary>
internal sealed partial class DeliveryEngine<TWork, TResult>
{
    // The one loop that starts attempts. It never ends: after a stop it reports whatever reaches it Stopped.
    private async Task DispatchLoopAsync()
    {
        while (true)
        {
            var signal = ArmSignal();
            long? waitTicks;
            try
            {
                waitTicks = DispatchOnce();
            }
            // A bug here must not hang the run: fail what waits, keep the loop alive.
            catch (Exception ex)
            {
                FailWaiting(ex);
                waitTicks = null;
            }

            if (waitTicks is null)
            {
                await signal.ConfigureAwait(false);
                continue;
            }

            using var cancelDelay = new CancellationTokenSource();
            var delay = _clock.Delay(TimeSpan.FromTicks(waitTicks.Value), cancelDelay.Token);
            if (await Task.WhenAny(signal, delay).ConfigureAwait(false) != delay)
            {
                // Woken early: drop the timer so a fake clock does not keep it, and a real one frees it.
                cancelDelay.Cancel();
            }
        }
    }

    // One walk over the waiting items in submission order; returns how long until time alone could let one start,
    // or null when only a signal (an item, a free slot, a stop) can.
    private long? DispatchOnce()
    {
        TakeHandedItems();
        if (IsStopping)
        {
            StopWaiting();
            return null;
        }

        var now = _clock.UtcNow.UtcTicks;
        long? next = null;
        _heldReceivers.Clear();
        var node = _waiting.First;
        while (node is not null)
        {
            var entry = node.Value;
            var following = node.Next;
            if (Volatile.Read(ref entry.Finished) == 1)
            {
                _waiting.Remove(node);
            }
            else if (entry.Key is not null && _heldReceivers.Contains(entry.Key))
            {
                // An earlier item to this receiver has not started: keep the order.
            }
            else if (entry.NotBefore > now)
            {
                next = Earliest(next, entry.NotBefore - now);
                if (entry.HoldsReceiver && entry.Key is not null)
                {
                    _heldReceivers.Add(entry.Key);
                }
            }
            else if (Volatile.Read(ref _freeSlots) == 0 || IsStopping)
            {
                // A slot freed or a stop signals the loop.
                break;
            }
            else if (_limiter.TryAcquire(entry.Key, out var wait))
            {
                _waiting.Remove(node);
                Interlocked.Decrement(ref _freeSlots);
                Interlocked.Increment(ref _inFlight);
                _ = AttemptAsync(entry);
            }
            else
            {
                var appWait = entry.Key is null ? wait : _limiter.TimeUntilAvailable(null);
                if (appWait > TimeSpan.Zero)
                {
                    // The app's windows are full: nobody can start before they free.
                    return Earliest(next, appWait.Ticks);
                }

                next = Earliest(next, wait.Ticks);
                _heldReceivers.Add(entry.Key!);
            }

            node = following;
        }

        return next;
    }

    // Moves new items (asking their receiver key) and returning retries into the waiting list, keeping it by id.
    private void TakeHandedItems()
    {
        while (_incoming.TryDequeue(out var entry))
        {
            try
            {
                entry.Key = _receiverKey(entry.Work);
            }
            // A throwing receiverKey must end the item with an event, not lose it.
            catch (Exception ex)
            {
                Finish(entry, DeliveryEventKind.Failed, default, ex, "The delivery engine failed on this item: " + ex.Message);
                continue;
            }

            _waiting.AddLast(entry);
        }

        while (_returning.TryDequeue(out var entry))
        {
            // Back to its place: after every earlier item still waiting, before every later one.
            var after = _waiting.Last;
            while (after is not null && after.Value.Id > entry.Id)
            {
                after = after.Previous;
            }

            if (after is null)
            {
                _waiting.AddFirst(entry);
            }
            else
            {
                _waiting.AddAfter(after, entry);
            }
        }
    }

    private void StopWaiting()
    {
        foreach (var entry in _waiting)
        {
            var reason = entry.Attempts == 0
                ? "The run was stopped before this item could be sent."
                : "The run was stopped before this item could be retried.";
            Finish(entry, DeliveryEventKind.Stopped, default, entry.LastError, reason);
        }

        _waiting.Clear();
    }

    private void FailWaiting(Exception error)
    {
        foreach (var entry in _waiting)
        {
            Finish(entry, DeliveryEventKind.Failed, default, error, "The delivery engine failed on this item: " + error.Message);
        }

        _waiting.Clear();
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

    // Wakes the dispatcher after a change it must see: an item handed over, a slot freed, a stop.
    private void Signal()
    {
        lock (_signalGate)
        {
            _signal.TrySetResult(true);
        }
    }

    private static long Earliest(long? current, long ticks) => current is { } known && known <= ticks ? known : ticks;
}
