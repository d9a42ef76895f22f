namespace LarkPS.Sandbox.State;

/// <summary>A place in one container's history: create time (ms) and the order the sandbox stored messages in.</summary>
internal readonly record struct HistoryPosition(long TimeMs, long Sequence) : IComparable<HistoryPosition>
{
    public int CompareTo(HistoryPosition other) =>
        TimeMs != other.TimeMs ? TimeMs.CompareTo(other.TimeMs) : Sequence.CompareTo(other.Sequence);
}

/// <summary>One page of a container's history, in the order asked for, and where the next page starts.</summary>
internal sealed record HistorySlice(IReadOnlyList<StoredMessage> Items, HistoryPosition? Last, bool HasMore);

/// <summary>
/// Issue 25: every chat's and every thread's messages ordered by create time, so GET im/v1/messages pages a year of a
/// busy chat by binary search instead of sorting the inbox on each page. A chat lists what was posted in it (a
/// thread's replies only under their thread, as in a normal group); a thread lists its root and its replies. Not
/// thread-safe: <see cref="MessageStore"/> holds its lock around every call.
/// </summary>
internal sealed class HistoryIndex
{
    private readonly Dictionary<string, List<(HistoryPosition At, string Id)>> containers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HistoryPosition> positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> rootThreads = new(StringComparer.Ordinal);
    private long sequence;

    /// <summary>The chat's container key; a thread's is its omt_ id.</summary>
    public static string ChatKey(string chatId) => "chat:" + chatId;

    public static string ThreadKey(string threadId) => "thread:" + threadId;

    /// <summary>The thread a message roots, if a reply in a thread named it as root.</summary>
    public string? ThreadOf(string messageId) => rootThreads.TryGetValue(messageId, out var thread) ? thread : null;

    public void Add(DeliveredMessage message)
    {
        var at = new HistoryPosition(message.Time.ToUnixTimeMilliseconds(), ++sequence);
        positions[message.MessageId] = at;
        foreach (var key in KeysOf(message))
        {
            Insert(key, at, message.MessageId);
        }

        if (message.ThreadId is { } thread && message.RootId is { } root && !rootThreads.ContainsKey(root) && positions.TryGetValue(root, out var rootAt))
        {
            // The thread's first reply: its root now heads the thread's own listing too.
            rootThreads[root] = thread;
            Insert(ThreadKey(thread), rootAt, root);
        }
    }

    /// <summary>A message whose create time moved (the control API's age): re-placed in each of its containers.</summary>
    public void Move(DeliveredMessage before, DeliveredMessage after)
    {
        if (!positions.TryGetValue(before.MessageId, out var old))
        {
            return;
        }

        var at = old with { TimeMs = after.Time.ToUnixTimeMilliseconds() };
        positions[after.MessageId] = at;
        var keys = KeysOf(before).ToList();
        if (rootThreads.TryGetValue(before.MessageId, out var thread))
        {
            keys.Add(ThreadKey(thread));
        }

        foreach (var key in keys)
        {
            var list = containers[key];
            var index = list.BinarySearch((old, before.MessageId), Comparer);
            if (index >= 0)
            {
                list.RemoveAt(index);
            }

            Insert(key, at, after.MessageId);
        }
    }

    public void Clear()
    {
        containers.Clear();
        positions.Clear();
        rootThreads.Clear();
        sequence = 0;
    }

    /// <summary>
    /// Up to <paramref name="size"/> message ids of <paramref name="key"/> within [startMs, endMs], after
    /// <paramref name="after"/> in the walk's direction; <paramref name="resolve"/> turns an id into the message.
    /// </summary>
    public HistorySlice Page(string key, long startMs, long endMs, bool descending, HistoryPosition? after, int size, Func<string, StoredMessage> resolve)
    {
        if (!containers.TryGetValue(key, out var list) || list.Count == 0)
        {
            return new HistorySlice([], null, false);
        }

        var items = new List<StoredMessage>(size);
        HistoryPosition? last = null;
        if (!descending)
        {
            var from = after is { } a ? UpperBound(list, a) : LowerBound(list, new HistoryPosition(startMs, long.MinValue));
            for (var i = from; i < list.Count && list[i].At.TimeMs <= endMs; i++)
            {
                if (list[i].At.TimeMs < startMs)
                {
                    continue;
                }

                if (items.Count == size)
                {
                    return new HistorySlice(items, last, true);
                }

                items.Add(resolve(list[i].Id));
                last = list[i].At;
            }
        }
        else
        {
            var from = (after is { } a ? LowerBound(list, a) : UpperBound(list, new HistoryPosition(endMs, long.MaxValue))) - 1;
            for (var i = from; i >= 0 && list[i].At.TimeMs >= startMs; i--)
            {
                if (list[i].At.TimeMs > endMs)
                {
                    continue;
                }

                if (items.Count == size)
                {
                    return new HistorySlice(items, last, true);
                }

                items.Add(resolve(list[i].Id));
                last = list[i].At;
            }
        }

        return new HistorySlice(items, last, false);
    }

    private static readonly IComparer<(HistoryPosition At, string Id)> Comparer =
        Comparer<(HistoryPosition At, string Id)>.Create((x, y) => x.At.CompareTo(y.At));

    private static IEnumerable<string> KeysOf(DeliveredMessage message)
    {
        // A reply in a thread lives under its thread only; everything else in its chat.
        if (message.ThreadId is { } thread)
        {
            yield return ThreadKey(thread);
        }
        else
        {
            yield return ChatKey(message.ChatId);
        }
    }

    private void Insert(string key, HistoryPosition at, string id)
    {
        if (!containers.TryGetValue(key, out var list))
        {
            list = [];
            containers[key] = list;
        }

        // Messages arrive in time order: the end is the usual place.
        if (list.Count == 0 || list[^1].At.CompareTo(at) < 0)
        {
            list.Add((at, id));
            return;
        }

        list.Insert(UpperBound(list, at), (at, id));
    }

    // The first index whose position is >= at.
    private static int LowerBound(List<(HistoryPosition At, string Id)> list, HistoryPosition at)
    {
        int low = 0, high = list.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (list[mid].At.CompareTo(at) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    // The first index whose position is > at.
    private static int UpperBound(List<(HistoryPosition At, string Id)> list, HistoryPosition at)
    {
        int low = 0, high = list.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (list[mid].At.CompareTo(at) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
