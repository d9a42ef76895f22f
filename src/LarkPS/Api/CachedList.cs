using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Threading;

namespace LarkPS.Api;

/// <summary>
/// A list a connection reads whole from Lark (the bot's chats, the department tree) and keeps for
/// <see cref="Lifetime"/>: one read at a time, shared by the cmdlets and by Tab completion, which waits a moment for it
/// and never hammers Lark.
/// </summary>
/// <typeparam name="T">One entry of the list.</typeparam>
internal sealed class CachedList<T> : IDisposable
{
    /// <summary>How long a list is used before it is read again (the cmdlets' -Force reads at once).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>How long Tab waits for the list before it offers what it has (issue 26: completion must feel instant).</summary>
    public static readonly TimeSpan CompletionWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one read for completion may take in the background (it goes on after Tab stops waiting, so the next
    /// Tab has the list), and how long a read that failed is not tried again: Tab must not hammer Lark.
    /// </summary>
    public static readonly TimeSpan CompletionReadLimit = TimeSpan.FromSeconds(30);

    private readonly Func<CancellationToken, Task<IReadOnlyList<T>>> _read;
    private readonly IClock _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _completionLock = new();
    private readonly CancellationTokenSource _closing = new();
    private IReadOnlyList<T>? _items;
    private DateTimeOffset _readAt;
    private Task<IReadOnlyList<T>>? _completionRead;
    private DateTimeOffset _completionReadStarted;

    /// <summary>A list read by <paramref name="read"/> (the whole list, every page), timed by <paramref name="clock"/>.</summary>
    public CachedList(Func<CancellationToken, Task<IReadOnlyList<T>>> read, IClock clock)
    {
        _read = read ?? throw new ArgumentNullException(nameof(read));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>The list as last read, even when stale; null before the first read. Never makes a request.</summary>
    public IReadOnlyList<T>? LastRead => Volatile.Read(ref _items);

    /// <summary>The list: the one kept while it is fresh (unless <paramref name="force"/>), else read again.</summary>
    public async Task<IReadOnlyList<T>> GetAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!force && IsFresh(out var fresh))
            {
                return fresh;
            }

            var items = await _read(cancellationToken).ConfigureAwait(false);
            _readAt = _clock.UtcNow;
            Volatile.Write(ref _items, items);
            return items;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The list for Tab completion: the one kept while fresh; else one read shared by every Tab press (started by the
    /// first, finishing in the background), waited for at most <paramref name="wait"/>. A read that failed is not
    /// repeated for <see cref="CompletionReadLimit"/>. Returns what is known (the last list, or null); never throws.
    /// </summary>
    public IReadOnlyList<T>? ForCompletion(TimeSpan wait)
    {
        if (IsFresh(out var fresh))
        {
            return fresh;
        }

        Task<IReadOnlyList<T>> read;
        lock (_completionLock)
        {
            var current = _completionRead;
            var retry = current is null
                || (current.Status == TaskStatus.RanToCompletion && _clock.UtcNow - _readAt >= Lifetime)
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
            // The read failed (no scope for it, no network): completion offers what it has; the error is the cmdlet's to show.
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

    private bool IsFresh(out IReadOnlyList<T> items)
    {
        items = Volatile.Read(ref _items)!;
        return items is not null && _clock.UtcNow - _readAt < Lifetime;
    }

    private Task<IReadOnlyList<T>> StartCompletionRead()
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
}
