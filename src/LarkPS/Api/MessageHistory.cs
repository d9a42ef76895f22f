using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Api;

/// <summary>What one history walk asks Lark for: a chat or a thread, an optional time range in seconds, the order, the page size.</summary>
internal sealed class HistoryQuery
{
    /// <summary>Lark's largest page (LARK-API.md, History: page_size 1..50).</summary>
    public const int MaxPageSize = 50;

    public HistoryQuery(string containerType, string containerId, long? startSeconds, long? endSeconds, bool descending, int pageSize = MaxPageSize)
    {
        if (containerType is not ("chat" or "thread"))
        {
            throw new ArgumentOutOfRangeException(nameof(containerType), containerType, "chat or thread");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "1..50");
        }

        ContainerType = containerType;
        ContainerId = containerId ?? throw new ArgumentNullException(nameof(containerId));
        StartSeconds = startSeconds;
        EndSeconds = endSeconds;
        Descending = descending;
        PageSize = pageSize;
    }

    public string ContainerType { get; }

    public string ContainerId { get; }

    /// <summary>start_time; Lark takes no time range for a thread, so none is sent there.</summary>
    public long? StartSeconds { get; }

    public long? EndSeconds { get; }

    public bool Descending { get; }

    public int PageSize { get; }

    /// <summary>The query string, the same on every page of a walk (what the SDK's iterator sends), plus the page token.</summary>
    public string PathAndQuery(string? pageToken)
    {
        var query = new StringBuilder("open-apis/im/v1/messages?container_id_type=").Append(ContainerType)
            .Append("&container_id=").Append(Uri.EscapeDataString(ContainerId));
        if (ContainerType == "chat" && StartSeconds is { } start)
        {
            query.Append("&start_time=").Append(start.ToString(CultureInfo.InvariantCulture));
        }

        if (ContainerType == "chat" && EndSeconds is { } end)
        {
            query.Append("&end_time=").Append(end.ToString(CultureInfo.InvariantCulture));
        }

        query.Append("&sort_type=").Append(Descending ? "ByCreateTimeDesc" : "ByCreateTimeAsc")
            .Append("&page_size=").Append(PageSize.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Append("&page_token=").Append(Uri.EscapeDataString(pageToken));
        }

        return query.ToString();
    }
}

/// <summary>One page of items (messages or readers) as Lark answered it, and where the next one starts.</summary>
internal sealed class LarkPage
{
    public LarkPage(IReadOnlyList<JsonElement> items, bool hasMore, string? pageToken)
    {
        Items = items;
        HasMore = hasMore;
        PageToken = pageToken;
    }

    public IReadOnlyList<JsonElement> Items { get; }

    /// <summary>True while Lark says there is more and gave a token to ask with.</summary>
    public bool HasMore { get; }

    public string? PageToken { get; }
}

/// <summary>
/// Issue 25's Lark operations: history pages, one message, read-receipt pages and resource downloads, each one
/// request through the choke point (token, pacing by its quota class, error mapping) and retried as the code table
/// says by <see cref="RetryingCaller"/>. Answers come back as Lark's JSON items: the Events folder reads them into
/// the same message objects as events.
/// </summary>
internal sealed class MessageHistory
{
    /// <summary>The read-receipt page size the official CLI sends (the documented maximum).</summary>
    public const int ReadersPageSize = 100;

    private readonly LarkApiClient _client;
    private readonly RetryingCaller _caller;

    public MessageHistory(LarkApiClient client, RetryingCaller caller)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _caller = caller ?? throw new ArgumentNullException(nameof(caller));
    }

    /// <summary>Why calls were retried, for the cmdlet to write as verbose lines.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> RetryReasons => _caller.RetryReasons;

    public async Task<LarkPage> ListPageAsync(HistoryQuery query, string? pageToken, CancellationToken cancellationToken)
    {
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        var request = new LarkRequest(HttpMethod.Get, query.PathAndQuery(pageToken), LarkOperation.ListMessages,
            "list the messages of " + query.ContainerType + " " + query.ContainerId);
        var response = await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return ReadPage(response.Data);
    }

    /// <summary>The message (Lark answers a list: a merged forward adds its sub-messages).</summary>
    public async Task<IReadOnlyList<JsonElement>> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        var request = new LarkRequest(HttpMethod.Get, "open-apis/im/v1/messages/" + Uri.EscapeDataString(messageId ?? throw new ArgumentNullException(nameof(messageId))),
            LarkOperation.GetMessage, "get message " + messageId);
        var response = await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return ReadPage(response.Data).Items;
    }

    public async Task<LarkPage> ReadersPageAsync(string messageId, string userIdType, string? pageToken, CancellationToken cancellationToken)
    {
        var path = "open-apis/im/v1/messages/" + Uri.EscapeDataString(messageId ?? throw new ArgumentNullException(nameof(messageId)))
            + "/read_users?user_id_type=" + Uri.EscapeDataString(userIdType) + "&page_size=" + ReadersPageSize.ToString(CultureInfo.InvariantCulture)
            + (string.IsNullOrEmpty(pageToken) ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken));
        var request = new LarkRequest(HttpMethod.Get, path, LarkOperation.ReadUsers, "list who read message " + messageId);
        var response = await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return ReadPage(response.Data);
    }

    /// <summary>Streams the resource into <paramref name="sink"/> (again from the start on each retry).</summary>
    public async Task DownloadAsync(string messageId, string fileKey, string type, IAnswerSink sink, CancellationToken cancellationToken)
    {
        var path = "open-apis/im/v1/messages/" + Uri.EscapeDataString(messageId) + "/resources/" + Uri.EscapeDataString(fileKey) + "?type=" + Uri.EscapeDataString(type);
        var request = new LarkRequest(HttpMethod.Get, path, LarkOperation.DownloadResource, "download " + type + " " + fileKey + " of message " + messageId)
        {
            Download = sink ?? throw new ArgumentNullException(nameof(sink)),
        };
        await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    private static LarkPage ReadPage(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return new LarkPage(Array.Empty<JsonElement>(), false, null);
        }

        var items = data.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).ToArray()
            : Array.Empty<JsonElement>();
        var token = data.TryGetProperty("page_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var hasMore = data.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True && !string.IsNullOrEmpty(token);
        return new LarkPage(items, hasMore, hasMore ? token : null);
    }
}
