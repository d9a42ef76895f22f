using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Delivery;

/// <summary>
/// The attempt a delivery engine is running on this async flow, so the HTTP layer can tell the limiter the moment the
/// request really leaves: HttpClient asks an HttpContent for its body only once a connection is ready (after any TCP and
/// TLS handshake, after waiting for a free connection), on .NET Framework as on .NET.
/// </summary>
internal sealed class DeliveryAttempt
{
    private static readonly AsyncLocal<DeliveryAttempt?> CurrentAttempt = new();

    private readonly RateLimiter _limiter;
    private readonly SendRecord _record;
    private readonly Action _changed;

    public DeliveryAttempt(RateLimiter limiter, SendRecord record, Action changed)
    {
        _limiter = limiter;
        _record = record;
        _changed = changed;
    }

    /// <summary>The attempt of the engine running this code, or null outside one.</summary>
    public static DeliveryAttempt? Current
    {
        get => CurrentAttempt.Value;
        set => CurrentAttempt.Value = value;
    }

    /// <summary>Wraps a JSON body so the current attempt (if any) hears when it is written; without one, plain bytes.</summary>
    public static HttpContent JsonContent(byte[] body)
    {
        var attempt = Current;
        HttpContent content = attempt is null ? new ByteArrayContent(body) : new LeavingContent(body, attempt);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The request is handed to HttpClient; <paramref name="warm"/> when a kept-alive connection is likely ready for it.</summary>
    public void Starting(bool warm) => _limiter.Starting(_record, warm);

    /// <summary>The answer's headers are in: the round trip ends now, whatever reading and scheduling follow.</summary>
    public void HeadersIn() => _limiter.HeadersIn(_record);

    /// <summary>The request is being written now.</summary>
    public void Leaving()
    {
        _limiter.Leaving(_record);
        _changed();
    }

    /// <summary>A byte body that reports, when HttpClient starts writing it, that its request is leaving.</summary>
    private sealed class LeavingContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly DeliveryAttempt _attempt;

        public LeavingContent(byte[] body, DeliveryAttempt attempt)
        {
            _body = body;
            _attempt = attempt;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _attempt.Leaving();
            return stream.WriteAsync(_body, 0, _body.Length);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
