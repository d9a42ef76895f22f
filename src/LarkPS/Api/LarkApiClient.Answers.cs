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

namespace LarkPS.Api;

/// <summary>The choke point's reading of answers: bounded bodies, Lark's format, one typed exception for every failure.</summary>
internal sealed partial class LarkApiClient
{
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
