namespace LarkPS.Sandbox.State;

/// <summary>
/// The requests the sandbox received, in arrival-of-answer order: the newest <see cref="Capacity"/>, and no more than
/// the byte budget (<see cref="SandboxOptions.RequestLogBytes"/>), so a sandbox left running under a long benchmark or
/// a flood of large bodies does not grow without bound.
/// </summary>
internal sealed class RequestLog(long maxBytes = RequestLog.DefaultMaxBytes)
{
    /// <summary>How many requests are kept; older ones are dropped first.</summary>
    public const int Capacity = 100_000;

    /// <summary>The default byte budget: 100,000 typical requests (about 1 KB each) fit well inside it.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    private readonly object gate = new();
    private readonly Queue<(RecordedRequest Request, long Bytes)> requests = new();
    private long bytes;

    /// <summary>What the kept requests weigh, by the same estimate that enforces the budget.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>A request's weight in memory: its strings (UTF-16) plus a fixed allowance for the objects around them.</summary>
    public static long SizeOf(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long chars = request.Method.Length + request.PathAndQuery.Length + request.Body.Length;
        foreach (var (name, value) in request.Headers)
        {
            chars += name.Length + value.Length + 16;
        }

        return 256 + (chars * sizeof(char));
    }

    public void Add(RecordedRequest request)
    {
        var size = SizeOf(request);
        lock (gate)
        {
            requests.Enqueue((request, size));
            bytes += size;
            while (requests.Count > Capacity || (bytes > maxBytes && requests.Count > 1))
            {
                bytes -= requests.Dequeue().Bytes;
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (gate)
        {
            return requests.Select(r => r.Request).ToArray();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            requests.Clear();
            bytes = 0;
        }
    }
}
