using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace LarkPS.Sandbox.Events;

/// <summary>
/// The server side of one long connection: answers pings with pongs (carrying the ClientConfig when configured),
/// sends events as data frames, and hands every acknowledgement to the hub.
/// </summary>
internal sealed class EventSocket(WebSocket socket, EventConnectionRecord record, EventHub hub) : IDisposable
{
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private long seq;

    public EventConnectionRecord Record => record;

    public bool IsOpen => socket.State == WebSocketState.Open;

    public void Dispose() => sendLock.Dispose();

    /// <summary>Reads the client's frames until it closes or the connection breaks.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, aborted).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    record.HowClosed ??= "clean";
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None).ConfigureAwait(false);
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.ToArray();
                message.SetLength(0);
                if (result.MessageType != WebSocketMessageType.Binary)
                {
                    record.ProtocolErrors.Add("a text message, where Lark's frames are binary");
                    continue;
                }

                await OnFrameAsync(bytes).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            record.HowClosed ??= "lost";
        }
        finally
        {
            record.ClosedAt = hub.Now;
            hub.Closed(this);
        }
    }

    /// <summary>Sends one event (split into <paramref name="fragments"/> frames when above the fragment size).</summary>
    public async Task<bool> SendEventAsync(string frameMessageId, string type, byte[] payload, int fragmentBytes)
    {
        var parts = fragmentBytes > 0 && payload.Length > fragmentBytes
            ? payload.Chunk(fragmentBytes).ToArray()
            : [payload];
        var traceId = Guid.NewGuid().ToString("N");
        try
        {
            for (var i = 0; i < parts.Length; i++)
            {
                var frame = new WireFrame
                {
                    SeqId = (ulong)Interlocked.Increment(ref seq),
                    LogId = (ulong)Random.Shared.NextInt64(1, long.MaxValue),
                    Service = record.ServiceId,
                    Method = 1,
                    Payload = parts[i],
                };
                frame.Headers.Add(new("type", type));
                frame.Headers.Add(new("message_id", frameMessageId));
                frame.Headers.Add(new("sum", parts.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                frame.Headers.Add(new("seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                frame.Headers.Add(new("trace_id", traceId));
                frame.Headers.Add(new("timestamp", hub.Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
                await SendAsync(frame).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Drops the connection without a close frame, as a network fault would.</summary>
    public void Drop()
    {
        record.HowClosed ??= "dropped";
        socket.Abort();
    }

    /// <summary>Closes with a close frame (the server ending the connection, as Lark does for maintenance).</summary>
    public async Task CloseAsync()
    {
        record.HowClosed ??= "closed by the server";
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "server closing", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    private async Task OnFrameAsync(byte[] bytes)
    {
        WireFrame frame;
        try
        {
            frame = WireFrame.Decode(bytes);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidDataException)
        {
            record.ProtocolErrors.Add("not a pbbp2.Frame: " + ex.Message);
            return;
        }

        if (frame.Service != record.ServiceId)
        {
            record.ProtocolErrors.Add($"service {frame.Service}, where the URL's service_id is {record.ServiceId}");
        }

        var type = frame.Header("type");
        if (frame.Method == 0)
        {
            if (type != "ping")
            {
                record.ProtocolErrors.Add($"a control frame of type '{type}'");
                return;
            }

            record.Pings++;
            var pong = new WireFrame { SeqId = 0, LogId = 0, Service = record.ServiceId, Method = 0 };
            pong.Headers.Add(new("type", "pong"));
            if (hub.Options.PongCarriesConfig)
            {
                pong.Payload = Encoding.UTF8.GetBytes(hub.ClientConfig().ToJsonString());
            }

            await SendSafelyAsync(pong).ConfigureAwait(false);
            return;
        }

        if (frame.Method != 1)
        {
            record.ProtocolErrors.Add($"method {frame.Method}");
            return;
        }

        record.Acks++;
        hub.Acknowledged(this, frame);
    }

    private async Task SendSafelyAsync(WireFrame frame)
    {
        try
        {
            await SendAsync(frame).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The read loop sees the broken connection.
        }
    }

    private async Task SendAsync(WireFrame frame)
    {
        var bytes = frame.Encode();
        await sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }
}

/// <summary>The pieces of a JSON answer the hub and endpoints share.</summary>
internal static class EventJson
{
    public static JsonObject Config(SandboxEventOptions o) => new()
    {
        ["PingInterval"] = o.PingInterval,
        ["ReconnectCount"] = o.ReconnectCount,
        ["ReconnectInterval"] = o.ReconnectInterval,
        ["ReconnectNonce"] = o.ReconnectNonce,
    };
}
