using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;

namespace LarkPS.Uploads;

/// <summary>Whether a local file goes up as a message image (im/v1/images) or as a file (im/v1/files).</summary>
internal enum AttachmentKind
{
    Image,
    File,
}

/// <summary>
/// A local file checked for sending: its provider path, what it goes up as (image, or file with Lark's file_type),
/// the msg_type its key then sends with, and the hash of its bytes that keys the connection's upload cache.
/// </summary>
internal sealed class LocalAttachment
{
    /// <summary>Lark's limit for a message image: 10 MB.</summary>
    public const long MaxImageBytes = 10L * 1024 * 1024;

    /// <summary>Lark's limit for a file: 30 MB.</summary>
    public const long MaxFileBytes = 30L * 1024 * 1024;

    private LocalAttachment(string path, AttachmentKind kind, string fileType, string msgType, long length, string hash)
    {
        Path = path;
        Kind = kind;
        FileType = fileType;
        MsgType = msgType;
        Length = length;
        Hash = hash;
    }

    /// <summary>The file system path (PowerShell's provider path, resolved).</summary>
    public string Path { get; }

    public AttachmentKind Kind { get; }

    /// <summary>image for an image; else Lark's file_type: opus, mp4, pdf, doc, xls, ppt or stream.</summary>
    public string FileType { get; }

    /// <summary>The msg_type the key sends with: image, audio (opus), media (mp4) or file.</summary>
    public string MsgType { get; }

    public long Length { get; }

    /// <summary>SHA-256 of the bytes, hex, with the kind and file_type: one upload per distinct content and kind.</summary>
    public string Hash { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The JSON key the content carries: image_key for an image, file_key otherwise.</summary>
    public string ContentKey => Kind == AttachmentKind.Image ? "image_key" : "file_key";

    /// <summary>Lark's file_type for a file name's extension; stream for anything it has no type for.</summary>
    public static string FileTypeOf(string fileName)
    {
        switch (System.IO.Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant())
        {
            case ".opus": return "opus";
            case ".mp4": return "mp4";
            case ".pdf": return "pdf";
            case ".doc": case ".docx": return "doc";
            case ".xls": case ".xlsx": return "xls";
            case ".ppt": case ".pptx": return "ppt";
            default: return "stream";
        }
    }

    /// <summary>
    /// Checks <paramref name="path"/> against Lark's limits without a request: present, not empty, an image at most
    /// 10 MB in a listed format by its bytes and within the pixel limits, a file at most 30 MB. Returns null with the
    /// problem in words (naming the file and the limit) when it fails.
    /// </summary>
    public static LocalAttachment? Check(string path, AttachmentKind kind, out string? problem)
    {
        problem = null;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            problem = Directory.Exists(path) ? $"'{path}' is a folder, not a file" : $"the file '{path}' does not exist";
            return null;
        }

        var limit = kind == AttachmentKind.Image ? MaxImageBytes : MaxFileBytes;
        if (info.Length == 0)
        {
            problem = $"the file '{path}' is empty (0 bytes); Lark refuses empty uploads";
            return null;
        }

        if (info.Length > limit)
        {
            problem = string.Format(
                CultureInfo.InvariantCulture,
                "the file '{0}' has {1:N0} bytes, over Lark's {2} MB limit for {3}",
                path, info.Length, limit / (1024 * 1024), kind == AttachmentKind.Image ? "an image" : "a file");
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"the file '{path}' cannot be read: {ex.Message}";
            return null;
        }

        string fileType;
        string msgType;
        if (kind == AttachmentKind.Image)
        {
            var format = ImageFormat.Identify(bytes, Math.Min(bytes.Length, ImageFormat.HeadBytes));
            if (format is null)
            {
                problem = $"the file '{path}' is not an image Lark takes (judged by its bytes): JPG, PNG, WEBP, GIF, BMP, ICO, TIFF or HEIC";
                return null;
            }

            var max = ImageFormat.MaxSide(format.Value.Format);
            if (format.Value.Width > max || format.Value.Height > max)
            {
                problem = string.Format(
                    CultureInfo.InvariantCulture,
                    "the image '{0}' is {1}x{2} pixels, over Lark's {3}x{3} limit for a {4}",
                    path, format.Value.Width, format.Value.Height, max, format.Value.Format.ToUpperInvariant());
                return null;
            }

            fileType = "image";
            msgType = "image";
        }
        else
        {
            fileType = FileTypeOf(path);
            msgType = fileType switch
            {
                "opus" => "audio",
                "mp4" => "media",
                _ => "file",
            };
        }

        using var sha = SHA256.Create();
        var hash = kind + ":" + fileType + ":" + BitConverter.ToString(sha.ComputeHash(bytes)).Replace("-", string.Empty);
        return new LocalAttachment(path, kind, fileType, msgType, bytes.Length, hash);
    }
}
