using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;
using LarkPS.Messages;
using LarkPS.Uploads;

namespace LarkPS.Commands.Support;

/// <summary>
/// Turns local paths into message content before the one validator sees the item: -ImagePath / -FilePath /
/// -LiteralPath, the imagePath / filePath / path properties of a piped item, and img nodes of a post that carry a
/// path. Each file is checked offline against Lark's limits (a problem names the item, the file and the limit); the
/// content gets a placeholder key that the send replaces with the uploaded key. Paths resolve as PowerShell's do.
/// </summary>
internal static partial class AttachmentInputs
{
    private const string ImagePlaceholderPrefix = "img_larkps_upload_";
    private const string FilePlaceholderPrefix = "file_larkps_upload_";

    // Lark's keys run to about 45 characters (img_v2_041b28e3-5680-48c2-9af2-497ace79333g): a placeholder at least
    // as long sizes the body as it will be sent once the real key is filled in.
    private const int PlaceholderLength = 48;

    // The file's content hash is in the placeholder, so two different files never make the same content (the
    // -Journal's key and the run's uuid check compare content before the upload).
    private static string Placeholder(bool image, int index, LocalAttachment? file = null)
    {
        var text = (image ? ImagePlaceholderPrefix : FilePlaceholderPrefix) + index.ToString(CultureInfo.InvariantCulture) + "_"
            + (file is null ? string.Empty : file.Hash.Substring(file.Hash.LastIndexOf(':') + 1).ToLowerInvariant());
        return text.Length >= PlaceholderLength ? text.Substring(0, PlaceholderLength) : text.PadRight(PlaceholderLength, '0');
    }

    /// <summary>
    /// Applies the item's local files (its imagePath / filePath / path / literalPath, or the -ImagePath / -FilePath /
    /// -LiteralPath defaults <see cref="MessageDefaults"/> gave it) to <paramref name="input"/>: contentType and
    /// content with placeholder keys. Returns the files to upload, or null when the item has none. Problems go into
    /// the input's ReadProblems, so Send and Test report them as one, naming the item, the file and the limit.
    /// </summary>
    /// <param name="resolve">Turns a PowerShell path into a file system path (literal when the flag is set); throws when it cannot.</param>
    public static ItemUploads? Apply(MessageInput input, Func<string, bool, string> resolve)
    {
        if (input is null)
        {
            throw new ArgumentNullException(nameof(input));
        }

        var paths = input.Files;
        var imagePath = paths.ImagePath;
        var filePath = paths.FilePath;
        var anyIsLiteral = string.IsNullOrWhiteSpace(paths.Path) && !string.IsNullOrWhiteSpace(paths.LiteralPath);
        var anyPath = anyIsLiteral ? paths.LiteralPath : paths.Path;
        var files = new List<KeyValuePair<string, LocalAttachment>>();
        var given = new List<(string Field, string Path, AttachmentKind? Kind, bool Literal)>();
        if (!string.IsNullOrWhiteSpace(imagePath))
        {
            given.Add(("imagePath", imagePath!, AttachmentKind.Image, false));
        }

        if (!string.IsNullOrWhiteSpace(filePath))
        {
            given.Add(("filePath", filePath!, AttachmentKind.File, false));
        }

        if (!string.IsNullOrWhiteSpace(anyPath))
        {
            given.Add((anyIsLiteral ? "literalPath" : "path", anyPath!, null, anyIsLiteral));
        }

        if (given.Count > 1)
        {
            input.ReadProblems.Add(new ValidationProblem(
                given[1].Field, "is given together with " + given[0].Field, "one file per message (send several messages for several files)", "conflict"));
            return null;
        }

        if (given.Count == 1)
        {
            var (field, path, kind, literal) = given[0];
            var file = Check(input, field, path, kind, literal, resolve);
            if (file is null)
            {
                // The file's problem is the item's problem: no second one for the content it would have filled.
                if (input.Content is null)
                {
                    var image = kind == AttachmentKind.Image;
                    input.ContentType ??= image ? ContentTypes.Image : ContentTypes.File;
                    input.Content = new JsonObject { [image ? "image_key" : "file_key"] = Placeholder(image, 0) }.ToJsonString();
                }

                return null;
            }

            var type = ContentTypes.Normalize(input.ContentType);
            if (!string.IsNullOrWhiteSpace(input.ContentType) && type != file.MsgType && !(file.Kind == AttachmentKind.File && type == ContentTypes.File))
            {
                input.ReadProblems.Add(new ValidationProblem(
                    "contentType", "is '" + input.ContentType!.Trim() + "', but " + field + " '" + path + "' sends a " + file.MsgType + " message",
                    "no contentType, or '" + file.MsgType + "'", "string"));
                return null;
            }

            if ((input.Content is not null && !(input.Content is string s && string.IsNullOrWhiteSpace(s))) || !string.IsNullOrWhiteSpace(input.Text))
            {
                input.ReadProblems.Add(new ValidationProblem(
                    field, "is given together with content", "either a path (the key is filled in after the upload) or content with the key", "conflict"));
                return null;
            }

            var msgType = type == ContentTypes.File ? ContentTypes.File : file.MsgType;
            var placeholder = Placeholder(file.Kind == AttachmentKind.Image, 0, file);
            input.ContentType = msgType;
            input.Content = new JsonObject { [file.ContentKey] = placeholder }.ToJsonString();
            files.Add(new KeyValuePair<string, LocalAttachment>(placeholder, file));
            return new ItemUploads(files);
        }

        // Issue 22: a card's img element may carry a local path (New-LarkCard -Image), uploaded as a post's img is.
        return ApplyToPost(input, resolve) ?? ApplyToCard(input, resolve);
    }

