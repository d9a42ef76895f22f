using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Pacing;
using LarkPS.Threading;

namespace LarkPS.Api;

/// <summary>
/// The one choke point for HTTP: every Lark call goes through <see cref="SendAsync"/>, which adds the token and
/// User-Agent, sends, reads code/msg/log id, turns every failure into a <see cref="LarkApiException"/>, and on an
/// invalid-token answer drops the token, refreshes it once and retries.
/// </summary>
/// <remarks>
/// Every call is paced here on its way out: a request the delivery scheduler reserved a place for carries its
/// <see cref="PacingTicket"/>; any other waits at the pacer for a ticket of its quota class (the endpoint table's). The
/// choke point reports on the ticket (connection warm or cold, body leaving, headers in, answered), and a failure
/// carries the ticket so the one refusal decision (<see cref="RetryPolicy"/>) teaches the windows that counted it.
/// -Debug lines go to the <see cref="HttpDebugTap"/> it was built with.
/// </remarks>
internal sealed partial class LarkApiClient : IDisposable
{
    /// <summary>The header Lark puts its log id in.</summary>
    public const string LogIdHeader = "X-Tt-Logid";

    /// <summary>The most an answer may have, decompressed: far above Lark's largest real answer (a page of 100 chats is ~100 KB).</summary>
    public const int MaxAnswerBytes = 8 * 1024 * 1024;

    private static readonly string UserAgent =
        "LarkPS/" + typeof(LarkApiClient).Assembly.GetName().Version?.ToString(3) + " (PowerShell)";

    private readonly HttpClient _http;
    private readonly TokenCache? _tokens;
    private readonly IClock _clock;
    private readonly IRequestPacer? _pacer;
    private readonly ConnectionWarmth _warmth;

