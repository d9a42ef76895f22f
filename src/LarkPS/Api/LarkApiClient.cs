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
public sealed class LarkApiClient : IDisposable
{
    /// <summary>The header Lark puts its log id in.</summary>
    public const string LogIdHeader = "X-Tt-Logid";

    private static readonly string UserAgent =
        "LarkPS/" + typeof(LarkApiClient).Assembly.GetName().Version?.ToString(3) + " (PowerShell)";

    private readonly HttpClient _http;

    public LarkApiClient(Uri baseUri, HttpMessageHandler handler, TimeSpan timeout)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri));
        }

        BaseUri = baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
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

    /// <summary>The token cache; set once by the connection that owns this client.</summary>
    public TokenCache? Tokens { get; set; }

    /// <summary>Sends <paramref name="request"/>; returns only on code 0, throws <see cref="LarkApiException"/> otherwise.</summary>
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

        var tokens = Tokens ?? throw new InvalidOperationException("This client has no token cache.");
        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendOnceAsync(request, token.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (LarkApiException ex) when (LarkErrorCodes.IsTokenInvalid(ex.Code))
        {
            // Lark revoked or expired the token early: drop it, refresh once, try once more.
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

        var request = new LarkRequest(HttpMethod.Post, "open-apis/auth/v3/tenant_access_token/internal", "get a tenant access token")
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
        if (!root.TryGetProperty("tenant_access_token", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("expire", out var expireElement) || !expireElement.TryGetInt64(out var expireSeconds)
            || expireSeconds <= 0 || expireSeconds > 7 * 24 * 3600)
        {
            throw new LarkApiException(
                "Lark's token answer had no tenant_access_token or no sensible expire field (log id " + (response.LogId ?? "none") + ").",
                0, null, response.Status, response.LogId);
        }

        return new TenantToken(tokenElement.GetString()!, clock.UtcNow.AddSeconds(expireSeconds));
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

    private async Task<LarkResponse> SendOnceAsync(LarkRequest request, string? token, CancellationToken cancellationToken)
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
            message.Content = new ByteArrayContent(request.JsonBody);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // A timeout shows as a cancellation that is not ours; a reset or refusal as HttpRequestException.
            var what = ex is OperationCanceledException ? "timed out after " + _http.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s" : "failed: " + Flatten(ex);
            throw new LarkApiException(
                $"Could not {request.Operation}: the request to {BaseUri.Host} {what}",
                0, null, null, null, isTransport: true, innerException: ex);
        }

        using (response)
        {
            var logId = Header(response, LogIdHeader);
            byte[] bytes;
            try
            {
                bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw new LarkApiException(
                    $"Could not {request.Operation}: the answer from {BaseUri.Host} broke off ({Flatten(ex)})",
                    0, null, response.StatusCode, logId, isTransport: true, innerException: ex);
            }

            return Interpret(request, response, bytes, logId);
        }
    }

    private LarkResponse Interpret(LarkRequest request, HttpResponseMessage response, byte[] bytes, string? logId)
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
            throw new LarkApiException(
                $"Could not {request.Operation}: {BaseUri.Host} answered HTTP {(int)status} {status}" +
                (text.Length > 0 ? $" with '{text}'" : string.Empty) + LogIdSuffix(logId) +
                (status == HttpStatusCode.NotFound ? ". Check that the base URI points at the Lark Open API (https://open.feishu.cn or https://open.larksuite.com)." : "."),
                0, null, status, logId, RetryAfterOf(response));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LarkApiException(
                $"Could not {request.Operation}: {BaseUri.Host} answered HTTP {(int)status} with JSON that is not an object{LogIdSuffix(logId)}.",
                0, null, status, logId);
        }

        var code = root.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt32(out var c) ? c : (int?)null;
        var msg = root.TryGetProperty("msg", out var msgElement) && msgElement.ValueKind == JsonValueKind.String ? msgElement.GetString() : null;
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
            return new LarkResponse(status, root, logId);
        }

        var effectiveCode = code ?? 0;
        var detail = new StringBuilder();
        detail.Append("Lark refused to ").Append(request.Operation).Append(": code ").Append(effectiveCode.ToString(CultureInfo.InvariantCulture));
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
        throw new LarkApiException(detail.ToString(), effectiveCode, msg, status, logId, RetryAfterOf(response), violations, troubleshooter);
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
