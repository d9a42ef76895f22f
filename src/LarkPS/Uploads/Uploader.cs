using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;

namespace LarkPS.Uploads;

/// <summary>
/// Uploads local files for messages (POST im/v1/images with image_type=message, POST im/v1/files with file_type and
/// file_name) and remembers each key on the connection by content hash: the same file sent to many receivers, or
/// retried, goes up once. A failed upload is forgotten so the next attempt tries again.
/// </summary>
/// <remarks>
/// An upload runs inside the send attempt of the item that needs it, so it is retried as that send is (the delivery
/// engine's retry policy, the code table's rows). The choke point paces it in the upload windows (the endpoint table's
/// quota class: Lark counts uploads apart from sends, 50/s and 1000/min), and a quota refusal, carrying the upload's
/// ticket, slows those windows down when the send's verdict is decided.
/// </remarks>
internal sealed class Uploader
{
    private readonly LarkApiClient _client;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _keys = new(StringComparer.Ordinal);
    private int _uploads;

    public Uploader(LarkApiClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
    }

    /// <summary>Upload requests that succeeded on this connection.</summary>
    public int Uploads => Volatile.Read(ref _uploads);

    /// <summary>The image_key or file_key for <paramref name="attachment"/>, uploading it unless this content already went up.</summary>
    public async Task<string> GetKeyAsync(LocalAttachment attachment, CancellationToken cancellationToken)
    {
        if (attachment is null)
        {
            throw new ArgumentNullException(nameof(attachment));
        }

        // The shared upload runs without the first waiter's token: another item may still need it after that one stops.
        var lazy = _keys.GetOrAdd(attachment.Hash, _ => new Lazy<Task<string>>(() => UploadAsync(attachment, CancellationToken.None)));
        try
        {
            // The shared upload is not cancelled by one waiter's Ctrl+C; the wait is.
            return await Threading.CancellableWait.WaitAsync(lazy.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && lazy.Value.IsFaulted)
        {
            _keys.TryRemove(attachment.Hash, out _);
            throw;
        }
    }

    private async Task<string> UploadAsync(LocalAttachment attachment, CancellationToken cancellationToken)
    {
        var bytes = File.ReadAllBytes(attachment.Path);
        var isImage = attachment.Kind == AttachmentKind.Image;
        var request = new LarkRequest(
            HttpMethod.Post,
            isImage ? "open-apis/im/v1/images" : "open-apis/im/v1/files",
            isImage ? LarkOperation.UploadImage : LarkOperation.UploadFile,
            isImage ? "upload the image '" + attachment.FileName + "'" : "upload the file '" + attachment.FileName + "'")
        {
            ContentFactory = () => Form(attachment, bytes),
        };
        var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var field = isImage ? "image_key" : "file_key";
        var data = response.Data;
        var key = data.ValueKind == JsonValueKind.Object && data.TryGetProperty(field, out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (string.IsNullOrEmpty(key))
        {
            throw new LarkApiException($"Lark accepted the upload of '{attachment.FileName}' but returned no {field} (log id {response.LogId ?? "none"}).", 0, null, response.Status, response.LogId, operation: isImage ? LarkOperation.UploadImage : LarkOperation.UploadFile);
        }

        Interlocked.Increment(ref _uploads);
        return key!;
    }

    private static MultipartFormDataContent Form(LocalAttachment attachment, byte[] bytes)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (attachment.Kind == AttachmentKind.Image)
        {
            form.Add(new StringContent("message"), "image_type");
            form.Add(file, "image", attachment.FileName);
        }
        else
        {
            form.Add(new StringContent(attachment.FileType), "file_type");
            form.Add(new StringContent(attachment.FileName), "file_name");
            form.Add(file, "file", attachment.FileName);
        }

        return form;
    }
}
