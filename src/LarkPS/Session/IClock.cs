using System;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Session;

/// <summary>Time as LarkPS sees it: the wall clock in production, a fake one in unit tests.</summary>
public interface IClock
{
    /// <summary>The current time.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary>Waits for <paramref name="delay"/> of this clock's time, honouring cancellation.</summary>
    Task Delay(TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>The real clock.</summary>
public sealed class SystemClock : IClock
{
    /// <summary>The one instance every connection shares.</summary>
    public static readonly SystemClock Instance = new();

    private SystemClock()
    {
    }

    /// <inheritdoc />
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    /// <inheritdoc />
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
}
