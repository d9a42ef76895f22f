using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Session;
using LarkPS.Threading;

namespace LarkPS.Events;

/// <summary>
/// One open WebSocket of the long connection: pings at the server's interval, reads frames, joins fragments, takes
/// or declines each event, acknowledges a taken one when the pipeline takes it or after <see cref="EventOptions.AckHold"/>
/// (never after user code), answers "not handled" to those the pipeline never took when the command stops, and closes cleanly.
/// </summary>
internal sealed class LongConnectionSession : IDisposable
{
    private static readonly byte[] AckOk = Encoding.UTF8.GetBytes("{\"code\":200}");
    private static readonly byte[] AckNotHandled = Encoding.UTF8.GetBytes("{\"code\":500}");

    private readonly WebSocket _socket;
    private readonly EventEndpoint _endpoint;
    private readonly EventClientConfig _config;
    private readonly EventOptions _options;
    private readonly EventMemory _memory;
    private readonly IClock _clock;
    private readonly Func<ReceivedEvent, EventVerdict> _decide;
    private readonly Action<ConnectionNotice> _notify;
    private readonly FragmentAssembler _fragments;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly List<PendingAck> _pending = new();
    private bool _stopping;

    public LongConnectionSession(WebSocket socket, EventEndpoint endpoint, EventClientConfig config, EventOptions options, EventMemory memory, IClock clock, Func<ReceivedEvent, EventVerdict> decide, Action<ConnectionNotice> notify)
    {
        _socket = socket;
        _endpoint = endpoint;
        _config = config;
        _options = options;
        _memory = memory;
        _clock = clock;
        _decide = decide;
        _notify = notify;
        _fragments = new FragmentAssembler(clock, options);
    }

    /// <inheritdoc />
    public void Dispose() => _sendLock.Dispose();

    /// <summary>Runs until the server closes or the connection breaks (returns why), or <paramref name="stop"/> (closes cleanly, returns null).</summary>
    public async Task<string?> RunAsync(CancellationToken stop)
    {
        using var session = new CancellationTokenSource();
        var reader = Task.Run(() => ReadLoopAsync(session.Token), CancellationToken.None);
        var pinger = Task.Run(() => PingLoopAsync(session.Token), CancellationToken.None);
        var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Register(() => stopped.TrySetResult(true)))
        {
            await Task.WhenAny(reader, pinger, stopped.Task).ConfigureAwait(false);
        }

        string? ended = null;
        if (stop.IsCancellationRequested)
        {
            await RefuseUntakenAsync().ConfigureAwait(false);
        }

        if (stop.IsCancellationRequested && !reader.IsCompleted)
        {
            await CloseCleanlyAsync(reader).ConfigureAwait(false);
        }
        else if (reader.IsCompleted)
        {
            ended = await reader.ConfigureAwait(false);
        }
        else
        {
            ended = pinger.Exception?.GetBaseException().Message ?? "the ping could not be sent";
        }

