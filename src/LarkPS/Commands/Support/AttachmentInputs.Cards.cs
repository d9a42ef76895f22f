using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using LarkPS.Messages;
using LarkPS.Uploads;

namespace LarkPS.Commands.Support;

/// <summary>A card's images from local files: the same check, placeholder and upload a post's img nodes get.</summary>
internal static partial class AttachmentInputs
{
    // A schema 2.0 card's img elements that carry "path" instead of img_key (New-LarkCard -Image writes them): each
    // file is checked offline and gets a placeholder img_key that the send replaces with the uploaded key. The path
    // is taken literally (New-LarkCard has resolved it already).
    private static ItemUploads? ApplyToCard(MessageInput input, Func<string, bool, string> resolve)
    {
        if (ContentTypes.Normalize(input.ContentType) != ContentTypes.Interactive || input.Content is null)
        {
            return null;
        }

        var root = ContentAsNode(input);
        if (root is null)
        {
            return null;
        }

        if (root is not JsonObject card || (string?)(card["schema"] as JsonValue) != "2.0" || card["body"] is not JsonObject body || body["elements"] is not JsonArray elements)
        {
            return null;
        }

        var files = new List<KeyValuePair<string, LocalAttachment>>();
        var failed = false;
        ReplaceImages(input, elements, "content.body.elements", files, ref failed, resolve);
        if (failed || files.Count == 0)
        {
            return null;
        }

        input.Content = root.ToJsonString();
        return new ItemUploads(files);
    }

    private static void ReplaceImages(
        MessageInput input, JsonArray elements, string path, List<KeyValuePair<string, LocalAttachment>> files, ref bool failed, Func<string, bool, string> resolve)
    {
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i] is not JsonObject element)
            {
                continue;
            }

            var at = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if ((string?)(element["tag"] as JsonValue) == "img" && !element.ContainsKey("img_key")
                && element["path"] is JsonValue pathValue && pathValue.TryGetValue<string>(out var local))
            {
                var file = Check(input, at + ".path", local, AttachmentKind.Image, true, resolve);
                if (file is null)
                {
                    failed = true;
                    continue;
                }

                var placeholder = Placeholder(true, files.Count, file);
                element.Remove("path");
                element["img_key"] = placeholder;
                files.Add(new KeyValuePair<string, LocalAttachment>(placeholder, file));
                continue;
            }

            if (element["elements"] is JsonArray nested)
            {
                ReplaceImages(input, nested, at + ".elements", files, ref failed, resolve);
            }

            if (element["columns"] is JsonArray columns)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    if (columns[c] is JsonObject column && column["elements"] is JsonArray inner)
                    {
                        ReplaceImages(input, inner, at + ".columns[" + c.ToString(CultureInfo.InvariantCulture) + "].elements", files, ref failed, resolve);
                    }
                }
            }
        }
    }
}
