using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LarkPS.Sandbox.Http;

/// <summary>
/// An upload form read by hand. ASP.NET's form reader only treats parts with a filename as files,
/// but the official Node SDK sends a Buffer as a part with no filename: Lark takes it, so must we.
/// The bytes are counted; only the first <c>keepBytes</c> of them are kept (to judge the format).
/// </summary>
internal sealed class MultipartUpload
{
    private MultipartUpload(Dictionary<string, string> fields, long? fileBytes, bool fileTooLarge, byte[] fileHead)
    {
        Fields = fields;
        FileBytes = fileBytes;
        FileTooLarge = fileTooLarge;
        FileHead = fileHead;
    }

    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The size of the file part, or null when there was none.</summary>
    public long? FileBytes { get; }

    public bool FileTooLarge { get; }

    /// <summary>The first bytes of the file part (at most the keepBytes asked for).</summary>
    public byte[] FileHead { get; }

    public string Field(string name) => Fields.TryGetValue(name, out var value) ? value : string.Empty;

    /// <summary>Null when the request is not multipart/form-data.</summary>
    public static async Task<MultipartUpload?> ReadAsync(HttpContext context, string fileField, long maxFileBytes, int keepBytes = 0, Stream? copyTo = null)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null
            || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        long? fileBytes = null;
        var tooLarge = false;
        using var head = new MemoryStream();
        var reader = new MultipartReader(boundary, context.Request.Body);
        var cancel = context.RequestAborted;
        while (await reader.ReadNextSectionAsync(cancel).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            if (string.Equals(name, fileField, StringComparison.Ordinal))
            {
                fileBytes = await CountAsync(section.Body, maxFileBytes + 1, head, keepBytes, copyTo, cancel).ConfigureAwait(false);
                tooLarge = fileBytes > maxFileBytes;
                if (tooLarge)
                {
                    break;
                }

                continue;
            }

            using var text = new StreamReader(section.Body);
            fields[name] = await text.ReadToEndAsync(cancel).ConfigureAwait(false);
        }

        return new MultipartUpload(fields, fileBytes, tooLarge, head.ToArray());
    }

    // copyTo (issue 25): where the whole file goes as it is read, for downloads later; null keeps only the head.
    private static async Task<long> CountAsync(Stream body, long stopAt, MemoryStream head, int keepBytes, Stream? copyTo, CancellationToken cancel)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while (total < stopAt && (read = await body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
        {
            var keep = (int)Math.Min(read, Math.Max(0, keepBytes - head.Length));
            head.Write(buffer, 0, keep);
            if (copyTo is not null)
            {
                await copyTo.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
            }

            total += read;
        }

        return total;
    }
}
