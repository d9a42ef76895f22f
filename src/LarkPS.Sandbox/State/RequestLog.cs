namespace LarkPS.Sandbox.State;

/// <summary>
/// The requests the sandbox received, in arrival-of-answer order: the newest <see cref="Capacity"/>, so a sandbox
/// left running under a long benchmark does not grow without bound.
/// </summary>
internal sealed class RequestLog
{
    /// <summary>How many requests are kept; older ones are dropped first.</summary>
    public const int Capacity = 100_000;

    private readonly object gate = new();
    private readonly Queue<RecordedRequest> requests = new();

    public void Add(RecordedRequest request)
    {
        lock (gate)
        {
            if (requests.Count == Capacity)
            {
                requests.Dequeue();
            }

            requests.Enqueue(request);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (gate)
        {
            return requests.ToArray();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            requests.Clear();
        }
    }
}
