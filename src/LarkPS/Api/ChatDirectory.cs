using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Threading;

namespace LarkPS.Api;

/// <summary>
/// The chats the bot is in, read page by page (100 a page) from GET im/v1/chats and kept on the connection for
/// <see cref="CacheLifetime"/>: Get-LarkChat, chat names as receivers and -ReceiveId completion share one list.
/// </summary>
internal sealed class ChatDirectory : IDisposable
{
    /// <summary>How long a listed set of chats is used before it is read again (Get-LarkChat -Force reads at once).</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    public const int PageSize = 100;

    // A runaway page_token loop (a server that always says has_more) must end: 1000 pages is 100,000 chats.
    private const int MaxPages = 1000;

    private readonly LarkApiClient _client;
    private readonly RetryingCaller _caller;
    private readonly IClock _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _completionLock = new();
    private readonly CancellationTokenSource _closing = new();
    private IReadOnlyList<LarkChat>? _chats;
    private DateTimeOffset _readAt;
    private int _pagesRead;
    private Task<IReadOnlyList<LarkChat>>? _completionRead;
    private DateTimeOffset _completionReadStarted;

    public ChatDirectory(LarkApiClient client, RetryingCaller caller, IClock clock)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _caller = caller ?? throw new ArgumentNullException(nameof(caller));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>How long Tab waits for the list before it offers what it has (issue 26: completion must feel instant).</summary>
    public static readonly TimeSpan CompletionWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one read for completion may take in the background (it goes on after Tab stops waiting, so the next
    /// Tab has the list), and how long a read that failed is not tried again: Tab must not hammer Lark.
    /// </summary>
    public static readonly TimeSpan CompletionReadLimit = TimeSpan.FromSeconds(30);

    /// <summary>The list as last read, even when stale; null before the first read. Never makes a request.</summary>
    public IReadOnlyList<LarkChat>? LastRead => Volatile.Read(ref _chats);

    /// <summary>Why page reads were retried, for the cmdlet to write as verbose lines.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> RetryReasons => _caller.RetryReasons;

    /// <summary>Pages read from Lark on this connection.</summary>
    public int PagesRead => Volatile.Read(ref _pagesRead);

    /// <summary>The bot's chats: from the cache while it is fresh (unless <paramref name="force"/>), else read again.</summary>
    public async Task<IReadOnlyList<LarkChat>> GetAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!force && _chats is { } fresh && _clock.UtcNow - _readAt < CacheLifetime)
            {
                return fresh;
            }

            var chats = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
            _readAt = _clock.UtcNow;
            Volatile.Write(ref _chats, chats);
            return chats;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The chats for tab completion: the cache while fresh; else one read shared by every Tab press (started by the
    /// first, finishing in the background), waited for at most <paramref name="wait"/>. A read that failed is not
    /// repeated for <see cref="CompletionReadLimit"/>. Returns what is known (the last list, or null); never throws.
    /// </summary>
    public IReadOnlyList<LarkChat>? ForCompletion(TimeSpan wait)
    {
        if (_chats is { } fresh && _clock.UtcNow - _readAt < CacheLifetime)
        {
            return fresh;
        }

        Task<IReadOnlyList<LarkChat>> read;
        lock (_completionLock)
        {
            var current = _completionRead;
            var retry = current is null
                || (current.Status == TaskStatus.RanToCompletion && _clock.UtcNow - _readAt >= CacheLifetime)
                || (current.IsCompleted && current.Status != TaskStatus.RanToCompletion && _clock.UtcNow - _completionReadStarted >= CompletionReadLimit);
            if (retry && !_closing.IsCancellationRequested)
            {
                _completionReadStarted = _clock.UtcNow;
                current = StartCompletionRead();
                _completionRead = current;
            }

            if (current is null)
            {
                return LastRead;
            }

            read = current;
        }

        try
        {
            return read.Wait(wait) && read.Status == TaskStatus.RanToCompletion ? read.Result : LastRead;
        }
        catch (AggregateException)
        {
            // Listing failed (no im:chat:readonly scope, no network): completion offers what it has; the error is
            // Get-LarkChat's to show.
            return LastRead;
        }
    }

    public void Dispose()
    {
        // A completion read still running ends with the connection. _closing itself is left undisposed on purpose:
        // that read's linked token source may still be registered with it (it has no timer or handle to free).
        _closing.Cancel();
        _gate.Dispose();
    }

    private Task<IReadOnlyList<LarkChat>> StartCompletionRead()
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        limit.CancelAfter(CompletionReadLimit);
        var read = Task.Run(() => GetAsync(force: false, limit.Token));

        // Observed here, whatever happens: nobody may be waiting when it ends.
        _ = read.ContinueWith(
            t =>
            {
                _ = t.Exception;
                limit.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return read;
    }

    private async Task<IReadOnlyList<LarkChat>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var chats = new List<LarkChat>();
        string? pageToken = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var path = "open-apis/im/v1/chats?page_size=" + PageSize + (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken));
            var request = new LarkRequest(HttpMethod.Get, path, LarkOperation.ListChats, "list the bot's chats");
            var response = await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _pagesRead);
            var data = response.Data;
            if (data.ValueKind != JsonValueKind.Object)
            {
                break;
            }

            if (data.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                chats.AddRange(items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(Read).Where(c => c.ChatId.Length > 0));
            }

            var hasMore = data.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
            pageToken = hasMore ? StringOf(data, "page_token") : null;
            if (string.IsNullOrEmpty(pageToken))
            {
                break;
            }
        }

        return chats;
    }

    private static LarkChat Read(JsonElement item) => new(
        StringOf(item, "chat_id") ?? string.Empty,
        StringOf(item, "name") ?? string.Empty,
        StringOf(item, "description") ?? string.Empty,
        StringOf(item, "owner_id"),
        StringOf(item, "owner_id_type"),
        item.TryGetProperty("external", out var external) && external.ValueKind == JsonValueKind.True,
        StringOf(item, "chat_status") ?? string.Empty,
        StringOf(item, "tenant_key"));

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Finds a chat by its exact name among the bot's chats, with the near misses to offer when none or several match.</summary>
internal static class ChatNames
{
    public static (IReadOnlyList<LarkChat> Matches, IReadOnlyList<LarkChat> Candidates) Find(IReadOnlyList<LarkChat> chats, string name)
    {
        var matches = chats.Where(c => string.Equals(c.Name, name, StringComparison.Ordinal)).ToList();
        if (matches.Count > 0)
        {
            return (matches, matches);
        }

        var trimmed = name.Trim();
        var candidates = chats
            .Where(c => c.Name.IndexOf(trimmed, StringComparison.OrdinalIgnoreCase) >= 0 || trimmed.IndexOf(c.Name, StringComparison.OrdinalIgnoreCase) >= 0 && c.Name.Length > 0)
            .Take(10)
            .ToList();
        return (matches, candidates);
    }

    /// <summary>"'Ops alerts' (oc_…), 'Ops' (oc_…)": how errors list chats.</summary>
    public static string List(IEnumerable<LarkChat> chats) => string.Join(", ", chats.Select(c => "'" + c.Name + "' (" + c.ChatId + ")"));
}
