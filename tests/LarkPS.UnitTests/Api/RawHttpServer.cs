using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LarkPS.UnitTests.Api;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 that answers every request with the next scripted raw answer and records
/// what it received (start line, headers and body), so tests see exactly what crossed the socket.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, byte[]> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _received = new();

    public RawHttpServer(Func<string, byte[]> answer)
    {
        _answer = answer;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every request received: start line, headers and body as text.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    public static byte[] Answer(int status, string reason, string body, params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder().Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("Content-Type: application/json\r\nContent-Length: ").Append(bytes.Length).Append("\r\nConnection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(head.ToString()).Concat(bytes).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // The listener was stopped under the accept: expected.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[8192];
            int headerEnd;
            while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    return;
                }

                buffer.AddRange(chunk.Take(read));
            }

            var head = Encoding.ASCII.GetString(buffer.Take(headerEnd).ToArray());
            var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(l => int.Parse(l.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            while (buffer.Count < headerEnd + 4 + length)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    break;
                }

                buffer.AddRange(chunk.Take(read));
            }

            var request = head + "\r\n\r\n" + Encoding.UTF8.GetString(buffer.Skip(headerEnd + 4).ToArray());
            lock (_received)
            {
                _received.Add(request);
            }

            var answer = _answer(request);
            await stream.WriteAsync(answer);
            await stream.FlushAsync();
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