        session.Cancel();
        _socket.Abort();
        await Ignore(reader).ConfigureAwait(false);
        await Ignore(pinger).ConfigureAwait(false);
        _socket.Dispose();
        return stop.IsCancellationRequested ? null : ended;
    }

    // Sends the close frame and waits (briefly) for the server's, which the reader sees: a clean end for both sides.
    private async Task CloseCleanlyAsync(Task reader)
    {
        using var timeout = new CancellationTokenSource(_options.CloseTimeout);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            await Task.WhenAny(reader, Task.Delay(_options.CloseTimeout, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The socket was already gone: nothing to close.
        }
    }

    private async Task PingLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var ping = new LarkFrame { SeqId = 0, LogId = 0, Service = _endpoint.ServiceId, Method = LarkFrame.ControlMethod };
            ping.Headers.Add(new(LarkFrame.Keys.Type, LarkFrame.Types.Ping));
            await SendAsync(ping, token).ConfigureAwait(false);

            // Read each time: a pong may have brought a new interval.
            await _clock.Delay(TimeSpan.FromSeconds(_config.PingInterval), token).ConfigureAwait(false);
        }
    }

    private async Task<string> ReadLoopAsync(CancellationToken token)
    {
        var chunk = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(new ArraySegment<byte>(chunk), token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var why = "the server closed the connection (" + (result.CloseStatus?.ToString() ?? "no status") +
                        (string.IsNullOrEmpty(result.CloseStatusDescription) ? string.Empty : ": " + result.CloseStatusDescription) + ")";
                    await AnswerCloseAsync().ConfigureAwait(false);
                    return why;
                }

                message.Write(chunk, 0, result.Count);
                if (message.Length > _options.MaxEventBytes)
                {
                    return "the server sent a message larger than " + _options.MaxEventBytes.ToString(CultureInfo.InvariantCulture) + " bytes";
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.ToArray();
                message.SetLength(0);
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    await OnFrameAsync(bytes, token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            return "the connection broke (" + ex.GetBaseException().Message.TrimEnd('.') + ")";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A LarkPS bug must not kill the connection silently: say it, and reconnect (Lark resends what was not acknowledged).
            return "LarkPS failed reading a frame (" + ex.GetType().Name + ": " + ex.Message.TrimEnd('.') + ")";
        }
    }

    private async Task AnswerCloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.CloseTimeout);
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Half-closed already: the reconnect follows anyway.
        }
    }

    private async Task OnFrameAsync(byte[] bytes, CancellationToken token)
    {
        var arrived = _clock.UtcNow;
        LarkFrame frame;
        try
        {
            frame = FrameCodec.Decode(bytes);
        }
        catch (InvalidDataException ex)
        {
            _notify(ConnectionNotice.Warning("Ignored a frame that is not a valid pbbp2.Frame: " + ex.Message));
            return;
        }

        var type = frame.Header(LarkFrame.Keys.Type);
        if (frame.Method == LarkFrame.ControlMethod)
        {
            if (type == LarkFrame.Types.Pong && frame.Payload is { Length: > 0 } payload)
            {
                AdoptPong(payload);
            }

            return;
        }

        if (frame.Method != LarkFrame.DataMethod || (type != LarkFrame.Types.Event && type != LarkFrame.Types.Card))
        {
            return;
        }

        byte[]? whole;
        try
        {
            whole = _fragments.Add(frame.Header(LarkFrame.Keys.MessageId), frame.IntHeader(LarkFrame.Keys.Sum), frame.IntHeader(LarkFrame.Keys.Seq), frame.Payload ?? Array.Empty<byte>());
        }
        catch (InvalidDataException ex)
        {
            // As the SDKs do: not acknowledged, so Lark pushes the whole event again.
            _notify(ConnectionNotice.Warning("Dropped an event fragment Lark will push again: " + ex.Message));
            return;
        }

        if (whole is null)
        {
            return;
        }

        ReceivedEvent received;
        try
        {
            received = EventParser.Parse(whole, arrived);
        }
        catch (InvalidDataException ex)
        {
            await AckAsync(frame, arrived, AckNotHandled, token).ConfigureAwait(false);
            _notify(ConnectionNotice.Warning("Answered 'not handled' to an event that could not be read (" + ex.Message + "); Lark will push it again."));
            return;
        }

        if (_memory.WasSeen(received.EventId, received.MessageId))
        {
            await AckAsync(frame, arrived, AckOk, token).ConfigureAwait(false);
            _notify(ConnectionNotice.Verbose("Event " + received.EventId + " (" + received.EventType + ") came again (Lark pushed it once more): acknowledged, not written twice."));
            return;
        }

        var verdict = _decide(received);
        if (!verdict.Take)
        {
            await AckAsync(frame, arrived, AckNotHandled, token).ConfigureAwait(false);
            _notify(ConnectionNotice.Verbose("Event " + received.EventId + " (" + received.EventType + ") is not for this command: answered 'not handled', so Lark offers it again."));
            return;
        }

        // Remembered before the acknowledgement leaves: a re-push racing it is then a duplicate.
        _memory.Remember(received.EventId, received.MessageId);
        var pending = new PendingAck(received, _memory, frame, arrived);
        bool stopping;
        lock (_pending)
        {
            stopping = _stopping;
            if (!stopping)
            {
                _pending.Add(pending);
            }
        }

        if (stopping)
        {
            // The command is ending: nobody will write this event.
            pending.TryRefuse();
            await AckAsync(frame, arrived, AckNotHandled, token).ConfigureAwait(false);
            return;
        }

        // The acknowledging task exists before the pipeline can take the event: a stop that follows the take at once
        // (Wait-LarkCardAction returns, Select-Object -First 1) then waits for it instead of closing the socket first.
        pending.Acknowledging = AcknowledgeWhenTakenAsync(pending, frame, arrived, verdict, token);
        _notify(ConnectionNotice.Received(received));
    }

    // Acknowledges once the pipeline thread takes the event, or after AckHold (within Lark's 3 s, however slow the
    // pipeline), unless the command stopped first and the event was refused.
    private async Task AcknowledgeWhenTakenAsync(PendingAck pending, LarkFrame frame, DateTimeOffset arrived, EventVerdict verdict, CancellationToken token)
    {
        try
        {
            await Task.WhenAny(pending.WhenClaimed, _clock.Delay(_options.AckHold, token)).ConfigureAwait(false);
            if (token.IsCancellationRequested && !pending.WhenClaimed.IsCompleted)
            {
                // The connection ended first: nothing can be acknowledged on it. Lark pushes the event again; written
                // once if the pipeline takes this copy, taken anew (forgotten when abandoned) if the command stops first.
                return;
            }

            if (!pending.TryAcknowledge())
            {
                return;
            }

            var received = pending.Received;
            var what = "event " + received.EventId + " (" + received.EventType + ")";
            if (await AckAsync(frame, arrived, verdict.CardAnswer is { } answer ? AnswerPayload(answer) : AckOk, token, what).ConfigureAwait(false))
            {
                _notify(ConnectionNotice.Verbose("Event " + received.EventId + " (" + received.EventType + ") received and acknowledged" + (verdict.Note is null ? "." : ", " + verdict.Note + ".")));
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended before the hold did: Lark pushes the event again; the memory writes it once.
        }
        finally
        {
            lock (_pending)
            {
                _pending.Remove(pending);
            }
        }
    }

    // The command stops: every taken event the pipeline did not take is answered "not handled" (and forgotten), so
    // Lark pushes it again instead of it being lost with the queue.
    private async Task RefuseUntakenAsync()
    {
        PendingAck[] untaken;
        lock (_pending)
        {
            _stopping = true;
            untaken = _pending.ToArray();
        }

        var refused = 0;
        using var timeout = new CancellationTokenSource(_options.CloseTimeout);
        foreach (var pending in untaken)
        {
            if (pending.TryRefuse())
            {
                refused++;
                await AckAsync(pending.Frame, pending.Arrived, AckNotHandled, timeout.Token).ConfigureAwait(false);
            }
        }

        // The events the pipeline took have their acknowledgement (a card's answer among them) on its way: it leaves
        // before the close frame, or Lark would push the event again and the clicker would not see the answer.
        var inFlight = untaken.Select(p => p.Acknowledging).OfType<Task>().ToArray();
        if (inFlight.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(inFlight), Task.Delay(_options.CloseTimeout, CancellationToken.None)).ConfigureAwait(false);
        }

        if (refused > 0)
        {
            _notify(ConnectionNotice.Verbose(refused.ToString(CultureInfo.InvariantCulture) + " event(s) arrived that the command did not write before it stopped: answered 'not handled', so Lark pushes them again."));
        }
    }

    private void AdoptPong(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (_config.Adopt(document.RootElement))
            {
                _notify(ConnectionNotice.Debug("Lark's pong brought a new ClientConfig: " + _config + "."));
            }
        }
        catch (JsonException)
        {
            _notify(ConnectionNotice.Warning("Ignored a pong whose payload is not JSON."));
        }
    }

    private static byte[] AnswerPayload(byte[] answer) =>
        Encoding.UTF8.GetBytes("{\"code\":200,\"data\":\"" + Convert.ToBase64String(answer) + "\"}");

    // The frame back as it came (SeqID, LogID, service, method, every header) plus biz_rt, with the answer as payload.
    private async Task<bool> AckAsync(LarkFrame frame, DateTimeOffset arrived, byte[] payload, CancellationToken token, string what = "a frame")
    {
        var ack = frame.Copy();
        var spent = Math.Max(0, (long)(_clock.UtcNow - arrived).TotalMilliseconds);
        ack.Headers.Add(new(LarkFrame.Keys.BizRt, spent.ToString(CultureInfo.InvariantCulture)));
        ack.Payload = payload;
        try
        {
            await SendAsync(ack, token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection dropped before the ack left: Lark pushes the event again, and the memory writes it once.
            _notify(ConnectionNotice.Verbose("The acknowledgement of " + what + " could not be sent (the connection dropped); Lark will push it again, and it is not written twice."));
            return false;
        }
    }

    private async Task SendAsync(LarkFrame frame, CancellationToken token)
    {
        var bytes = FrameCodec.Encode(frame);
        await _sendLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(new ArraySegment<byte>(bytes), WebSocketMessageType.Binary, true, token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static async Task Ignore(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Ended with the socket.
        }
    }
}
