namespace LarkPS.Sandbox.State;

/// <summary>Every request the sandbox received, in arrival-of-answer order.</summary>
internal sealed class RequestLog
{
    private readonly object gate = new();
    private readonly List<RecordedRequest> requests = [];

    public void Add(RecordedRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
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
