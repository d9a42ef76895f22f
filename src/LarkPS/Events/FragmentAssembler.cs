using System;
using System.Collections.Generic;
using System.IO;
using LarkPS.Session;
using LarkPS.Threading;

namespace LarkPS.Events;

/// <summary>
/// Joins an event Lark sent in several data frames (<c>sum</c> &gt; 1, sharing <c>message_id</c>, <c>seq</c> 0-based) in
/// seq order. A seq outside 0..sum-1 or a sum that changes is refused (as node's SDK does since 1.6x); unfinished
/// events are dropped after <see cref="EventOptions.FragmentLifetime"/>. Used by one reader thread only.
/// </summary>
internal sealed class FragmentAssembler
{
    private readonly IClock _clock;
    private readonly EventOptions _options;
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    public FragmentAssembler(IClock clock, EventOptions options)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Events begun and not finished.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// Adds one data frame's payload. Returns the whole payload when this frame completes its event (at once for
    /// sum ≤ 1), else null. Throws <see cref="InvalidDataException"/> for fragment metadata that cannot be placed.
    /// </summary>
    public byte[]? Add(string? messageId, int? sum, int? seq, byte[] payload)
    {
        DropExpired();
        var total = sum ?? 1;
        var index = seq ?? 0;
        if (total <= 1 && index == 0)
        {
            return payload;
        }

        if (total <= 0 || index < 0 || index >= total)
        {
            throw new InvalidDataException($"invalid event fragment (sum {total}, seq {index})");
        }

        if (string.IsNullOrEmpty(messageId))
        {
            throw new InvalidDataException($"an event fragment (sum {total}, seq {index}) has no message_id to join it by");
        }

        if (!_pending.TryGetValue(messageId!, out var pending))
        {
            pending = new Pending(total, _clock.UtcNow);
            _pending.Add(messageId!, pending);
        }
        else if (pending.Parts.Length != total)
        {
            throw new InvalidDataException($"event fragment {messageId}: sum {total} differs from the first fragment's {pending.Parts.Length}");
        }

        if (pending.Parts[index] is null)
        {
            pending.Bytes += payload.Length;
        }

        pending.Parts[index] = payload;
        if (pending.Bytes > _options.MaxEventBytes)
        {
            _pending.Remove(messageId!);
            throw new InvalidDataException($"event {messageId} is larger than {_options.MaxEventBytes} bytes");
        }

        foreach (var part in pending.Parts)
        {
            if (part is null)
            {
                return null;
            }
        }

        _pending.Remove(messageId!);
        var whole = new byte[pending.Bytes];
        var offset = 0;
        foreach (var part in pending.Parts)
        {
            Buffer.BlockCopy(part!, 0, whole, offset, part!.Length);
            offset += part.Length;
        }

        return whole;
    }

    /// <summary>Forgets every unfinished event (a new connection: Lark resends whole events, never the rest of one).</summary>
    public void Clear() => _pending.Clear();

    private void DropExpired()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var cutoff = _clock.UtcNow - _options.FragmentLifetime;
        List<string>? expired = null;
        foreach (var entry in _pending)
        {
            if (entry.Value.Started < cutoff)
            {
                (expired ??= new List<string>()).Add(entry.Key);
            }
        }

        foreach (var key in expired ?? new List<string>())
        {
            _pending.Remove(key);
        }
    }

    private sealed class Pending
    {
        public Pending(int sum, DateTimeOffset started)
        {
            Parts = new byte[sum][];
            Started = started;
        }

        public byte[]?[] Parts { get; }

        public DateTimeOffset Started { get; }

        public int Bytes { get; set; }
    }
}
