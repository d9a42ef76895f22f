namespace LarkPS.Sandbox.Tests.TestSupport;

/// <summary>A clock that only moves when told to: token expiry and quota windows without sleeping.</summary>
public sealed class FakeClock : TimeProvider
{
    private readonly object gate = new();
    private DateTimeOffset now = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
