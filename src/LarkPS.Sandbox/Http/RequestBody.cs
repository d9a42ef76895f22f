using System.Text;
using System.Text.Json;

namespace LarkPS.Sandbox.Http;

/// <summary>
/// Reads a JSON request body once and shares it between the request log and the endpoint,
/// so nothing needs to rewind the stream.
/// </summary>
internal static class RequestBody
{
    private const string BytesItem = "larkps.body";

    public static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        if (context.Items[BytesItem] is byte[] cached)
        {
            return cached;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        context.Items[BytesItem] = bytes;
        return bytes;
    }

    public static string? CachedText(HttpContext context) =>
        context.Items[BytesItem] is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The body as a JSON object, or null when it is empty, not JSON, or not an object.</summary>
    public static async Task<JsonElement?> ReadObjectAsync(HttpContext context)
    {
        var bytes = await ReadBytesAsync(context).ConfigureAwait(false);
        if (bytes.Length == 0)
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
