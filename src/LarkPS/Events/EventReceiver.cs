using System;
using LarkPS.Api;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Session;

namespace LarkPS.Events;

/// <summary>
/// Runs one <see cref="LongConnection"/> on a worker task and queues what it produces (events, verbose lines, the
/// reason it ended) for the pipeline thread, which alone writes them. Knows nothing of PowerShell.
/// </summary>
internal sealed class EventReceiver : IDisposable
{
    private readonly BlockingCollection<ConnectionNotice> _queue = new();
    private readonly CancellationTokenSource _stop;
    private readonly LongConnection _connection;
    private Task? _run;

    public EventReceiver(LarkConnection connection, Func<ReceivedEvent, EventVerdict> decide, CancellationToken stop, EventOptions? options = null)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        var settings = options ?? new EventOptions();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var endpoints = new EventEndpointClient(connection.Client, connection.AppId, connection.AppSecretReader);
        _connection = new LongConnection(endpoints, new EventClientConfig(), settings, EventMemory.For(connection, settings), connection.Clock, new Random(), decide, Notify);
    }

    /// <summary>Opens the connection (on a worker task); notices start to arrive.</summary>
    public void Start()
    {
        _run ??= Task.Run(RunAsync);
    }

    /// <summary>The next notice, waiting at most <paramref name="wait"/>; false when none came in time or the connection has ended and all was taken.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="token"/> was cancelled (Ctrl+C).</exception>
    public bool TryTake(TimeSpan wait, CancellationToken token, out ConnectionNotice? notice)
    {
        var milliseconds = wait == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Max(0, Math.Min(int.MaxValue, wait.TotalMilliseconds));
        try
        {
            return _queue.TryTake(out notice, milliseconds, token);
        }
        catch (InvalidOperationException)
        {
            // Completed while waiting: nothing more will come.
            notice = null;
            return false;
        }
    }

    /// <summary>
    /// Null once a connection was opened; else why none was (the last attempt's failure, or that the first attempt was
    /// still under way): a -Timeout that passes then means no event could arrive, not that none was sent.
    /// </summary>
    public string? NeverConnected => _connection.Connections > 0 ? null : _connection.LastProblem ?? "the first attempt had not finished";

    /// <summary>True once the connection has ended and every notice was taken.</summary>
    public bool IsFinished => _queue.IsCompleted;

    /// <summary>Closes the connection cleanly (close frame) and waits for it, at most <paramref name="wait"/>.</summary>
    public void Stop(TimeSpan wait)
    {
        _stop.Cancel();
        try
        {
            _run?.Wait(wait);
        }
        catch (AggregateException)
        {
            // RunAsync reports its own failures as notices; nothing is left to say here.
        }

        // Events still queued are never written: any not acknowledged yet is forgotten, so Lark's next push is taken.
        try
        {
            foreach (var notice in _queue.ToArray())
            {
                notice.Event?.Abandon();
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed already: abandoned then.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(3));
        _stop.Dispose();
        _queue.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await _connection.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped: the session closed the socket.
        }
        catch (LongConnectionException ex)
        {
            Notify(ConnectionNotice.Fatal(ex));
        }
        catch (Exception ex)
        {
            Notify(ConnectionNotice.Fatal(new LongConnectionException("The long connection failed: " + ex.Message, ErrorIds.EventConnectionFailed, "Run the command again; if it keeps failing, report it with -Verbose output.", ex)));
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    private void Notify(ConnectionNotice notice)
    {
        try
        {
            _queue.Add(notice);
        }
        catch (InvalidOperationException)
        {
            // The command has ended (added-to-completed, or disposed): nobody reads anymore.
        }
    }
}
