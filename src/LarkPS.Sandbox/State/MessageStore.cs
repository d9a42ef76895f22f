namespace LarkPS.Sandbox.State;

/// <summary>A delivered message plus the time Lark reports as update_time.</summary>
internal sealed record StoredMessage(DeliveredMessage Message, DateTimeOffset UpdateTime);

/// <summary>
/// The inbox and the uuid memory, behind one lock so "is this uuid known? then store" is atomic
/// even when a benchmark fires 50 sends a second with retries racing their originals; edits, card
/// updates and recalls check and change a message under the same lock.
/// </summary>
internal sealed class MessageStore(SandboxOptions options)
{
    /// <summary>Lark: requests sharing a uuid send at most one message within 1 hour.</summary>
    public static readonly TimeSpan UuidMemory = TimeSpan.FromHours(1);

    private readonly object gate = new();
    private readonly List<string> order = [];
    private readonly TrackedMessages byId = new();
    private readonly Dictionary<string, (string MessageId, DateTimeOffset Until)> uuids = new(StringComparer.Ordinal);
    private readonly HistoryIndex history = new();

    /// <summary>
    /// Stores the message built by <paramref name="create"/>, unless <paramref name="uuid"/> was used
    /// within the hour: then answers the first message and stores nothing.
    /// </summary>
    public (StoredMessage Stored, bool Duplicate) StoreOnce(string? uuid, Func<DeliveredMessage> create)
    {
        var now = options.TimeProvider.GetUtcNow();
        lock (gate)
        {
            if (!string.IsNullOrEmpty(uuid)
                && uuids.TryGetValue(uuid, out var seen)
                && seen.Until > now
                && byId.TryGetValue(seen.MessageId, out var first))
            {
                return (first, true);
            }

            var message = create();
            var stored = new StoredMessage(message, message.Time);
            order.Add(message.MessageId);
            byId[message.MessageId] = stored;
            history.Add(message);
            if (!string.IsNullOrEmpty(uuid))
            {
                uuids[uuid] = (message.MessageId, now + UuidMemory);
            }

            return (stored, false);
        }
    }

    public StoredMessage? Find(string messageId)
    {
        lock (gate)
        {
            return byId.TryGetValue(messageId, out var stored) ? stored : null;
        }
    }

    /// <summary>
    /// Looks the message up and asks <paramref name="refuse"/> (given null when there is no such message)
    /// whether the change may happen; if it returns null, stores <paramref name="apply"/>'s result with a
    /// new update_time. Check and change are one step, so two racing edits cannot both take the 20th slot.
    /// </summary>
    public (TRefusal? Refusal, StoredMessage? Stored) Change<TRefusal>(
        string messageId,
        Func<DeliveredMessage?, TRefusal?> refuse,
        Func<DeliveredMessage, DateTimeOffset, DeliveredMessage> apply)
        where TRefusal : class
    {
        var now = options.TimeProvider.GetUtcNow();
        lock (gate)
        {
            byId.TryGetValue(messageId, out var stored);
            var refusal = refuse(stored?.Message);
            if (refusal is not null || stored is null)
            {
                return (refusal, stored);
            }

            var changed = new StoredMessage(apply(stored.Message, now), now);
            byId[messageId] = changed;
            return (null, changed);
        }
    }

    /// <summary>Moves a message's send time back by <paramref name="age"/> (the control API's way to reach Lark's windows).</summary>
    public DeliveredMessage? Age(string messageId, TimeSpan age)
    {
        lock (gate)
        {
            if (!byId.TryGetValue(messageId, out var stored))
            {
                return null;
            }

            var older = stored.Message with { Time = stored.Message.Time - age };
            history.Move(stored.Message, older);
            byId[messageId] = new StoredMessage(older, stored.UpdateTime - age < older.Time ? older.Time : stored.UpdateTime - age);
            return older;
        }
    }

    public IReadOnlyList<DeliveredMessage> Snapshot()
    {
        lock (gate)
        {
            return order.Select(id => byId[id].Message).ToArray();
        }
    }

    /// <summary>What the inbox page has not seen yet: see <see cref="TrackedMessages.ChangedSince"/>.</summary>
    public InboxChanges ChangedSince(string? cursor, int limit)
    {
        lock (gate)
        {
            return byId.ChangedSince(cursor, limit);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            order.Clear();
            byId.Clear();
            uuids.Clear();
            history.Clear();
        }
    }

    /// <summary>One page of a chat's or thread's history (issue 25): see <see cref="HistoryIndex.Page"/>.</summary>
    public HistorySlice HistoryPage(string containerKey, long startMs, long endMs, bool descending, HistoryPosition? after, int size)
    {
        lock (gate)
        {
            return history.Page(containerKey, startMs, endMs, descending, after, size, id => byId[id]);
        }
    }

    /// <summary>The thread (omt_…) <paramref name="messageId"/> is the root of, if any.</summary>
    public string? ThreadRootedAt(string messageId)
    {
        lock (gate)
        {
            return history.ThreadOf(messageId);
        }
    }
}
