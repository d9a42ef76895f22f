using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace LarkPS.Sandbox.Http;

/// <summary>
/// Reads a JSON request body once and shares it between the request log and the endpoint,
/// so nothing needs to rewind the stream. At most <see cref="MaxBufferedBytes"/> are kept, however the body
/// was sent (Content-Length or chunked): the rest is read and counted, never held.
/// </summary>
internal static class RequestBody
{
    /// <summary>
    /// JSON bodies above this are not kept. Lark's largest JSON body is a 150 KB text message; an upload
    /// (multipart) is read by its endpoint as a stream and never through here.
    /// </summary>
    public const int MaxBufferedBytes = 1024 * 1024;

    private const string BytesItem = "larkps.body";
    private const string SizeItem = "larkps.body.size";

    public static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The body, or an empty array when it was larger than <see cref="MaxBufferedBytes"/> (see <see cref="IsOversized"/>).</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        if (context.Items[BytesItem] is byte[] cached)
        {
            return cached;
        }

        var declared = context.Request.ContentLength;
        using var buffer = new MemoryStream(declared is > 0 and <= MaxBufferedBytes ? (int)declared : 16 * 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk.AsMemory(), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                total += read;
                context.Items[SizeItem] = total;
                if (total <= MaxBufferedBytes)
                {
                    buffer.Write(chunk, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var bytes = total > MaxBufferedBytes ? [] : buffer.ToArray();
        context.Items[SizeItem] = total;
        context.Items[BytesItem] = bytes;
        return bytes;
    }

    /// <summary>How many body bytes arrived so far through <see cref="ReadBytesAsync"/>.</summary>
    public static long ReceivedBytes(HttpContext context) => context.Items[SizeItem] as long? ?? 0;

    /// <summary>True when the body was read and was too large to keep.</summary>
    public static bool IsOversized(HttpContext context) => ReceivedBytes(context) > MaxBufferedBytes;

    public static string? CachedText(HttpContext context) =>
        context.Items[BytesItem] is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The body as a JSON object, or null when it is empty, too large, not UTF-8, not JSON, or not an object.</summary>
    public static async Task<JsonElement?> ReadObjectAsync(HttpContext context)
    {
        var bytes = await ReadBytesAsync(context).ConfigureAwait(false);

        // Invalid UTF-8 inside a JSON string parses, then throws when the string is read: refuse it here, once.
        if (bytes.Length == 0 || !Utf8.IsValid(bytes))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
