using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace LarkPS.Sandbox.State;

/// <summary>What changed in the inbox after a cursor, and the cursor to ask with next time.</summary>
internal sealed record InboxChanges(IReadOnlyList<DeliveredMessage> Items, string Cursor, bool Reset, bool HasMore);

/// <summary>
/// The inbox's messages by id, with a change number on every write (a new message, an edit, a recall, anything that
/// sets an entry), so the inbox page can ask for what is new instead of the whole inbox every second. Writes go
/// through the indexer, so a new kind of change is tracked without anyone remembering to. Not thread-safe:
/// <see cref="MessageStore"/> holds its lock around every call.
/// </summary>
internal sealed class TrackedMessages
{
    private readonly Dictionary<string, (StoredMessage Stored, long Position)> items = new(StringComparer.Ordinal);

    // Change numbers ascend; compacted to the latest change per message when edits pile up.
    private readonly List<(long Version, string Id)> changes = [];
    private long version;
    private long positions;
    private string epoch = NewEpoch();

    public int Count => items.Count;

    public StoredMessage this[string id]
    {
        get => items[id].Stored;
        set
        {
            var position = items.TryGetValue(id, out var old) ? old.Position : positions++;
            items[id] = (value, position);
            changes.Add((++version, id));
            if (changes.Count > (2 * items.Count) + 1024)
            {
                Compact();
            }
        }
    }

    public bool TryGetValue(string id, [MaybeNullWhen(false)] out StoredMessage stored)
    {
        if (items.TryGetValue(id, out var entry))
        {
            stored = entry.Stored;
            return true;
        }

        stored = null;
        return false;
    }

    public bool ContainsKey(string id) => items.ContainsKey(id);

    /// <summary>Empties the inbox and starts a new epoch: cursors from before answer with Reset.</summary>
    public void Clear()
    {
        items.Clear();
        changes.Clear();
        version = 0;
        positions = 0;
        epoch = NewEpoch();
    }

    /// <summary>
    /// Messages written after <paramref name="cursor"/> (all of them for an empty or foreign cursor), in inbox order,
    /// at most <paramref name="limit"/>; HasMore says to ask again at once with the returned cursor.
    /// </summary>
    public InboxChanges ChangedSince(string? cursor, int limit)
    {
        var since = 0L;
        var reset = false;
        if (!string.IsNullOrEmpty(cursor))
        {
            var dot = cursor.LastIndexOf('.');
            if (dot > 0
                && string.Equals(cursor[..dot], epoch, StringComparison.Ordinal)
                && long.TryParse(cursor[(dot + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                && parsed <= version)
            {
                since = parsed;
            }
            else
            {
                reset = true;
            }
        }

        var start = FirstAfter(since);
        var picked = new HashSet<string>(StringComparer.Ordinal);
        var reached = version;
        var hasMore = false;
        for (var i = start; i < changes.Count; i++)
        {
            if (picked.Count == limit && !picked.Contains(changes[i].Id))
            {
                reached = changes[i - 1].Version;
                hasMore = true;
                break;
            }

            picked.Add(changes[i].Id);
        }

        var list = picked
            .Select(id => items[id])
            .OrderBy(e => e.Position)
            .Select(e => e.Stored.Message)
            .ToArray();
        return new InboxChanges(list, epoch + "." + reached.ToString(System.Globalization.CultureInfo.InvariantCulture), reset, hasMore);
    }

    private int FirstAfter(long since)
    {
        int low = 0, high = changes.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (changes[mid].Version <= since)
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

    private void Compact()
    {
        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (v, id) in changes)
        {
            latest[id] = v;
        }

        changes.RemoveAll(c => latest[c.Id] != c.Version);
    }

    private static string NewEpoch() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
