using System;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Threading;

/// <summary>Time as LarkPS sees it: the wall clock in production, a fake one in unit tests.</summary>
internal interface IClock
{
    /// <summary>The current time.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary>Waits for <paramref name="delay"/> of this clock's time, honouring cancellation.</summary>
    Task Delay(TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>The real clock.</summary>
internal sealed class SystemClock : IClock
{
    /// <summary>The one instance every connection shares.</summary>
    public static readonly SystemClock Instance = new();

    private SystemClock()
    {
    }

    // Monotonic: wall-clock time read once, then advanced by a Stopwatch, so an NTP step or a VM resume cannot
    // put rate-limit windows in the future (which would stall sending for as long as the step).
    private static readonly DateTimeOffset Origin = DateTimeOffset.UtcNow;
    private static readonly System.Diagnostics.Stopwatch SinceOrigin = System.Diagnostics.Stopwatch.StartNew();

    /// <inheritdoc />
    public DateTimeOffset UtcNow => Origin + SinceOrigin.Elapsed;

    /// <inheritdoc />
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
}
