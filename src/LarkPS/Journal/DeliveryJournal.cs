using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace LarkPS.Journal;

/// <summary>Where an item stood when the journal last heard of it.</summary>
internal enum JournalState
{
    /// <summary>Handed to Lark (or about to be) and not yet confirmed: it may have arrived.</summary>
    Submitted,

    /// <summary>Lark confirmed it, with a message id.</summary>
    Sent,

    /// <summary>Lark refused it (or its phone number did not resolve): it did not arrive.</summary>
    Refused,

    /// <summary>The run ended (a stop, timeouts, server errors) without Lark's answer: it may have arrived.</summary>
    Unconfirmed,
}

/// <summary>What the journal knows of one item.</summary>
internal sealed class JournalEntry
{
    public JournalEntry(string key, long position, string uuid, DateTimeOffset windowStart)
    {
        Key = key;
        Position = position;
        Uuid = uuid;
        WindowStart = windowStart;
    }

    public string Key { get; }

    public long Position { get; set; }

    public string Uuid { get; set; }

    /// <summary>When this uuid was first handed to Lark: Lark de-duplicates it for an hour from then.</summary>
    public DateTimeOffset WindowStart { get; set; }

    public JournalState State { get; set; } = JournalState.Submitted;

    public string? MessageId { get; set; }

    public DateTimeOffset? CreateTime { get; set; }
}

/// <summary>
/// Send-LarkMessage -Journal: one JSON line per event, appended and flushed as it happens, so a run killed at any
/// point can be run again without doubling or losing a message. A line holds an item's key (its position and a
/// salted SHA-256 of receiver and content: never the content, never a secret), its uuid, and its state.
/// </summary>
internal sealed class DeliveryJournal : IDisposable
{
    /// <summary>
    /// Lark de-duplicates a uuid for one hour. An unconfirmed item is resent with its uuid only within this time of
    /// its first send, leaving five minutes for clock differences and the time the resend itself takes.
    /// </summary>
    public static readonly TimeSpan ResendWindow = TimeSpan.FromMinutes(55);

    private const string Format = "LarkPS delivery journal";
    private const int Version = 1;

    private readonly JournalFile _file;
    private readonly Dictionary<string, JournalEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);

    private DeliveryJournal(JournalFile file) => _file = file;

    /// <summary>The items the journal knows.</summary>
    public int Count => _entries.Count;

    /// <summary>Reads the journal at <paramref name="path"/>, or starts an empty one (the file is created on the first write).</summary>
    /// <exception cref="InvalidDataException">The file exists and is not a LarkPS journal.</exception>
    public static DeliveryJournal Open(string path)
    {
        var journal = new DeliveryJournal(JournalFile.Open(path, Format, Version, out var lines));
        foreach (var line in lines)
        {
            journal.Replay(line);
        }

        return journal;
    }

    /// <summary>
    /// The key of the next item with this receiver and content: the salted hash, and how many items of this run had
    /// the same hash before it (so three identical "ping" messages are three items, matched in order on a rerun).
    /// </summary>
    public string NextKey(string receiveType, string receiveId, string msgType, byte[] contentUtf8)
    {
        var hash = _file.SaltedHash(Encoding.UTF8.GetBytes(receiveType + "\n" + receiveId + "\n" + msgType + "\n"), contentUtf8);

        _occurrences.TryGetValue(hash, out var seen);
        _occurrences[hash] = seen + 1;
        return hash + "#" + (seen + 1).ToString(CultureInfo.InvariantCulture);
    }

    public JournalEntry? Find(string key) => _entries.TryGetValue(key, out var entry) ? entry : null;

    /// <summary>Records, before the request goes out, that this item is handed to Lark with this uuid.</summary>
    /// <param name="newWindow">True when Lark will treat the uuid as new (a first send, or a resend past the window).</param>
    public void Submitted(string key, long position, string uuid, DateTimeOffset at, bool newWindow)
    {
        Append(w =>
        {
            w.WriteString("event", "submitted");
            w.WriteString("key", key);
            w.WriteNumber("position", position);
            w.WriteString("uuid", uuid);
            w.WriteString("at", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteBoolean("new_window", newWindow);
        });
        Apply(key, position, uuid, at, newWindow, JournalState.Submitted, null, null);
    }

    /// <summary>Records how the item ended.</summary>
    public void Outcome(string key, string uuid, JournalState state, string? messageId = null, DateTimeOffset? createTime = null)
    {
        Append(w =>
        {
            w.WriteString("event", state switch
            {
                JournalState.Sent => "sent",
                JournalState.Refused => "refused",
                _ => "unconfirmed",
            });
            w.WriteString("key", key);
            w.WriteString("uuid", uuid);
            if (messageId is not null)
            {
                w.WriteString("message_id", messageId);
            }

            if (createTime is { } created)
            {
                w.WriteString("create_time", created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            }
        });
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.State = state;
            entry.MessageId = messageId ?? entry.MessageId;
            entry.CreateTime = createTime ?? entry.CreateTime;
        }
    }

    public void Dispose() => _file.Dispose();

    private void Append(Action<Utf8JsonWriter> fields) => _file.Append(fields);

    // A line that does not parse, or not as a journal line, is the unfinished last line of a killed run: what it would
    // have said is unknown, and the item's earlier "submitted" line already makes it a resend with the same uuid. Its
    // shape is checked field by field, so nothing null or of the wrong kind reaches the entries.
    private void Replay(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryText(root, "key", required: true, out var key)
                || !TryText(root, "uuid", required: true, out var uuid)
                || !TryText(root, "event", required: true, out var kind))
            {
                return;
            }

            switch (kind)
            {
                case "submitted":
                    if (TryTime(root, "at", required: true, out var at)
                        && root.TryGetProperty("position", out var position) && position.ValueKind == JsonValueKind.Number && position.TryGetInt64(out var place)
                        && root.TryGetProperty("new_window", out var newWindow) && newWindow.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        Apply(key!, place, uuid!, at!.Value, newWindow.GetBoolean(), JournalState.Submitted, null, null);
                    }

                    break;
                case "sent":
                    if (TryTime(root, "create_time", required: false, out var created) && TryText(root, "message_id", required: false, out var messageId))
                    {
                        SetState(key!, JournalState.Sent, messageId, created);
                    }

                    break;
                case "refused":
                    SetState(key!, JournalState.Refused, null, null);
                    break;
                case "unconfirmed":
                    SetState(key!, JournalState.Unconfirmed, null, null);
                    break;
            }
        }
    }

    // A string field: false where it is of another kind, or missing or null though required; an optional one may be either.
    private static bool TryText(JsonElement root, string name, bool required, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }

    // A time written as round-trip text ("O"): false where it is not one, or missing though required.
    private static bool TryTime(JsonElement root, string name, bool required, out DateTimeOffset? value)
    {
        value = null;
        if (!TryText(root, name, required, out var text))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    private void Apply(string key, long position, string uuid, DateTimeOffset at, bool newWindow, JournalState state, string? messageId, DateTimeOffset? createTime)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            _entries[key] = new JournalEntry(key, position, uuid, at) { State = state, MessageId = messageId, CreateTime = createTime };
            return;
        }

        entry.Position = position;
        if (newWindow || !string.Equals(entry.Uuid, uuid, StringComparison.Ordinal))
        {
            entry.WindowStart = at;
        }

        entry.Uuid = uuid;
        entry.State = state;
    }

    private void SetState(string key, JournalState state, string? messageId, DateTimeOffset? createTime)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.State = state;
            entry.MessageId = messageId ?? entry.MessageId;
            entry.CreateTime = createTime ?? entry.CreateTime;
        }
    }
}