    /// <param name="baseUri">The Lark host every relative path goes to.</param>
    /// <param name="handler">Sends the requests; it must not follow redirects (the answer is checked anyway).</param>
    /// <param name="timeout">How long one request may take.</param>
    /// <param name="tokens">The tenant token cache for requests that need a token; null for a client that sends none (a webhook).</param>
    /// <param name="clock">Times connections' idleness and -Debug's durations; the system clock when null.</param>
    /// <param name="pacer">Paces every request that carries no ticket of its own; null sends unpaced (tests of the wire alone).</param>
    /// <param name="debug">Where -Debug lines go; a tap of its own when null.</param>
    public LarkApiClient(Uri baseUri, HttpMessageHandler handler, TimeSpan timeout, TokenCache? tokens, IClock? clock = null, IRequestPacer? pacer = null, HttpDebugTap? debug = null)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri));
        }

        BaseUri = baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _tokens = tokens;
        _clock = clock ?? SystemClock.Instance;
        _pacer = pacer;
        _warmth = new ConnectionWarmth(_clock);
        Debug = debug ?? new HttpDebugTap();
        _http = new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: true)
        {
            BaseAddress = BaseUri,
            Timeout = timeout,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);

        // .NET Framework sends Expect: 100-continue on every POST unless told not to: one wasted round trip each.
        _http.DefaultRequestHeaders.ExpectContinue = false;
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The host every path is relative to, ending in a slash.</summary>
    public Uri BaseUri { get; }

    /// <summary>Whether requests announce Expect: 100-continue (never: it costs a round trip on .NET Framework).</summary>
    public bool? ExpectContinue => _http.DefaultRequestHeaders.ExpectContinue;

    /// <summary>Where this choke point writes -Debug lines: a command attaches its log while it runs.</summary>
    public HttpDebugTap Debug { get; }

    /// <summary>
    /// Sends <paramref name="request"/>, paced by its ticket or by one of its quota class; returns only on code 0,
    /// throws <see cref="LarkApiException"/> otherwise. The one place a refused token is handled: dropped, refreshed
    /// once, and the request resent once (on the same ticket).
    /// </summary>
    public async Task<LarkResponse> SendAsync(LarkRequest request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        // A place the scheduler reserved is the scheduler's to end (when it settles the attempt, as it always has); a
        // place taken here is ended here.
        var own = request.Pacing is null && _pacer is not null
            ? await _pacer.AcquireAsync(LarkEndpoints.Of(request.Operation).Quota, cancellationToken).ConfigureAwait(false)
            : null;
        var ticket = request.Pacing ?? own;
        var answered = false;
        try
        {
            var response = await SendPacedAsync(request, ticket, cancellationToken).ConfigureAwait(false);
            answered = true;
            return response;
        }
        catch (LarkApiException ex)
        {
            answered = ex.HttpStatus is not null;
            ex.Pacing ??= ticket;
            throw;
        }
        finally
        {
            // The request is over: its arrival estimate is fixed now.
            own?.Answered(answered);
        }
    }

    private async Task<LarkResponse> SendPacedAsync(LarkRequest request, PacingTicket? ticket, CancellationToken cancellationToken)
    {
        if (!request.RequiresToken)
        {
            return await SendOnceAsync(request, null, ticket, cancellationToken).ConfigureAwait(false);
        }

        var tokens = _tokens ?? throw new InvalidOperationException("This client has no token cache.");
        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendOnceAsync(request, token.Value, ticket, cancellationToken).ConfigureAwait(false);
        }
        catch (LarkApiException ex) when (ex.Retry == RetryKind.RefreshToken)
        {
            // Lark revoked or expired the token early: drop it (callers sharing it share one refresh), try once more.
            // A second refusal reaches the caller as final: the retry policy never refreshes again.
            tokens.Invalidate(token);
            token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
            return await SendOnceAsync(request, token.Value, ticket, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the token endpoint for a tenant token of a self-built app.</summary>
    /// <remarks>The secret goes only into the request body; no message or exception repeats it.</remarks>
    public async Task<TenantToken> FetchTenantTokenAsync(string appId, Func<string> appSecret, IClock clock, CancellationToken cancellationToken)
    {
        if (appSecret is null)
        {
            throw new ArgumentNullException(nameof(appSecret));
        }

        var request = new LarkRequest(HttpMethod.Post, "open-apis/auth/v3/tenant_access_token/internal", LarkOperation.Token, "get a tenant access token")
        {
            RequiresToken = false,
            JsonBody = WriteJson(w =>
            {
                w.WriteString("app_id", appId);
                w.WriteString("app_secret", appSecret());
            }),
        };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var root = response.Root;
        var token = response.RequiredString(root, "tenant_access_token", request);
        if (!root.TryGetProperty("expire", out var expireElement))
        {
            throw response.Malformed(request, "has no 'expire' field");
        }

        if (expireElement.ValueKind != JsonValueKind.Number || !expireElement.TryGetInt64(out var expireSeconds))
        {
            throw response.Malformed(request, "has 'expire' as " + KindOf(expireElement) + ", not a whole number of seconds");
        }

        if (expireSeconds <= 0 || expireSeconds > 7 * 24 * 3600)
        {
            throw response.Malformed(request, "has 'expire' " + expireSeconds.ToString(CultureInfo.InvariantCulture) + ", not a token lifetime in seconds");
        }

        return new TenantToken(token, clock.UtcNow.AddSeconds(expireSeconds));
    }

    /// <summary>Writes one JSON object with <paramref name="body"/> filling it.</summary>
    public static byte[] WriteJson(Action<Utf8JsonWriter> body)
    {
        if (body is null)
        {
            throw new ArgumentNullException(nameof(body));
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A JSON body; with a ticket, one that reports on it when HttpClient starts writing it (a connection is ready).</summary>
    public static HttpContent JsonContent(byte[] body, PacingTicket? ticket)
    {
        HttpContent content = ticket is null ? new ByteArrayContent(body) : new LeavingContent(body, ticket);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    // Every request and answer once, for -Debug (gathered here, written by the cmdlet on its pipeline thread).
    private async Task<LarkResponse> SendOnceAsync(LarkRequest request, string? token, PacingTicket? ticket, CancellationToken cancellationToken)
    {
        var debug = Debug;
        if (!debug.IsActive)
        {
            return await SendOnceCoreAsync(request, token, ticket, cancellationToken).ConfigureAwait(false);
        }

        debug.Request(request);
        var started = _clock.UtcNow;
        TimeSpan Took() => _clock.UtcNow - started;
        try
        {
            var response = await SendOnceCoreAsync(request, token, ticket, cancellationToken).ConfigureAwait(false);
            debug.Answer(request, response.Status, LarkErrorCodes.Success, response.LogId, Took());
            return response;
        }
        catch (LarkApiException ex) when (ex.HttpStatus is null)
        {
            debug.NoAnswer(request, ex.Message, Took());
            throw;
        }
        catch (LarkApiException ex)
        {
            debug.Answer(request, ex.HttpStatus, ex.Code == 0 ? null : ex.Code, ex.LogId, Took());
            throw;
        }
        catch (OperationCanceledException)
        {
            debug.NoAnswer(request, "cancelled (the command was stopped)", Took());
            throw;
        }
    }

    private async Task<LarkResponse> SendOnceCoreAsync(LarkRequest request, string? token, PacingTicket? ticket, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.PathAndQuery);
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (request.ContentFactory is not null)
        {
            message.Content = request.ContentFactory();
        }
        else if (request.JsonBody is not null)
        {
            // The body tells the request's ticket when it really leaves (a connection is ready).
            message.Content = JsonContent(request.JsonBody, ticket);
        }

        var host = message.RequestUri is { IsAbsoluteUri: true } absolute ? absolute.Host : BaseUri.Host;
        var connectionLost = false;
        // Every request takes and gives back a connection, the token's and a look-up's too: Enter must run for each,
        // or the connection they leave open is never counted as warm.
        var warm = _warmth.Enter();
        ticket?.Starting(warm);
        try
        {
            return await SendOnWireAsync(message, request, host, ticket, cancellationToken).ConfigureAwait(false);
        }
        catch (LarkApiException ex) when (ex.IsTransport)
        {
            connectionLost = true;
            throw;
        }
        finally
        {
            _warmth.Exit(connectionLost);
        }
    }

    private async Task<LarkResponse> SendOnWireAsync(HttpRequestMessage message, LarkRequest request, string host, PacingTicket? ticket, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            // Headers first: the body is read below under a size cap, never buffered whole by HttpClient.
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

            // The answer's first byte is back: the moment the round trip is measured to, before any reading or scheduling.
            ticket?.HeadersIn();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // A timeout shows as a cancellation that is not ours; a reset or refusal as HttpRequestException.
            var what = ex is OperationCanceledException ? "timed out after " + _http.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s" : "failed: " + Flatten(ex);
            var neverConnected = NeverConnected(ex);
            throw new LarkApiException(
                $"Could not {request.Description}: the request to {host} {what}" + (neverConnected ? " (no connection was made)" : string.Empty),
                0, null, null, null, isTransport: true, innerException: ex, operation: request.Operation,
                mayHaveArrived: !neverConnected, idempotent: request.Idempotent);
        }

        using (response)
        {
            var logId = Header(response, LogIdHeader);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                // Never followed: the Authorization header or the App Secret in the body would go to the Location's host.
                var location = response.Headers.Location;
                var where = location is null ? "no Location" : location.IsAbsoluteUri ? "Location host '" + location.Host + "'" : "a relative Location";
                throw new LarkApiException(
                    $"Could not {request.Description}: {host} answered HTTP {status} (a redirect to {where}); LarkPS does not follow redirects, so nothing was sent there{LogIdSuffix(logId)}.",
                    0, null, response.StatusCode, logId, operation: request.Operation, pseudoCode: LarkCodeTable.Redirected, mayHaveArrived: false);
            }

            // A handler that followed a redirect anyway must not pass its answer off as the host's.
            var answered = response.RequestMessage?.RequestUri;
            if (answered is { IsAbsoluteUri: true } && !string.Equals(answered.Host, host, StringComparison.OrdinalIgnoreCase))
            {
                throw new LarkApiException(
                    $"Could not {request.Description}: the answer came from '{answered.Host}', not from {host} (a redirect was followed); it is not trusted{LogIdSuffix(logId)}.",
                    0, null, response.StatusCode, logId, operation: request.Operation, pseudoCode: LarkCodeTable.Redirected, mayHaveArrived: true, idempotent: request.Idempotent);
            }

            if (request.Download is { } sink && status is >= 200 and < 300 && !IsJson(response))
            {
                return await StreamAnswerAsync(sink, response, request, host, logId, cancellationToken).ConfigureAwait(false);
            }

            byte[] bytes;
            try
            {
                bytes = await ReadCappedAsync(response, request, host, logId, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                throw new LarkApiException(
                    $"Could not {request.Description}: the answer from {host} broke off ({Flatten(ex)})",
                    0, null, response.StatusCode, logId, isTransport: true, innerException: ex, operation: request.Operation,
                    mayHaveArrived: true, idempotent: request.Idempotent);
            }

            return Interpret(request, response, bytes, logId, host);
        }
    }

    /// <summary>A byte body that reports, when HttpClient starts writing it, that its request is leaving.</summary>
    private sealed class LeavingContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly PacingTicket _ticket;

        public LeavingContent(byte[] body, PacingTicket ticket)
        {
            _body = body;
            _ticket = ticket;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _ticket.Leaving();
            return stream.WriteAsync(_body, 0, _body.Length);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
