using System;
using LarkPS.Api;
using System.Management.Automation;
using System.Threading;
using LarkPS.Events;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// What Receive-LarkEvent and Wait-LarkCardAction share: an app connection, an <see cref="EventReceiver"/> whose worker
/// queues, and the pipeline-thread loop that drains the queue (events out, verbose and debug lines written here, a
/// connection that cannot go on as one terminating error). Ctrl+C closes the socket cleanly before the command stops.
/// </summary>
public abstract class EventCmdletBase : LarkCmdlet
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(3);

    private EventReceiver? _receiver;

    /// <summary>The connection to use; default: this session's, from Connect-Lark (an app connection).</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    /// <summary>
    /// Opens the long connection and writes what arrives until <paramref name="enough"/> says so (true) or
    /// <paramref name="timeout"/> passes (false). <paramref name="decide"/> runs on the connection's reader thread.
    /// </summary>
    private protected bool Receive(Func<ReceivedEvent, EventVerdict> decide, TimeSpan? timeout, Func<bool> enough, Action<ReceivedEvent> write)
    {
        var connection = RequireAppConnection(Connection, "opens Lark's long connection to receive events");
        var deadline = timeout is { } limit ? connection.Clock.UtcNow + limit : (DateTimeOffset?)null;
        _receiver = new EventReceiver(connection, decide, StopToken);
        _receiver.Start();
        bool finished;
        try
        {
            finished = Pump(connection, deadline, enough, write);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            // Ctrl+C: the close frame goes out before PowerShell stops the pipeline.
            _receiver.Stop(CloseWait);
            throw new PipelineStoppedException();
        }
        finally
        {
            _receiver.Stop(CloseWait);
        }

        DrainLines();
        return finished;
    }

    /// <summary>
    /// After a -Timeout passed: null when the long connection was open, else an EventConnectionFailed error saying
    /// why it never opened (no event could arrive, which is not the same as nobody sending one).
    /// </summary>
    private protected ErrorRecord? NeverConnectedError(int timeout)
    {
        if (_receiver?.NeverConnected is not { } problem)
        {
            return null;
        }

        return ErrorRecords.WithFix(
            new TimeoutException(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "Lark's long connection could not be opened within -Timeout {0} s, so no event could arrive: {1}.", timeout, problem.TrimEnd('.'))),
            ErrorIds.EventConnectionFailed, ErrorCategory.ConnectionError, Connection ?? Session.ConnectionStore.Current,
            "Check the network path to the host (proxy, firewall allowing WebSocket on port 443) and -Region / -BaseUri; when Lark is busy, give it longer (-Timeout). -Verbose shows each attempt.");
    }

    private bool Pump(LarkConnection connection, DateTimeOffset? deadline, Func<bool> enough, Action<ReceivedEvent> write)
    {
        var receiver = _receiver!;
        while (!enough())
        {
            var wait = deadline is { } end ? end - connection.Clock.UtcNow : Timeout.InfiniteTimeSpan;
            if (deadline is not null && wait <= TimeSpan.Zero)
            {
                return false;
            }

            if (!receiver.TryTake(wait, StopToken, out var notice) || notice is null)
            {
                if (receiver.IsFinished)
                {
                    return enough();
                }

                continue;
            }

            switch (notice.Kind)
            {
                case NoticeKind.Verbose: WriteVerbose(notice.Text!); break;
                case NoticeKind.Debug: WriteDebug(notice.Text!); break;
                case NoticeKind.Warning: WriteWarning(notice.Text!); break;
                case NoticeKind.Event:
                    // Taking it releases its acknowledgement; one refused as the command stopped is Lark's to push again.
                    if (notice.Event!.Claim())
                    {
                        write(notice.Event);
                    }

                    break;
                case NoticeKind.Fatal:
                    var error = notice.Error as LongConnectionException;
                    ThrowTerminatingError(ErrorRecords.WithFix(
                        notice.Error!, error?.ErrorId ?? ErrorIds.EventConnectionFailed, ErrorCategory.ConnectionError, connection, error?.Fix));
                    break;
            }
        }

        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The pipeline may end without EndProcessing (Select-Object -First, an error downstream): close here too.
            _receiver?.Dispose();
        }

        base.Dispose(disposing);
    }

    // The last lines (closing the connection) are written while the command may still write.
    private void DrainLines()
    {
        if (_receiver is null || StopToken.IsCancellationRequested)
        {
            return;
        }

        while (_receiver.TryTake(TimeSpan.Zero, CancellationToken.None, out var notice) && notice is not null)
        {
            if (notice.Kind == NoticeKind.Verbose)
            {
                WriteVerbose(notice.Text!);
            }
            else if (notice.Kind == NoticeKind.Debug)
            {
                WriteDebug(notice.Text!);
            }
        }
    }
}
