using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// POST /open-apis/im/v1/images and /files (multipart). The bytes are thrown away; the key and its
/// upload type are remembered so a send with a key of the wrong kind fails as Lark's does (230055).
/// </summary>
internal static class UploadEndpoints
{
    private const long MaxImageBytes = 10L * 1024 * 1024;
    private const long MaxFileBytes = 30L * 1024 * 1024;
    private static readonly string[] ImageTypes = ["message", "avatar"];
    private static readonly string[] FileTypes = ["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"];

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/open-apis/im/v1/images", ApiGate.Authorized(state, c => UploadImageAsync(c, state)));
        routes.MapPost("/open-apis/im/v1/files", ApiGate.Authorized(state, c => UploadFileAsync(c, state)));
    }

    private static async Task UploadImageAsync(HttpContext context, SandboxState state)
    {
        var form = await ReadFormAsync(context, "image", MaxImageBytes).ConfigureAwait(false);
        if (form is null)
        {
            return;
        }

        var imageType = form.Field("image_type");
        var problem = !ImageTypes.Contains(imageType) ? Invalid("image_type", "image_type must be message or avatar")
            : form.FileTooLarge ? TooLarge("image", MaxImageBytes)
            : form.FileBytes is null or 0 ? Invalid("image", "image is required and may not be empty")
            : null;
        if (problem is not null)
        {
            await problem(context).ConfigureAwait(false);
            return;
        }

        var key = "img_v3_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        state.Uploads.Remember(key, UploadStore.ImageType);
        await LarkResponses.Ok(context, new JsonObject { ["image_key"] = key }).ConfigureAwait(false);
    }

    private static async Task UploadFileAsync(HttpContext context, SandboxState state)
    {
        var form = await ReadFormAsync(context, "file", MaxFileBytes).ConfigureAwait(false);
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
            : form.FileBytes is null or 0 ? Invalid("file", "file is required and may not be empty")
            : null;
        if (problem is not null)
        {
            await problem(context).ConfigureAwait(false);
            return;
        }

        var key = "file_v3_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        state.Uploads.Remember(key, fileType);
        await LarkResponses.Ok(context, new JsonObject { ["file_key"] = key }).ConfigureAwait(false);
    }

    /// <summary>The form, or null once an error has been answered.</summary>
    private static async Task<MultipartUpload?> ReadFormAsync(HttpContext context, string fileField, long maxFileBytes)
    {
        MultipartUpload? form;
        try
        {
            form = await MultipartUpload.ReadAsync(context, fileField, maxFileBytes).ConfigureAwait(false);
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

    private static Func<HttpContext, Task> TooLarge(string field, long limit) => context =>
        LarkResponses.Error(
            context, StatusCodes.Status400BadRequest, LarkCodes.UploadTooLarge, "The file size exceeds the limit.",
            [new FieldViolation(field, null, $"at most {limit / (1024 * 1024)} MB")]);
}
