namespace LarkPS.Sandbox.State;

/// <summary>A delivered message plus the bookkeeping Lark reports but the public record leaves out.</summary>
internal sealed record StoredMessage(DeliveredMessage Message, string? RootId, string? ThreadId, DateTimeOffset UpdateTime);

/// <summary>What happened to an edit or a recall.</summary>
internal enum ChangeOutcome
{
    Done,
    NotFound,
    Recalled,
    TooManyEdits,
    WrongType,
}

/// <summary>
/// The inbox and the uuid memory, behind one lock so "is this uuid known? then store" is atomic
/// even when a benchmark fires 50 sends a second with retries racing their originals.
/// </summary>
internal sealed class MessageStore(SandboxOptions options)
{
    /// <summary>Lark: requests sharing a uuid send at most one message within 1 hour.</summary>
    public static readonly TimeSpan UuidMemory = TimeSpan.FromHours(1);

    /// <summary>Lark: a message can be edited at most 20 times.</summary>
    public const int MaxEdits = 20;

    private readonly object gate = new();
    private readonly List<string> order = [];
    private readonly TrackedMessages byId = new();
    private readonly Dictionary<string, (string MessageId, DateTimeOffset Until)> uuids = new(StringComparer.Ordinal);

    /// <summary>
    /// Stores the message built by <paramref name="create"/>, unless <paramref name="uuid"/> was used
    /// within the hour: then answers the first message and stores nothing.
    /// </summary>
    public (StoredMessage Stored, bool Duplicate) StoreOnce(string? uuid, Func<StoredMessage> create)
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

            var stored = create();
            order.Add(stored.Message.MessageId);
            byId[stored.Message.MessageId] = stored;
            if (!string.IsNullOrEmpty(uuid))
            {
                uuids[uuid] = (stored.Message.MessageId, now + UuidMemory);
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

    public (ChangeOutcome Outcome, StoredMessage? Stored) Edit(string messageId, string msgType, string content)
    {
        lock (gate)
        {
            if (!byId.TryGetValue(messageId, out var stored))
            {
                return (ChangeOutcome.NotFound, null);
            }

            var message = stored.Message;
            if (message.Deleted)
            {
                return (ChangeOutcome.Recalled, stored);
            }

            if (!string.Equals(message.MsgType, msgType, StringComparison.Ordinal))
            {
                return (ChangeOutcome.WrongType, stored);
            }

            if (message.Edits >= MaxEdits)
            {
                return (ChangeOutcome.TooManyEdits, stored);
            }

            var edited = stored with
            {
                Message = message with { Content = content, Edits = message.Edits + 1 },
                UpdateTime = options.TimeProvider.GetUtcNow(),
            };
            byId[messageId] = edited;
            return (ChangeOutcome.Done, edited);
        }
    }

    public ChangeOutcome Recall(string messageId)
    {
        lock (gate)
        {
            if (!byId.TryGetValue(messageId, out var stored))
            {
                return ChangeOutcome.NotFound;
            }

            if (stored.Message.Deleted)
            {
                return ChangeOutcome.Recalled;
            }

            byId[messageId] = stored with
            {
                Message = stored.Message with { Deleted = true },
                UpdateTime = options.TimeProvider.GetUtcNow(),
            };
            return ChangeOutcome.Done;
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
        }
    }
}
