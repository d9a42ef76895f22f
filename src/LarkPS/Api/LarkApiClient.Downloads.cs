using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Api;

/// <summary>
/// The choke point's streaming answer path (issue 25): a download's body goes to its request's sink as a stream,
/// bounded by <see cref="MaxDownloadBytes"/>; the token, pacing, redirect refusal and error reading are the same as for
/// every call (an error answer is Lark's JSON, read and classified as always).
/// </summary>
internal sealed partial class LarkApiClient
{
    /// <summary>The most a download may have: Lark's 100 MB limit for a message's resource, and a little room.</summary>
    public const long MaxDownloadBytes = 101L * 1024 * 1024;

    private static readonly JsonElement EmptyAnswer = JsonDocument.Parse("{}").RootElement.Clone();

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static async Task<LarkResponse> StreamAnswerAsync(IAnswerSink sink, HttpResponseMessage response, LarkRequest request, string host, string? logId, CancellationToken cancellationToken)
    {
        LarkApiException TooLarge(string size) => new(
            $"Could not {request.Description}: {host} sent {size}, more than the {MaxDownloadBytes / (1024 * 1024)} MB a message's resource may have; it was not kept{LogIdSuffix(logId)}.",
            0, null, response.StatusCode, logId, operation: request.Operation, pseudoCode: LarkCodeTable.AnswerTooLarge, mayHaveArrived: true, idempotent: request.Idempotent);

        var headers = response.Content.Headers;
        if (headers.ContentLength is > MaxDownloadBytes)
        {
            throw TooLarge(headers.ContentLength.Value.ToString(CultureInfo.InvariantCulture) + " bytes");
        }

        var disposition = headers.ContentDisposition;
        var name = Unquote(disposition?.FileNameStar) ?? Unquote(disposition?.FileName);
        var described = new DownloadHeaders(headers.ContentLength, headers.ContentType?.MediaType, name);
        try
        {
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var bounded = new BoundedReadStream(body, MaxDownloadBytes);
            await sink.ReceiveAsync(bounded, described, cancellationToken).ConfigureAwait(false);
        }
        catch (AnswerTooLargeException)
        {
            throw TooLarge("more than " + MaxDownloadBytes.ToString(CultureInfo.InvariantCulture) + " bytes");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            throw new LarkApiException(
                $"Could not {request.Description}: the download from {host} broke off ({Flatten(ex)})",
                0, null, response.StatusCode, logId, isTransport: true, innerException: ex, operation: request.Operation,
                mayHaveArrived: true, idempotent: request.Idempotent);
        }

        return new LarkResponse(response.StatusCode, EmptyAnswer, logId, host);
    }

    private static string? Unquote(string? value)
    {
        var trimmed = value?.Trim().Trim('"');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
