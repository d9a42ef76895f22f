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
    public static readonly TimeSpan CacheLifetime = CachedList<LarkChat>.Lifetime;

    /// <summary>How long Tab waits for the list before it offers what it has.</summary>
    public static readonly TimeSpan CompletionWait = CachedList<LarkChat>.CompletionWait;

    public const int PageSize = 100;

    // A runaway page_token loop (a server that always says has_more) must end: 1000 pages is 100,000 chats.
    private const int MaxPages = 1000;

    private readonly LarkApiClient _client;
    private readonly RetryingCaller _caller;
    private readonly CachedList<LarkChat> _chats;
    private int _pagesRead;

    public ChatDirectory(LarkApiClient client, RetryingCaller caller, IClock clock)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _caller = caller ?? throw new ArgumentNullException(nameof(caller));
        _chats = new CachedList<LarkChat>(ReadAllAsync, clock ?? throw new ArgumentNullException(nameof(clock)));
    }

    /// <summary>Why page reads were retried, for the cmdlet to write as verbose lines.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> RetryReasons => _caller.RetryReasons;

    /// <summary>Pages read from Lark on this connection.</summary>
    public int PagesRead => Volatile.Read(ref _pagesRead);

    /// <summary>The bot's chats: from the cache while it is fresh (unless <paramref name="force"/>), else read again.</summary>
    public Task<IReadOnlyList<LarkChat>> GetAsync(bool force, CancellationToken cancellationToken) => _chats.GetAsync(force, cancellationToken);

    /// <summary>The chats for tab completion (<see cref="CachedList{T}.ForCompletion"/>): never throws, never hammers Lark.</summary>
    public IReadOnlyList<LarkChat>? ForCompletion(TimeSpan wait) => _chats.ForCompletion(wait);

    public void Dispose() => _chats.Dispose();

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

        return (matches, NearNames.Find(chats, c => c.Name, name));
    }

    /// <summary>"'Ops alerts' (oc_…), 'Ops' (oc_…)": how errors list chats.</summary>
    public static string List(IEnumerable<LarkChat> chats) => string.Join(", ", chats.Select(c => "'" + c.Name + "' (" + c.ChatId + ")"));
}
