namespace LarkPS.Sandbox.Quotas;

/// <summary>
/// A sliding-window counter: at most <c>limit</c> admissions in any <c>length</c> of time.
/// Not thread-safe on its own; <see cref="SendQuota"/> holds the lock so several windows
/// can be checked and charged together.
/// </summary>
internal sealed class SlidingWindow(TimeSpan length)
{
    private readonly Queue<DateTimeOffset> admitted = new();

    public TimeSpan Length { get; } = length;

    /// <summary>True when one more admission fits; otherwise how long until the oldest slot frees.</summary>
    public bool HasRoom(DateTimeOffset now, int limit, out TimeSpan wait)
    {
        Evict(now);
        if (admitted.Count < limit)
        {
            wait = TimeSpan.Zero;
            return true;
        }

        if (limit <= 0)
        {
            wait = Length;
            return false;
        }

        // With more admissions than the limit (the limit was lowered at run time) the slot that frees
        // the window is not the oldest one.
        wait = admitted.ElementAt(admitted.Count - limit) + Length - now;
        return false;
    }

    public void Admit(DateTimeOffset now) => admitted.Enqueue(now);

    public void Clear() => admitted.Clear();

    public bool IsIdle(DateTimeOffset now)
    {
        Evict(now);
        return admitted.Count == 0;
    }

    private void Evict(DateTimeOffset now)
    {
        while (admitted.Count > 0 && admitted.Peek() + Length <= now)
        {
            admitted.Dequeue();
        }
    }
}
