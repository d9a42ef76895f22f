using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// POST /open-apis/im/v1/images and /files (multipart), under Lark's limits: 10 MB images and 30 MB
/// files (234006), no empty ones (234010), images judged by their bytes (234011) and their size in
/// pixels (234039). The key and its upload type are remembered so a send with a key of the wrong kind
/// fails as Lark's does (230055); image bytes and file names are kept for the inbox page
/// (GET /_sandbox/uploads/{key}). Lark's HTTP status for the 2340xx codes is *unconfirmed*: 400 here.
/// </summary>
internal static class UploadEndpoints
{
    private const long MaxImageBytes = 10L * 1024 * 1024;
    private const long MaxFileBytes = 30L * 1024 * 1024;
    private const int MaxGifSide = 2000;
    private const int MaxImageSide = 12000;

    // Enough of a file to judge its format and find a JPEG's frame header past its EXIF block.
    private const int FileHeadBytes = 256 * 1024;
    private static readonly string[] ImageTypes = ["message", "avatar"];
    private static readonly string[] FileTypes = ["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"];

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/open-apis/im/v1/images", ApiGate.Authorized(state, c => UploadImageAsync(c, state)));
        routes.MapPost("/open-apis/im/v1/files", ApiGate.Authorized(state, c => UploadFileAsync(c, state)));
        routes.MapGet("/_sandbox/uploads/{key}", c => ShowAsync(c, state));
    }

    /// <summary>What the inbox shows beside a message whose key this sandbox issued; null otherwise.</summary>
    internal static JsonObject? AttachmentOf(DeliveredMessage message, SandboxState state)
    {
        if (message.MsgType is not ("image" or "file" or "audio" or "media"))
        {
            return null;
        }

        string? key;
        try
        {
            using var content = JsonDocument.Parse(message.Content);
            key = content.RootElement.String(message.MsgType == "image" ? "image_key" : "file_key");
        }
        catch (JsonException)
        {
            return null;
        }

        if (key is null || state.Uploads.Find(key) is not { } upload)
        {
            return null;
        }

        var attachment = new JsonObject
        {
            ["key"] = key,
            ["file_type"] = upload.FileType,
            ["file_name"] = upload.FileName,
            ["size"] = upload.Size,
        };
        if (upload.Bytes is not null)
        {
            attachment["url"] = "/_sandbox/uploads/" + Uri.EscapeDataString(key);
        }

        return attachment;
    }

    private static async Task UploadImageAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.Images, state.Now).ConfigureAwait(false))
        {
            return;
        }

        // Images are kept whole (at most 10 MB) so the inbox page can show them.
        using var blob = new UploadBlob(state.Uploads);
        var form = await ReadFormAsync(context, "image", MaxImageBytes, (int)MaxImageBytes, blob.Stream).ConfigureAwait(false);
        if (form is null)
        {
            return;
        }

        var imageType = form.Field("image_type");
        var info = form.FileBytes > 0 ? ImageFormat.Identify(form.FileHead) : null;
        var problem = !ImageTypes.Contains(imageType) ? Invalid("image_type", "image_type must be message or avatar")
            : form.FileTooLarge ? TooLarge("image", MaxImageBytes)
            : form.FileBytes is null ? Invalid("image", "image is required")
            : form.FileBytes == 0 ? Empty("image")
            : info is null ? BadFormat()
            : TooManyPixels(info);
        if (problem is not null)
        {
            await problem(context).ConfigureAwait(false);
            return;
        }

        var key = "img_v3_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        blob.Keep(key);
        state.Uploads.Remember(new UploadRecord(key, UploadStore.ImageType, null, form.FileBytes!.Value, info!.ContentType, form.FileHead));
        await LarkResponses.Ok(context, new JsonObject { ["image_key"] = key }).ConfigureAwait(false);
    }

    private static async Task UploadFileAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.Files, state.Now).ConfigureAwait(false))
        {
            return;
        }

        using var blob = new UploadBlob(state.Uploads);
        var form = await ReadFormAsync(context, "file", MaxFileBytes, 0, blob.Stream).ConfigureAwait(false);
        if (form is null)
        {
            return;
        }

        var fileType = form.Field("file_type");
        var fileName = form.Field("file_name");
        var duration = form.Field("duration");
        var problem = !FileTypes.Contains(fileType) ? Invalid("file_type", "file_type must be one of " + string.Join(", ", FileTypes))
            : fileName.Length == 0 ? Invalid("file_name", "file_name is required")
            : duration.Length > 0 && !int.TryParse(duration, out _) ? Invalid("duration", "duration must be whole milliseconds")
            : form.FileTooLarge ? TooLarge("file", MaxFileBytes)
            : form.FileBytes is null ? Invalid("file", "file is required")
            : form.FileBytes == 0 ? Empty("file")
            : null;
        if (problem is not null)
        {
            await problem(context).ConfigureAwait(false);
            return;
        }

        var key = "file_v3_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        blob.Keep(key);
        state.Uploads.Remember(new UploadRecord(key, fileType, fileName, form.FileBytes!.Value, null, null));
        await LarkResponses.Ok(context, new JsonObject { ["file_key"] = key }).ConfigureAwait(false);
    }

    /// <summary>The form, or null once an error has been answered.</summary>
    private static async Task<MultipartUpload?> ReadFormAsync(HttpContext context, string fileField, long maxFileBytes, int keepBytes, Stream copyTo)
    {
        MultipartUpload? form;
        try
        {
            form = await MultipartUpload.ReadAsync(context, fileField, maxFileBytes, Math.Max(keepBytes, FileHeadBytes), copyTo).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's request body limit tripped: the upload is too large.
            await TooLarge(fileField, maxFileBytes)(context).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            await Invalid(fileField, "the multipart body is malformed")(context).ConfigureAwait(false);
            return null;
        }

        if (form is null)
        {
            await Invalid("Content-Type", "uploads are multipart/form-data")(context).ConfigureAwait(false);
        }

        return form;
    }

    private static Func<HttpContext, Task> Invalid(string field, string description) => context =>
        LarkResponses.Error(
            context, StatusCodes.Status400BadRequest, LarkCodes.UploadInvalidParam, "invalid param: " + description,
            [new FieldViolation(field, null, description)]);

    private static async Task ShowAsync(HttpContext context, SandboxState state)
    {
        var key = (string)context.Request.RouteValues["key"]!;
        if (state.Uploads.Find(key) is not { Bytes: { } bytes, ContentType: { } type })
        {
            await LarkResponses.NotFound(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = type;
        context.Response.Headers.CacheControl = "private, max-age=3600";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static Func<HttpContext, Task>? TooManyPixels(ImageInfo info)
    {
        var limit = info.Format == "gif" ? MaxGifSide : MaxImageSide;
        return info.Width > limit || info.Height > limit
            ? context => LarkResponses.Error(
                context, StatusCodes.Status400BadRequest, LarkCodes.UploadBadResolution, "The image resolution exceeds the limit.",
                [new FieldViolation("image", $"{info.Width}x{info.Height}", $"a {info.Format} may be at most {limit}x{limit} pixels")])
            : null;
    }

    private static Func<HttpContext, Task> Empty(string field) => context =>
        LarkResponses.Error(
            context, StatusCodes.Status400BadRequest, LarkCodes.UploadEmpty, "File's size can't be 0.",
            [new FieldViolation(field, null, $"{field} holds no bytes")]);

    private static Func<HttpContext, Task> BadFormat() => context =>
        LarkResponses.Error(
            context, StatusCodes.Status400BadRequest, LarkCodes.UploadBadImageFormat, "The image format is not supported.",
            [new FieldViolation("image", null, "the bytes are not JPG, PNG, WEBP, GIF, BMP, ICO, TIFF or HEIC")]);

    private static Func<HttpContext, Task> TooLarge(string field, long limit) => context =>
        LarkResponses.Error(
            context, StatusCodes.Status400BadRequest, LarkCodes.UploadTooLarge, "The file size exceeds the limit.",
            [new FieldViolation(field, null, $"at most {limit / (1024 * 1024)} MB")]);

    /// <summary>An upload's bytes on their way to disk (issue 25): kept under the key when accepted, deleted otherwise.</summary>
    private sealed class UploadBlob(UploadStore uploads) : IDisposable
    {
        private bool kept;

        public FileStream Stream { get; } = new(uploads.NewBlobPath(), FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);

        public void Keep(string key)
        {
            Stream.Dispose();
            uploads.KeepBlob(key, Stream.Name);
            kept = true;
        }

        public void Dispose()
        {
            Stream.Dispose();
            if (!kept)
            {
                File.Delete(Stream.Name);
            }
        }
    }
}
