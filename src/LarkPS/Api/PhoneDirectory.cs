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
/// Resolves phone numbers to open_ids with contact batch_get_id: lookups that arrive together are coalesced into
/// one call of up to 50 numbers, and answers are cached for the connection with an expiry (people change numbers).
/// The choke point paces each call in the contact look-up windows (the endpoint table's quota class), apart from sends.
/// </summary>
internal sealed class PhoneDirectory
{
    /// <summary>Lark's limit of mobiles per batch_get_id call.</summary>
    public const int MaxBatch = 50;

    private readonly Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, string?>>> _lookup;
    private readonly IClock _clock;
    private readonly TimeSpan _found;
    private readonly TimeSpan _notFound;
    private readonly TimeSpan _gatherWindow;
    private readonly object _gate = new();
    private readonly Dictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<string?>> _pending = new(StringComparer.Ordinal);
    private List<string> _batch = new();
    private int _calls;

    /// <summary>Uses <paramref name="client"/>'s batch_get_id.</summary>
    public PhoneDirectory(LarkApiClient client, IClock clock)
        : this((mobiles, ct) => LookupAsync(client, mobiles, ct), clock, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), new Pacing.PacingOptions().LookupGatherWindow)
    {
    }

    /// <summary>For tests: any lookup function and timings.</summary>
    public PhoneDirectory(
        Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, string?>>> lookup,
        IClock clock,
        TimeSpan cacheFound,
        TimeSpan cacheNotFound,
        TimeSpan gatherWindow)
    {
        _lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _found = cacheFound;
        _notFound = cacheNotFound;
        _gatherWindow = gatherWindow;
    }

    /// <summary>How many batch_get_id calls were made.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>
    /// Starts looking <paramref name="mobile"/> up now, without waiting: Send-LarkMessage calls it when it accepts an item,
    /// long before the item's send slot, so numbers are gathered 50 a call and the answer is cached when the send needs it.
    /// A failed look-up is not cached: the send asks again and meets the failure itself.
    /// </summary>
    public void Prefetch(string mobile)
    {
        if (string.IsNullOrEmpty(mobile))
        {
            return;
        }

        var lookup = ResolveAsync(mobile, CancellationToken.None);

        // Observe the outcome so a failure is not an unobserved task exception; the send reports it.
        _ = lookup.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// The open_id of the user with <paramref name="mobile"/> (in the form Lark looks up: mainland bare, others
    /// +country code), or null where Lark has no such user visible to the app.
    /// </summary>
    public async Task<string?> ResolveAsync(string mobile, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(mobile))
        {
            throw new ArgumentException("A phone number is required.", nameof(mobile));
        }

        TaskCompletionSource<string?> waiter;
        List<string>? full = null;
        var first = false;
        lock (_gate)
        {
            if (_cache.TryGetValue(mobile, out var cached) && cached.Expires > _clock.UtcNow)
            {
                return cached.OpenId;
            }

            if (!_pending.TryGetValue(mobile, out waiter!))
            {
                waiter = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending[mobile] = waiter;
                _batch.Add(mobile);
                first = _batch.Count == 1;
                if (_batch.Count >= MaxBatch)
                {
                    full = _batch;
                    _batch = new List<string>();
                }
            }
        }

        if (full is not null)
        {
            _ = FlushAsync(full);
        }
        else if (first)
        {
            // Gather what else arrives in a moment: a pipeline of phone items becomes one call per 50 numbers.
            _ = GatherThenFlushAsync();
        }

        return await CancellableWait.WaitAsync(waiter.Task, cancellationToken).ConfigureAwait(false);
    }

    private async Task GatherThenFlushAsync()
    {
        await _clock.Delay(_gatherWindow, CancellationToken.None).ConfigureAwait(false);
        List<string> batch;
        lock (_gate)
        {
            batch = _batch;
            _batch = new List<string>();
        }

        if (batch.Count > 0)
        {
            await FlushAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(List<string> batch)
    {
        Interlocked.Increment(ref _calls);
        IReadOnlyDictionary<string, string?>? answers = null;
        Exception? failure = null;
        try
        {
            answers = await _lookup(batch, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever went wrong must reach the waiters, or their sends would wait forever.
        catch (Exception ex)
        {
            failure = ex;
        }
#pragma warning restore CA1031

        var waiters = new List<(TaskCompletionSource<string?> Waiter, string? OpenId)>();
        lock (_gate)
        {
            foreach (var mobile in batch)
            {
                if (!_pending.TryGetValue(mobile, out var waiter))
                {
                    continue;
                }

                _pending.Remove(mobile);
                if (failure is null)
                {
                    answers!.TryGetValue(mobile, out var openId);
                    _cache[mobile] = new CacheEntry(openId, _clock.UtcNow + (openId is null ? _notFound : _found));
                    waiters.Add((waiter, openId));
                }
                else
                {
                    waiters.Add((waiter, null));
                }
            }

            PruneExpired();
        }

        foreach (var (waiter, openId) in waiters)
        {
            if (failure is null)
            {
                waiter.TrySetResult(openId);
            }
            else
            {
                waiter.TrySetException(failure);
            }
        }
    }

    private void PruneExpired()
    {
        if (_cache.Count < 10_000)
        {
            return;
        }

        var now = _clock.UtcNow;
        foreach (var key in _cache.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            _cache.Remove(key);
        }
    }

    private static async Task<IReadOnlyDictionary<string, string?>> LookupAsync(LarkApiClient client, IReadOnlyList<string> mobiles, CancellationToken cancellationToken)
    {
        var request = new LarkRequest(HttpMethod.Post, "open-apis/contact/v3/users/batch_get_id?user_id_type=open_id", LarkOperation.LookupUsers, "look up users by phone number")
        {
            JsonBody = LarkApiClient.WriteJson(w =>
            {
                w.WriteStartArray("mobiles");
                foreach (var mobile in mobiles)
                {
                    w.WriteStringValue(mobile);
                }

                w.WriteEndArray();
                w.WriteBoolean("include_resigned", false);
            }),
        };
        var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (response.Data.ValueKind == JsonValueKind.Object && response.Data.TryGetProperty("user_list", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                var mobile = item.TryGetProperty("mobile", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                var userId = item.TryGetProperty("user_id", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                if (mobile is null)
                {
                    continue;
                }

                // Lark echoes the number; match it back whether or not it added or dropped a +86.
                foreach (var asked in mobiles.Where(a => SameNumber(a, mobile)))
                {
                    if (userId is not null || !result.ContainsKey(asked))
                    {
                        result[asked] = userId;
                    }
                }
            }
        }

        return result;
    }

    private static bool SameNumber(string asked, string answered)
    {
        static string Strip(string s)
        {
            var digits = new string(s.Where(char.IsDigit).ToArray());
            return digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal) ? digits.Substring(2) : digits;
        }

        return string.Equals(Strip(asked), Strip(answered), StringComparison.Ordinal);
    }

    private readonly struct CacheEntry
    {
        public CacheEntry(string? openId, DateTimeOffset expires)
        {
            OpenId = openId;
            Expires = expires;
        }

        public string? OpenId { get; }

        public DateTimeOffset Expires { get; }
    }
}
