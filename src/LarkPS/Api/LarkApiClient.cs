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
using LarkPS.Session;

namespace LarkPS.Api;

/// <summary>
/// The one choke point for HTTP: every Lark call goes through <see cref="SendAsync"/>, which adds the token and
/// User-Agent, sends, reads code/msg/log id, turns every failure into a <see cref="LarkApiException"/>, and on an
/// invalid-token answer drops the token, refreshes it once and retries.
/// </summary>
internal sealed class LarkApiClient : IDisposable
{
    /// <summary>The header Lark puts its log id in.</summary>
    public const string LogIdHeader = "X-Tt-Logid";

    /// <summary>The most an answer may have, decompressed: far above Lark's largest real answer (a page of 100 chats is ~100 KB).</summary>
    public const int MaxAnswerBytes = 8 * 1024 * 1024;

    private static readonly string UserAgent =
        "LarkPS/" + typeof(LarkApiClient).Assembly.GetName().Version?.ToString(3) + " (PowerShell)";

    private readonly HttpClient _http;
    private readonly TokenCache? _tokens;
    private readonly ConnectionWarmth _warmth = new();

    /// <param name="baseUri">The Lark host every relative path goes to.</param>
    /// <param name="handler">Sends the requests; it must not follow redirects (the answer is checked anyway).</param>
    /// <param name="timeout">How long one request may take.</param>
    /// <param name="tokens">The tenant token cache for requests that need a token; null for a client that sends none (a webhook).</param>
    public LarkApiClient(Uri baseUri, HttpMessageHandler handler, TimeSpan timeout, TokenCache? tokens)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri));
        }

        BaseUri = baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _tokens = tokens;
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

    /// <summary>
    /// Sends <paramref name="request"/>; returns only on code 0, throws <see cref="LarkApiException"/> otherwise.
    /// The one place a refused token is handled: dropped, refreshed once, and the request resent once.
    /// </summary>
    public async Task<LarkResponse> SendAsync(LarkRequest request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (!request.RequiresToken)
        {
            return await SendOnceAsync(request, null, cancellationToken).ConfigureAwait(false);
        }

        var tokens = _tokens ?? throw new InvalidOperationException("This client has no token cache.");
        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendOnceAsync(request, token.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (LarkApiException ex) when (ex.Retry == RetryKind.RefreshToken)
        {
            // Lark revoked or expired the token early: drop it (callers sharing it share one refresh), try once more.
            // A second refusal reaches the caller as final: the retry policy never refreshes again.
            tokens.Invalidate(token);
            token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
            return await SendOnceAsync(request, token.Value, cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    // Every request and answer once, for -Debug (gathered here, written by the cmdlet on its pipeline thread).
    private async Task<LarkResponse> SendOnceAsync(LarkRequest request, string? token, CancellationToken cancellationToken)
    {
        var debug = HttpDebugLog.Current;
        if (debug is null)
        {
            return await SendOnceCoreAsync(request, token, cancellationToken).ConfigureAwait(false);
        }

        debug.Request(request);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var response = await SendOnceCoreAsync(request, token, cancellationToken).ConfigureAwait(false);
            debug.Answer(request, response.Status, LarkErrorCodes.Success, response.LogId, watch.Elapsed);
            return response;
        }
        catch (LarkApiException ex) when (ex.HttpStatus is null)
        {
            debug.NoAnswer(request, ex.Message, watch.Elapsed);
            throw;
        }
        catch (LarkApiException ex)
        {
            debug.Answer(request, ex.HttpStatus, ex.Code == 0 ? null : ex.Code, ex.LogId, watch.Elapsed);
            throw;
        }
        catch (OperationCanceledException)
        {
            debug.NoAnswer(request, "cancelled (the command was stopped)", watch.Elapsed);
            throw;
        }
    }

    private async Task<LarkResponse> SendOnceCoreAsync(LarkRequest request, string? token, CancellationToken cancellationToken)
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
            // Inside a delivery attempt the body tells the scheduler when the request really leaves (a connection is ready).
            message.Content = Delivery.DeliveryAttempt.JsonContent(request.JsonBody);
        }

        var host = message.RequestUri is { IsAbsoluteUri: true } absolute ? absolute.Host : BaseUri.Host;
        var attempt = Delivery.DeliveryAttempt.Current;
        var connectionLost = false;
        // Every request takes and gives back a connection, the token's and a look-up's too: Enter must run for each
        // (not only inside a delivery attempt), or the connection they leave open is never counted as warm.
        var warm = _warmth.Enter();
        attempt?.Starting(warm);
        try
        {
            return await SendOnWireAsync(message, request, host, attempt, cancellationToken).ConfigureAwait(false);
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

    private async Task<LarkResponse> SendOnWireAsync(HttpRequestMessage message, LarkRequest request, string host, Delivery.DeliveryAttempt? attempt, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            // Headers first: the body is read below under a size cap, never buffered whole by HttpClient.
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

            // The answer's first byte is back: the moment the round trip is measured to, before any reading or scheduling.
            attempt?.HeadersIn();
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

    // Reads the body, decompressed, failing as soon as it passes MaxAnswerBytes: memory stays bounded whatever is sent.
    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, LarkRequest request, string host, string? logId, CancellationToken cancellationToken)
    {
        LarkApiException TooLarge(string size) => new(
            $"Could not {request.Description}: {host} sent an answer of {size}, more than the {MaxAnswerBytes / (1024 * 1024)} MB any Lark answer needs; it was not read{LogIdSuffix(logId)}.",
            0, null, response.StatusCode, logId, operation: request.Operation, pseudoCode: LarkCodeTable.AnswerTooLarge, mayHaveArrived: true, idempotent: request.Idempotent);

        if (response.Content.Headers.ContentLength is > MaxAnswerBytes)
        {
            throw TooLarge(response.Content.Headers.ContentLength.Value.ToString(CultureInfo.InvariantCulture) + " bytes");
        }

        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw TooLarge("more than " + MaxAnswerBytes.ToString(CultureInfo.InvariantCulture) + " bytes");
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static LarkResponse Interpret(LarkRequest request, HttpResponseMessage response, byte[] bytes, string? logId, string host)
    {
        var status = response.StatusCode;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Lark answers plain text for an unknown path ("404 page not found"), and gateways send HTML on 5xx.
            var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200)).Trim();
            var isNotFound = status == HttpStatusCode.NotFound;
            throw new LarkApiException(
                $"Could not {request.Description}: {host} answered HTTP {(int)status} {status}" +
                (text.Length > 0 ? $" with '{text}'" : string.Empty) + LogIdSuffix(logId) +
                (isNotFound ? ". Check that the base URI points at the Lark Open API (https://open.feishu.cn or https://open.larksuite.com)." : "."),
                0, null, status, logId, RetryAfterOf(response), operation: request.Operation,
                pseudoCode: isNotFound ? LarkCodeTable.NotLarkApi : (int)status >= 500 || (int)status == 429 ? null : LarkCodeTable.MalformedAnswer,
                idempotent: request.Idempotent);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(request, status, logId, host, "is JSON " + KindOf(root) + ", not an object");
        }

        int? code = null;
        if (root.TryGetProperty("code", out var codeElement))
        {
            if (codeElement.ValueKind != JsonValueKind.Number || !codeElement.TryGetInt32(out var c))
            {
                throw Malformed(request, status, logId, host, "has 'code' as " + KindOf(codeElement) + ", not a whole number");
            }

            code = c;
        }

        var msg = root.TryGetProperty("msg", out var msgElement) && msgElement.ValueKind == JsonValueKind.String ? msgElement.GetString() : null;

        // Older custom-bot hooks answer {"StatusCode":0,"StatusMessage":"success"} without code and msg.
        code ??= root.TryGetProperty("StatusCode", out var legacyCode) && legacyCode.TryGetInt32(out var l) ? l : (int?)null;
        msg ??= root.TryGetProperty("StatusMessage", out var legacyMsg) && legacyMsg.ValueKind == JsonValueKind.String ? legacyMsg.GetString() : null;
        string? troubleshooter = null;
        var violations = new List<LarkFieldViolation>();
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            logId ??= StringOf(error, "log_id");
            troubleshooter = StringOf(error, "troubleshooter");
            if (error.TryGetProperty("field_violations", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                violations.AddRange(list.EnumerateArray()
                    .Where(v => v.ValueKind == JsonValueKind.Object)
                    .Select(v => new LarkFieldViolation(StringOf(v, "field"), StringOf(v, "value"), StringOf(v, "description"))));
            }
        }

        if (code == LarkErrorCodes.Success && (int)status < 400)
        {
            return new LarkResponse(status, root, logId, host);
        }

        if (code is null && (int)status < 400)
        {
            throw Malformed(request, status, logId, host, "has no 'code' field");
        }

        var effectiveCode = code ?? 0;
        var detail = new StringBuilder();
        detail.Append("Lark refused to ").Append(request.Description).Append(": code ").Append(effectiveCode.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(msg))
        {
            detail.Append(" (").Append(msg).Append(')');
        }

        detail.Append(", HTTP ").Append(((int)status).ToString(CultureInfo.InvariantCulture));
        foreach (var violation in violations)
        {
            detail.Append("; ").Append(violation.Field).Append(": ").Append(violation.Description);
        }

        detail.Append(LogIdSuffix(logId)).Append('.');
        throw new LarkApiException(
            detail.ToString(), effectiveCode, msg, status, logId, RetryAfterOf(response), violations, troubleshooter,
            operation: request.Operation, idempotent: request.Idempotent);
    }

    /// <summary>An answer that is not in Lark's format: a LarkPS error that names what is wrong, never a raw .NET one.</summary>
    internal static LarkApiException Malformed(LarkRequest request, HttpStatusCode status, string? logId, string host, string what) =>
        new(
            $"Could not {request.Description}: the answer from {host} (HTTP {(int)status}) {what}, which is not Lark's format{LogIdSuffix(logId)}.",
            0, null, status, logId, operation: request.Operation, pseudoCode: LarkCodeTable.MalformedAnswer, mayHaveArrived: true, idempotent: request.Idempotent);

    internal static string KindOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    // A connection that was never made (refused, unknown host): Lark cannot have received anything.
    private static bool NeverConnected(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException socket)
            {
                return socket.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionRefused
                    or System.Net.Sockets.SocketError.HostNotFound
                    or System.Net.Sockets.SocketError.HostUnreachable
                    or System.Net.Sockets.SocketError.NetworkUnreachable
                    or System.Net.Sockets.SocketError.NoData
                    or System.Net.Sockets.SocketError.TryAgain;
            }
        }

        return false;
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var reset = Header(response, "x-ogw-ratelimit-reset");
        if (reset is not null && double.TryParse(reset, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            // A gateway's absurd value must not overflow; no reset is longer than Lark's one-minute window anyway.
            return TimeSpan.FromSeconds(Math.Min(seconds, 3600));
        }

        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string LogIdSuffix(string? logId) => logId is null ? string.Empty : "; log id " + logId;

    private static string Flatten(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null && parts.Count < 3; e = e.InnerException)
        {
            parts.Add(e.Message.TrimEnd('.'));
        }

        return string.Join(": ", parts);
    }
}
