using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;

namespace LarkPS.Commands.Support;

/// <summary>One image or file a message carries: its key, the download type Lark wants for it, and the name the content gives.</summary>
internal sealed class MessageResource
{
    public MessageResource(string key, string type, string? contentFileName)
    {
        Key = key;
        Type = type;
        ContentFileName = contentFileName;
    }

    public string Key { get; }

    /// <summary>image (images, post img nodes) or file (files, audio, video).</summary>
    public string Type { get; }

    public string? ContentFileName { get; }
}

/// <summary>
/// Save-LarkMessageResource's plain parts (issue 25): which resources a message carries (LARK-API.md, "Content of
/// received messages"), and a file name that is safe in the target folder whatever name Lark reports: no path (no /
/// or \), no . or .., no control or invalid characters; without a usable name, the key plus an extension from the
/// content type (the official CLI's rule).
/// </summary>
internal static class ResourceFiles
{
    private const int MaxNameLength = 200;

    // Invalid on any of Windows, macOS and Linux: a folder exported on one is read on another.
    private static readonly HashSet<char> InvalidChars = new(Path.GetInvalidFileNameChars().Concat("<>:\"|?*/\\"));

    /// <summary>The resources of a message of <paramref name="messageType"/> with <paramref name="content"/> (a hashtable or its JSON).</summary>
    public static IReadOnlyList<MessageResource> Of(string? messageType, object? content)
    {
        var list = new List<MessageResource>();
        var table = content as IDictionary ?? (content is string json ? Parse(json) : null);
        if (table is null)
        {
            return list;
        }

        string? Str(IDictionary t, string name) => t.Contains(name) && t[name] is { } v ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
        void Add(string? key, string type, string? name)
        {
            if (!string.IsNullOrWhiteSpace(key) && !list.Any(r => r.Key == key && r.Type == type))
            {
                list.Add(new MessageResource(key!.Trim(), type, name));
            }
        }

        switch (messageType)
        {
            case "image":
                Add(Str(table, "image_key"), "image", null);
                break;
            case "file" or "audio" or "media":
                Add(Str(table, "file_key"), "file", Str(table, "file_name"));
                break;
            case "post":
                Walk(table);
                break;
        }

        return list;

        void Walk(object? node)
        {
            switch (node)
            {
                case IDictionary d:
                    var tag = Str(d, "tag");
                    if (tag == "img")
                    {
                        Add(Str(d, "image_key"), "image", null);
                    }
                    else if (tag == "media")
                    {
                        Add(Str(d, "file_key"), "file", Str(d, "file_name"));
                    }

                    foreach (var value in d.Values)
                    {
                        Walk(value);
                    }

                    break;
                case IEnumerable e when node is not string:
                    foreach (var item in e)
                    {
                        Walk(item is System.Management.Automation.PSObject p ? p.BaseObject : item);
                    }

                    break;
            }
        }
    }

    /// <summary>A file name for the resource that cannot leave the folder: Lark's reported name made safe, else the content's, else key + extension.</summary>
    public static string SafeName(string? reported, string? contentName, string key, string? contentType)
    {
        return Clean(reported) ?? Clean(contentName) ?? (Clean(key) ?? "resource") + ExtensionOf(contentType);
    }

    /// <summary>True when <paramref name="path"/> is inside <paramref name="folder"/> (both made full first).</summary>
    public static bool IsInside(string folder, string path)
    {
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path);
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return full.StartsWith(root, comparison) && full.Length > root.Length;
    }

    private static string? Clean(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // Only the last segment: a reported "../../x" or "C:\dir\x" keeps "x".
        var last = name!.Replace('\\', '/').Split('/').Last();
        var text = new StringBuilder(last.Length);
        foreach (var c in last)
        {
            text.Append(char.IsControl(c) || InvalidChars.Contains(c) ? '_' : c);
        }

        var cleaned = text.ToString().Trim().TrimEnd('.', ' ');
        if (cleaned.Length == 0 || cleaned.Trim('.').Length == 0)
        {
            return null;
        }

        return cleaned.Length > MaxNameLength ? cleaned.Substring(cleaned.Length - MaxNameLength) : cleaned;
    }

    private static string ExtensionOf(string? contentType) => contentType?.ToLowerInvariant() switch
    {
        "image/png" => ".png",
        "image/jpeg" or "image/jpg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/bmp" => ".bmp",
        "image/tiff" => ".tiff",
        "application/pdf" => ".pdf",
        "video/mp4" => ".mp4",
        "audio/opus" or "audio/ogg" => ".opus",
        "text/plain" => ".txt",
        _ => string.Empty,
    };

    private static IDictionary? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Events.EventParser.ToPowerShell(document.RootElement) as IDictionary : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Writes a download's bytes to a part file in the target folder as they arrive (never the whole file in memory),
/// from the start again on each attempt; counts them for Write-Progress. Disk trouble is the sink's own error.
/// </summary>
internal sealed class PartFileSink : IAnswerSink
{
    public PartFileSink(string folder)
    {
        PartPath = Path.Combine(folder, ".larkps-" + Guid.NewGuid().ToString("N") + ".part");
    }

    public string PartPath { get; }

    /// <summary>What the last attempt's headers said.</summary>
    public DownloadHeaders? Headers { get; private set; }

    private long _written;

    /// <summary>Bytes written by the current attempt.</summary>
    public long Written => Interlocked.Read(ref _written);

    public async Task ReceiveAsync(Stream body, DownloadHeaders headers, CancellationToken cancellationToken)
    {
        Headers = headers;
        Interlocked.Exchange(ref _written, 0);
        FileStream file;
        try
        {
            file = new FileStream(PartPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AnswerSinkException("Could not write '" + PartPath + "': " + ex.Message, ex);
        }

        using (file)
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                try
                {
                    await file.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new AnswerSinkException("Could not write '" + PartPath + "': " + ex.Message, ex);
                }

                Interlocked.Add(ref _written, read);
            }
        }
    }

    /// <summary>Removes the part file (after a failure, or when the final name may not be overwritten).</summary>
    public void Discard()
    {
        try
        {
            File.Delete(PartPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover .part file is harmless and named as ours.
        }
    }
}
