using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace LarkPS.Journal;

/// <summary>Where a broadcast receiver stood when the journal last heard of its request.</summary>
internal enum BroadcastState
{
    /// <summary>Its request was handed to Lark and no answer came back (yet): it may have been sent.</summary>
    Submitted,

    /// <summary>Lark accepted its request (a bm- id).</summary>
    Accepted,

    /// <summary>Lark refused its request: it was not sent.</summary>
    Refused,
}

/// <summary>
/// Send-LarkBroadcast -Journal: one JSON line per event, appended and flushed as it happens (as the delivery journal
/// does), so a run killed at any point leaves a record of which receivers' requests Lark accepted. A receiver is a
/// salted SHA-256 of the content's fingerprint and its id (never the content, never the id in clear). A rerun sends
/// only to receivers whose request was never accepted and never left without an answer (-Force: those too).
/// </summary>
internal sealed class BroadcastJournal : IDisposable
{
    private const string Format = "LarkPS broadcast journal";
    private const int Version = 1;

    private readonly JournalFile _file;
    private readonly Dictionary<string, BroadcastState> _receivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _requests = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    private BroadcastJournal(JournalFile file) => _file = file;

    public string Path => _file.Path;

    /// <summary>Receivers the journal knows.</summary>
    public int Count => _receivers.Count;

    /// <summary>Reads the journal at <paramref name="path"/>, or starts an empty one (created on the first write).</summary>
    /// <exception cref="InvalidDataException">The file exists and is not a LarkPS broadcast journal.</exception>
    public static BroadcastJournal Open(string path)
    {
        var journal = new BroadcastJournal(JournalFile.Open(path, Format, Version, out var lines));
        foreach (var line in lines)
        {
            journal.Replay(line);
        }

        return journal;
    }

    /// <summary>The key of one receiver of one content.</summary>
    public string KeyOf(string fingerprint, string kind, string id) => _file.SaltedHash(Encoding.UTF8.GetBytes(fingerprint + "\n" + kind + "\n" + id));

    /// <summary>What an earlier run recorded of this receiver; null for never submitted.</summary>
    public BroadcastState? Find(string key)
    {
        lock (_gate)
        {
            return _receivers.TryGetValue(key, out var state) ? state : null;
        }
    }

    /// <summary>Records, before the request goes out, that these receivers are handed to Lark in request <paramref name="request"/>.</summary>
    public void Submitted(string request, IReadOnlyList<string> keys)
    {
        lock (_gate)
        {
            Append(w =>
            {
                w.WriteString("event", "submitted");
                w.WriteString("request", request);
                w.WriteString("at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteStartArray("keys");
                foreach (var key in keys)
                {
                    w.WriteStringValue(key);
                }

                w.WriteEndArray();
            });
            Apply(request, new List<string>(keys));
        }
    }

    /// <summary>Records Lark's answer to a request (accepted with its bm- id, or refused). A request without an answer keeps "submitted".</summary>
    public void Outcome(string request, BroadcastState state, string? messageId)
    {
        lock (_gate)
        {
            Append(w =>
            {
                w.WriteString("event", state == BroadcastState.Accepted ? "accepted" : "refused");
                w.WriteString("request", request);
                if (messageId is not null)
                {
                    w.WriteString("message_id", messageId);
                }
            });
            SetState(request, state);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    private void Apply(string request, List<string> keys)
    {
        _requests[request] = keys;
        foreach (var key in keys)
        {
            _receivers[key] = BroadcastState.Submitted;
        }
    }

    private void SetState(string request, BroadcastState state)
    {
        if (_requests.TryGetValue(request, out var keys))
        {
            foreach (var key in keys)
            {
                _receivers[key] = state;
            }
        }
    }

    // Every line reaches the operating system before the request leaves: a killed run loses nothing it did.
    private void Append(Action<Utf8JsonWriter> fields) => _file.Append(fields);

    // An unfinished last line (a killed run) is skipped: its request's "submitted" line already counts it as may-have-been-sent.
    private void Replay(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.String)
            {
                return;
            }

            switch (kind.GetString())
            {
                case "submitted" when root.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array:
                    var list = new List<string>();
                    foreach (var key in keys.EnumerateArray())
                    {
                        if (key.ValueKind == JsonValueKind.String)
                        {
                            list.Add(key.GetString()!);
                        }
                    }

                    Apply(request.GetString()!, list);
                    break;
                case "accepted":
                    SetState(request.GetString()!, BroadcastState.Accepted);
                    break;
                case "refused":
                    SetState(request.GetString()!, BroadcastState.Refused);
                    break;
            }
        }
        catch (JsonException)
        {
            // The unfinished last line of a killed run.
        }
    }
}
