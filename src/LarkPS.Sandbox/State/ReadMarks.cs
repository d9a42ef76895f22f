namespace LarkPS.Sandbox.State;

/// <summary>One user's read of one message: who (open_id) and when.</summary>
internal sealed record ReadMark(string OpenId, DateTimeOffset Time);

/// <summary>
/// Issue 25: who has read which of the bot's messages, as the inbox page marks them (POST
/// /_sandbox/messages/{id}/read), for GET im/v1/messages/{id}/read_users. A user reads a message once: a second mark
/// keeps the first time. Readers come back in the order they read.
/// </summary>
internal sealed class ReadMarks
{
    private readonly object gate = new();
    private readonly Dictionary<string, List<ReadMark>> marks = new(StringComparer.Ordinal);

    /// <summary>Marks the message read by <paramref name="openId"/>; returns the mark that stands (the first).</summary>
    public ReadMark Mark(string messageId, string openId, DateTimeOffset now)
    {
        lock (gate)
        {
            if (!marks.TryGetValue(messageId, out var list))
            {
                list = [];
                marks[messageId] = list;
            }

            var existing = list.Find(m => m.OpenId == openId);
            if (existing is not null)
            {
                return existing;
            }

            var mark = new ReadMark(openId, now);
            list.Add(mark);
            return mark;
        }
    }

    public IReadOnlyList<ReadMark> Of(string messageId)
    {
        lock (gate)
        {
            return marks.TryGetValue(messageId, out var list) ? list.ToArray() : [];
        }
    }

    /// <summary>Every message's readers, for the inbox page.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ReadMark>> All()
    {
        lock (gate)
        {
            return marks.ToDictionary(p => p.Key, p => (IReadOnlyList<ReadMark>)p.Value.ToArray(), StringComparer.Ordinal);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            marks.Clear();
        }
    }
}

/// <summary>
/// Issue 25: scopes a test took away from the app (POST /_sandbox/scopes), so the reading endpoints answer as Lark
/// answers an app without them. Everything is granted until revoked; a reset grants everything again.
/// </summary>
internal sealed class SandboxScopes
{
    /// <summary>Reading messages (history, one message, read receipts): without it, 230027.</summary>
    public const string Message = "im:message";

    /// <summary>Group messages in history: without it only p2p messages come back (LARK-API.md, Reading back).</summary>
    public const string GroupMessages = "im:message.group_msg";

    /// <summary>Resources of messages: without it, 99991672.</summary>
    public const string Resource = "im:resource";

    /// <summary>Issue 23: a department's users (find_by_department): without it, 99991672.</summary>
    public const string ContactUsers = "contact:user.base:readonly";

    /// <summary>Issue 23: the department tree (departments/{id}/children): without it, 99991672.</summary>
    public const string ContactDepartments = "contact:department.base:readonly";

    private readonly object gate = new();
    private readonly HashSet<string> revoked = new(StringComparer.Ordinal);

    public bool Has(string scope)
    {
        lock (gate)
        {
            return !revoked.Contains(scope);
        }
    }

    public void Set(IEnumerable<string> revoke, IEnumerable<string> grant)
    {
        lock (gate)
        {
            foreach (var scope in grant)
            {
                revoked.Remove(scope);
            }

            foreach (var scope in revoke)
            {
                revoked.Add(scope);
            }
        }
    }

    public IReadOnlyList<string> Revoked()
    {
        lock (gate)
        {
            return revoked.OrderBy(s => s, StringComparer.Ordinal).ToArray();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            revoked.Clear();
        }
    }
}
