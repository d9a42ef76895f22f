using System.Collections.Concurrent;

namespace LarkPS.Sandbox.State;

/// <summary>
/// One accepted batch_send request (issue 23): what it asked, whom it reaches, and when Lark's fan-out reaches them.
/// Progress is computed from the clock: the batch starts when scheduled and after the app's earlier batches, and
/// pushes <see cref="SandboxBatchOptions.FanOutPerSecond"/> receivers a second.
/// </summary>
public sealed class BatchMessage
{
    private readonly object gate = new();
    private readonly HashSet<string> reads = new(StringComparer.Ordinal);

    internal BatchMessage(
        string messageId, string msgType, string content, DateTimeOffset acceptedAt,
        IReadOnlyList<string> askedDepartments, IReadOnlyList<string> askedOpenIds, IReadOnlyList<string> askedUserIds, IReadOnlyList<string> askedUnionIds,
        IReadOnlyList<string> valid, IReadOnlyList<string> deliverable, IReadOnlyDictionary<string, IReadOnlyList<string>> invalid)
    {
        MessageId = messageId;
        MsgType = msgType;
        Content = content;
        AcceptedAt = acceptedAt;
        AskedDepartmentIds = askedDepartments;
        AskedOpenIds = askedOpenIds;
        AskedUserIds = askedUserIds;
        AskedUnionIds = askedUnionIds;
        ValidOpenIds = valid;
        Deliverable = deliverable;
        Invalid = invalid;
    }

    public string MessageId { get; }

    public string MsgType { get; }

    /// <summary>The content (or card) object as sent, serialized.</summary>
    public string Content { get; }

    public DateTimeOffset AcceptedAt { get; }

    public IReadOnlyList<string> AskedDepartmentIds { get; }

    public IReadOnlyList<string> AskedOpenIds { get; }

    public IReadOnlyList<string> AskedUserIds { get; }

    public IReadOnlyList<string> AskedUnionIds { get; }

    /// <summary>Every user the request reached (ids and department subtrees), each once, as open_ids.</summary>
    public IReadOnlyList<string> ValidOpenIds { get; }

    /// <summary>Those the fan-out can push to: visible and not resigned (the rest stay counted as valid, never successful).</summary>
    public IReadOnlyList<string> Deliverable { get; }

    /// <summary>invalid_department_ids, invalid_open_ids, invalid_user_ids, invalid_union_ids.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Invalid { get; }

    /// <summary>When the fan-out starts and ends (set once, on acceptance).</summary>
    public DateTimeOffset StartsAt { get; internal set; }

    public DateTimeOffset EndsAt { get; internal set; }

    public DateTimeOffset? RecalledAt { get; private set; }

    internal TimeSpan PerReceiver { get; set; }

    /// <summary>How many of <see cref="Deliverable"/> have been pushed to by <paramref name="now"/> (before any recall).</summary>
    public int Pushed(DateTimeOffset now)
    {
        if (now < StartsAt)
        {
            return 0;
        }

        var until = RecalledAt is { } recalled && recalled < now ? recalled : now;
        if (until < StartsAt)
        {
            return 0;
        }

        if (PerReceiver <= TimeSpan.Zero || until >= EndsAt)
        {
            return Deliverable.Count;
        }

        return (int)Math.Min(Deliverable.Count, (until - StartsAt).Ticks / PerReceiver.Ticks);
    }

    public bool Scheduled(DateTimeOffset now) => now >= StartsAt;

    /// <summary>Recalled copies so far: the recall takes back what was pushed, at the fan-out's rate.</summary>
    public int RecallCount(DateTimeOffset now)
    {
        if (RecalledAt is not { } recalled || now < recalled)
        {
            return 0;
        }

        var pushed = Pushed(now);
        return PerReceiver <= TimeSpan.Zero ? pushed : (int)Math.Min(pushed, (now - recalled).Ticks / PerReceiver.Ticks);
    }

    /// <summary>Marks a pushed receiver's copy read (the inbox page's button); false when it was not pushed to them (or recalled).</summary>
    public bool MarkRead(string openId, DateTimeOffset now)
    {
        lock (gate)
        {
            if (RecalledAt is not null)
            {
                return false;
            }

            var pushed = Pushed(now);
            var index = -1;
            for (var i = 0; i < pushed; i++)
            {
                if (string.Equals(Deliverable[i], openId, StringComparison.Ordinal))
                {
                    index = i;
                    break;
                }
            }

            return index >= 0 && reads.Add(openId);
        }
    }

    public int ReadCount
    {
        get
        {
            lock (gate)
            {
                return reads.Count;
            }
        }
    }

    public IReadOnlyList<string> Readers
    {
        get
        {
            lock (gate)
            {
                return reads.ToList();
            }
        }
    }

    /// <summary>True the first time; a second recall finds it recalled already.</summary>
    internal bool Recall(DateTimeOffset now)
    {
        lock (gate)
        {
            if (RecalledAt is not null)
            {
                return false;
            }

            RecalledAt = now;
            return true;
        }
    }
}

/// <summary>The app's batch messages, in the order accepted, and the day's message count for Lark's daily cap.</summary>
internal sealed class BatchMessageStore(SandboxBatchOptions options)
{
    private readonly object gate = new();
    private readonly List<BatchMessage> order = [];
    private readonly ConcurrentDictionary<string, BatchMessage> byId = new(StringComparer.Ordinal);
    private DateTimeOffset queueEnd = DateTimeOffset.MinValue;
    private DateOnly day;
    private long today;

    /// <summary>Counts <paramref name="messages"/> against the day's cap; false (nothing counted) when over it.</summary>
    public bool TryCount(int messages, DateTimeOffset now)
    {
        lock (gate)
        {
            var current = DateOnly.FromDateTime(now.UtcDateTime);
            if (current != day)
            {
                day = current;
                today = 0;
            }

            if (today + messages > options.DailyMessageCap)
            {
                return false;
            }

            today += messages;
            return true;
        }
    }

    /// <summary>Accepts a batch: it is fanned out after the app's earlier ones, at the configured rate.</summary>
    public void Add(BatchMessage batch)
    {
        lock (gate)
        {
            var perReceiver = options.FanOutPerSecond > 0 ? TimeSpan.FromTicks(TimeSpan.TicksPerSecond / options.FanOutPerSecond) : TimeSpan.Zero;
            var scheduled = batch.AcceptedAt + options.ScheduleDelay;
            batch.StartsAt = scheduled > queueEnd ? scheduled : queueEnd;
            batch.PerReceiver = perReceiver;
            batch.EndsAt = batch.StartsAt + TimeSpan.FromTicks(perReceiver.Ticks * batch.Deliverable.Count);
            queueEnd = batch.EndsAt;
            order.Add(batch);
            byId[batch.MessageId] = batch;
        }
    }

    public BatchMessage? Find(string id) => byId.TryGetValue(id, out var batch) ? batch : null;

    public IReadOnlyList<BatchMessage> Snapshot()
    {
        lock (gate)
        {
            return order.ToList();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            order.Clear();
            byId.Clear();
            queueEnd = DateTimeOffset.MinValue;
            today = 0;
        }
    }
}
