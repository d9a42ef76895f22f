using LarkPS.Session;
using LarkPS.Threading;

namespace LarkPS.UnitTests;

/// <summary>A clock that moves only when told: <see cref="Advance"/> by hand, or on its own with <see cref="AutoAdvance"/>.</summary>
/// <remarks>
/// Delay returns a task that completes once fake time reaches its due time (asynchronously, never inline in Advance).
/// With AutoAdvance, each Delay moves time straight to its own due time: time skips to whatever someone waits for.
/// </remarks>
public sealed class FakeClock : IClock
{
    private readonly object _gate = new();
    private readonly List<Timer> _timers = new();
    private DateTimeOffset _now;

    public FakeClock()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public FakeClock(DateTimeOffset start) => _now = start;

    /// <summary>When true, every Delay advances the clock to its own due time and completes.</summary>
    public bool AutoAdvance { get; set; }

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    /// <summary>Delays not yet due and not cancelled.</summary>
    public int PendingDelays
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        Timer timer;
        var deferAdvance = false;
        lock (_gate)
        {
            var due = _now + delay;
            if (AutoAdvance)
            {
                // A wait that can be cut short (the engine's dispatcher waits for the next due time OR a signal, and
                // cancels the timer when the signal wins) moves time only if it is still waited for a moment later:
                // otherwise one cancelled long wait jumped every item past its deadline (a flaky DeliveryEngineTests).
                if (cancellationToken.CanBeCanceled)
                {
                    deferAdvance = true;
                }
                else
                {
                    _now = due;
                }
            }

            timer = new Timer(due);
            _timers.Add(timer);
        }

        if (deferAdvance)
        {
            _ = Task.Run(async () =>
            {
                await Task.Yield();
                lock (_gate)
                {
                    if (cancellationToken.IsCancellationRequested || !_timers.Contains(timer))
                    {
                        return;
                    }

                    if (_now < timer.Due)
                    {
                        _now = timer.Due;
                    }
                }

                FireDue();
            }, CancellationToken.None);
        }

        if (cancellationToken.CanBeCanceled)
        {
            timer.Registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _timers.Remove(timer);
                }

                timer.Completion.TrySetCanceled(cancellationToken);
            });
        }

        FireDue();
        return timer.Completion.Task;
    }

    /// <summary>Moves time forward and completes every delay that falls due.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate)
        {
            _now += by;
        }

        FireDue();
    }

    private void FireDue()
    {
        List<Timer> due;
        lock (_gate)
        {
            due = _timers.Where(t => t.Due <= _now).ToList();
            foreach (var timer in due)
            {
                _timers.Remove(timer);
            }
        }

        foreach (var timer in due)
        {
            timer.Registration.Dispose();
            timer.Completion.TrySetResult();
        }
    }

    private sealed class Timer
    {
        public Timer(DateTimeOffset due) => Due = due;

        public DateTimeOffset Due { get; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
