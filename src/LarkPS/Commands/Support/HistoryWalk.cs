using System;
using System.Collections.Generic;
using System.Text.Json;
using LarkPS.Api;
using LarkPS.Events;

namespace LarkPS.Commands.Support;

/// <summary>
/// One walk through a chat's or thread's pages (Get-LarkMessage, issue 25): what the next page's token is, which of a
/// page's messages go out (the time range to the millisecond, -Skip, -First, replies of one root), and when to stop.
/// Memory stays flat however long the walk: one page at a time, and a de-duplication window of the last pages' ids
/// only (Lark's docs leave open what a message arriving mid-walk does to later pages: a repeat is dropped).
/// </summary>
internal sealed class HistoryWalk
{
    // Two pages of ids: a repeat can only straddle a page boundary.
    private const int SeenWindow = 2 * HistoryQuery.MaxPageSize;

    private readonly DateTimeOffset? _after;
    private readonly DateTimeOffset? _before;
    private readonly ulong _skip;
    private readonly ulong _first;
    private readonly Func<LarkMessage, bool>? _keep;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private ulong _skipped;
    private bool _started;

    /// <param name="query">The query every page repeats.</param>
    /// <param name="after">Messages created at or after this instant only.</param>
    /// <param name="before">Messages created before this instant only.</param>
    /// <param name="skip">How many matching messages to leave out first.</param>
    /// <param name="first">How many to write at most (ulong.MaxValue: all): the walk asks for no page after that.</param>
    /// <param name="keep">A further filter (the replies of one root), or null.</param>
    public HistoryWalk(HistoryQuery query, DateTimeOffset? after, DateTimeOffset? before, ulong skip, ulong first, Func<LarkMessage, bool>? keep = null)
    {
        Query = query ?? throw new ArgumentNullException(nameof(query));
        _after = after;
        _before = before;
        _skip = skip;
        _first = first;
        _keep = keep;
    }

    public HistoryQuery Query { get; }

    /// <summary>The token for the next page (null for the first).</summary>
    public string? PageToken { get; private set; }

    /// <summary>Pages read so far.</summary>
    public int Pages { get; private set; }

    /// <summary>Messages handed out so far.</summary>
    public ulong Written { get; private set; }

    /// <summary>True while another page should be asked for.</summary>
    public bool WantsPage => !_started || (PageToken is not null && Written < _first);

    /// <summary>True when the walk ended because -First was reached (not because Lark had no more).</summary>
    public bool StoppedAtFirst => Written >= _first && _first != ulong.MaxValue;

    /// <summary>Reads one page: the messages to write, in Lark's order; sets the next token.</summary>
    public IEnumerable<LarkMessage> Take(LarkPage page)
    {
        if (page is null)
        {
            throw new ArgumentNullException(nameof(page));
        }

        _started = true;
        Pages++;
        PageToken = page.HasMore ? page.PageToken : null;
        var result = new List<LarkMessage>(page.Items.Count);
        foreach (JsonElement item in page.Items)
        {
            if (Written >= _first)
            {
                break;
            }

            var message = HistoryItemParser.Parse(item);
            if (message.MessageId is { } id && !Remember(id))
            {
                continue;
            }

            if (!InRange(message) || (_keep is not null && !_keep(message)))
            {
                continue;
            }

            if (_skipped < _skip)
            {
                _skipped++;
                continue;
            }

            Written++;
            result.Add(message);
        }

        return result;
    }

    /// <summary>start_time / end_time in seconds for <paramref name="after"/> / <paramref name="before"/>: wide enough, the exact cut is made on each message.</summary>
    public static (long? Start, long? End) Seconds(DateTimeOffset? after, DateTimeOffset? before) =>
        (after?.ToUnixTimeSeconds(), before?.ToUnixTimeSeconds());

    private bool InRange(LarkMessage message)
    {
        if (message.CreateTime is not { } created)
        {
            return _after is null && _before is null;
        }

        return (_after is not { } a || created >= a) && (_before is not { } b || created < b);
    }

    private bool Remember(string id)
    {
        if (!_seen.Add(id))
        {
            return false;
        }

        _seenOrder.Enqueue(id);
        if (_seenOrder.Count > SeenWindow)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }

        return true;
    }
}
