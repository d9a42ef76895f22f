using System.Text.Json;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;
using Microsoft.Net.Http.Headers;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Issue 25: GET /open-apis/im/v1/messages/{message_id}/resources/{file_key}?type=image|file, the bytes that were
/// uploaded under a key the message carries, streamed from disk with Content-Type, Content-Disposition (filename and
/// filename*) and Range support (the official CLI asks for files in ranges). Refusals are Lark's JSON with an HTTP
/// error status (LARK-API.md, Resources): 234001 bad parameter, 234003 key not in the message, 234004 bot not in the
/// chat, 234043 a type that has no resources, 230110 recalled, 99991672 without im:resource.
/// </summary>
internal static class ResourceEndpoints
{
    public const string Quota = "im/v1/messages:resources";

    public const int InvalidParam = 234001;
    public const int NotInMessage = 234003;
    public const int AppNotInChat = 234004;
    public const int UnsupportedType = 234043;
    public const int MissingScope = 99991672;

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/open-apis/im/v1/messages/{message_id}/resources/{file_key}", ApiGate.Authorized(state, c => DownloadAsync(c, state)));
    }

    private static async Task DownloadAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, Quota, state.Now).ConfigureAwait(false))
        {
            return;
        }

        var messageId = (string)context.Request.RouteValues["message_id"]!;
        var key = (string)context.Request.RouteValues["file_key"]!;
        var type = context.Request.Query["type"].ToString();
        var stored = state.Messages.Find(messageId);
        var message = stored?.Message;
        var (status, code, msg) = !state.Scopes.Has(SandboxScopes.Resource)
                ? (StatusCodes.Status400BadRequest, MissingScope, "Access denied. One of the following scopes is required: [im:resource].")
            : type is not ("image" or "file") ? (StatusCodes.Status400BadRequest, InvalidParam, "invalid param: type must be image or file")
            : message is null ? (StatusCodes.Status400BadRequest, LarkCodes.MessageIdNotExist, MessageEndpoints.UnknownMessage(messageId).Msg)
            : state.Directory.Chats.Find(c => c.ChatId == message.ChatId) is { BotIsMember: false } ? (StatusCodes.Status400BadRequest, AppNotInChat, "The app is not in the chat.")
            : message.Deleted ? (StatusCodes.Status400BadRequest, LarkCodes.MessageDeleted, "The message was deleted.")
            : message.MsgType is "sticker" or "interactive" or "merge_forward" or "folder" ? (StatusCodes.Status400BadRequest, UnsupportedType, "The message type has no downloadable resources.")
            : !KeysOf(message).Contains((key, type)) ? (StatusCodes.Status400BadRequest, NotInMessage, "The file is not in the message (or not of this type).")
            : (0, 0, string.Empty);
        var path = status == 0 ? state.Uploads.BlobOf(key) : null;
        if (status == 0 && path is null)
        {
            (status, code, msg) = (StatusCodes.Status400BadRequest, NotInMessage, "The resource is not available (the sandbox did not issue this key).");
        }

        if (status != 0)
        {
            await LarkResponses.Error(context, status, code, msg).ConfigureAwait(false);
            return;
        }

        var upload = state.Uploads.Find(key);
        var contentType = upload?.ContentType ?? ContentTypeOf(upload?.FileName);
        var result = Results.File(path!, contentType, fileDownloadName: upload?.FileName ?? (type == "image" ? key + ExtensionOf(contentType) : key), enableRangeProcessing: true);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>Every (key, type) the message carries: an image's image_key, a file's, audio's or media's file_key, a post's img and media nodes.</summary>
    internal static HashSet<(string Key, string Type)> KeysOf(DeliveredMessage message)
    {
        var keys = new HashSet<(string, string)>();
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(message.Content);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return keys;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return keys;
        }

        switch (message.MsgType)
        {
            case "image":
                Add(root, "image_key", "image");
                break;
            case "file" or "audio" or "media":
                Add(root, "file_key", "file");
                Add(root, "image_key", "image");
                break;
            case "post":
                Walk(root);
                break;
        }

        return keys;

        void Add(JsonElement node, string name, string type)
        {
            if (node.String(name) is { Length: > 0 } value)
            {
                keys.Add((value, type));
            }
        }

        void Walk(JsonElement node)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                var tag = node.String("tag");
                if (tag == "img")
                {
                    Add(node, "image_key", "image");
                }
                else if (tag == "media")
                {
                    Add(node, "file_key", "file");
                    Add(node, "image_key", "image");
                }

                foreach (var property in node.EnumerateObject())
                {
                    Walk(property.Value);
                }
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }
    }

    private static string ContentTypeOf(string? fileName) => Path.GetExtension(fileName ?? string.Empty).ToUpperInvariant() switch
    {
        ".PDF" => "application/pdf",
        ".TXT" or ".LOG" => "text/plain",
        ".CSV" => "text/csv",
        ".ZIP" => "application/zip",
        ".MP4" => "video/mp4",
        ".OPUS" => "audio/opus",
        _ => "application/octet-stream",
    };

    private static string ExtensionOf(string contentType) => new MediaTypeHeaderValue(contentType).MediaType.Value switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/bmp" => ".bmp",
        _ => string.Empty,
    };
}