    // The item's content as a JSON tree for the post and card image walks; null when it does not parse (the
    // validator reports that, in its own words).
    private static JsonNode? ContentAsNode(MessageInput input)
    {
        try
        {
            return input.Content is string text ? JsonNode.Parse(text) : JsonNode.Parse(MessageJson.Serialize(input.Content));
        }
#pragma warning disable CA1031 // Content the parser refuses is reported by the validator, with its own words.
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
    }

    // A post's img nodes may carry "path" instead of image_key: each such image is checked and gets a placeholder.
    private static ItemUploads? ApplyToPost(MessageInput input, Func<string, bool, string> resolve)
    {
        if (ContentTypes.Normalize(input.ContentType) != ContentTypes.Post || input.Content is null)
        {
            return null;
        }

        var root = ContentAsNode(input);
        if (root is null)
        {
            return null;
        }

        if (root is not JsonObject locales)
        {
            return null;
        }

        var files = new List<KeyValuePair<string, LocalAttachment>>();
        var failed = false;
        foreach (var locale in locales)
        {
            if (locale.Value is not JsonObject body || body["content"] is not JsonArray paragraphs)
            {
                continue;
            }

            for (var p = 0; p < paragraphs.Count; p++)
            {
                if (paragraphs[p] is not JsonArray nodes)
                {
                    continue;
                }

                for (var n = 0; n < nodes.Count; n++)
                {
                    if (nodes[n] is not JsonObject node || (string?)(node["tag"] as JsonValue) != "img" || node["path"] is not JsonValue pathValue
                        || !pathValue.TryGetValue<string>(out var path) || node.ContainsKey("image_key"))
                    {
                        continue;
                    }

                    var field = string.Format(CultureInfo.InvariantCulture, "content.{0}.content[{1}][{2}].path", locale.Key, p, n);
                    var file = Check(input, field, path, AttachmentKind.Image, false, resolve);
                    node.Remove("path");
                    if (file is null)
                    {
                        // The path's problem is the node's: no second one for the image_key it would have filled.
                        node["image_key"] = Placeholder(true, files.Count);
                        failed = true;
                        continue;
                    }

                    var placeholder = Placeholder(true, files.Count, file);
                    node["image_key"] = placeholder;
                    files.Add(new KeyValuePair<string, LocalAttachment>(placeholder, file));
                }
            }
        }

        if (failed)
        {
            input.Content = root.ToJsonString();
            return null;
        }

        if (files.Count == 0)
        {
            return null;
        }

        input.Content = root.ToJsonString();
        return new ItemUploads(files);
    }

    private static LocalAttachment? Check(MessageInput input, string field, string path, AttachmentKind? kind, bool literal, Func<string, bool, string> resolve)
    {
        string resolved;
        try
        {
            resolved = resolve(path, literal);
        }
        catch (Exception ex) when (ex is ItemNotFoundException or DriveNotFoundException or ArgumentException or NotSupportedException or PSInvalidOperationException or ProviderNotFoundException)
        {
            input.ReadProblems.Add(new ValidationProblem(field, "'" + path + "' cannot be used: " + ex.Message, "the path of an existing file", "string"));
            return null;
        }

        // A bare path is an image when its bytes are one, else a file.
        var effective = kind ?? (LocalAttachment.Check(resolved, AttachmentKind.Image, out _) is not null ? AttachmentKind.Image : AttachmentKind.File);
        var file = LocalAttachment.Check(resolved, effective, out var problem);
        if (file is null)
        {
            input.ReadProblems.Add(new ValidationProblem(
                field, problem!,
                effective == AttachmentKind.Image
                    ? "an existing JPG, PNG, WEBP, GIF, BMP, ICO, TIFF or HEIC file of 1 byte to 10 MB, at most 12000x12000 pixels (GIF 2000x2000)"
                    : "an existing file of 1 byte to 30 MB",
                "string"));
        }

        return file;
    }
}
