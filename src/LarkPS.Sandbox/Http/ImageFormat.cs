using System.Buffers.Binary;

namespace LarkPS.Sandbox.Http;

/// <summary>What the first bytes of an upload say it is, and its size in pixels where the header tells.</summary>
internal sealed record ImageInfo(string Format, string ContentType, int? Width, int? Height);

/// <summary>
/// Recognises the image formats Lark lists for message images (JPG PNG WEBP GIF BMP ICO TIFF HEIC) by
/// their bytes, never by a name: Lark answers a file of another kind with 234011 whatever it is called.
/// Dimensions come from the headers of PNG, GIF, BMP, ICO, WEBP and JPEG (its SOF segment, when it lies
/// within the bytes given); TIFF and HEIC are recognised without dimensions.
/// </summary>
internal static class ImageFormat
{
    /// <summary>Null when the bytes are none of the listed formats.</summary>
    public static ImageInfo? Identify(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            var (w, h) = JpegSize(head);
            return new ImageInfo("jpeg", "image/jpeg", w, h);
        }

        if (head.Length >= 8 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return head.Length >= 24
                ? new ImageInfo("png", "image/png", BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..]))
                : new ImageInfo("png", "image/png", null, null);
        }

        if (head.Length >= 10 && head[..3].SequenceEqual("GIF"u8) && (head[3..6].SequenceEqual("87a"u8) || head[3..6].SequenceEqual("89a"u8)))
        {
            return new ImageInfo("gif", "image/gif", BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..]));
        }

        if (head.Length >= 16 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            var (w, h) = WebpSize(head);
            return new ImageInfo("webp", "image/webp", w, h);
        }

        if (head.Length >= 26 && head[0] == (byte)'B' && head[1] == (byte)'M')
        {
            return new ImageInfo(
                "bmp", "image/bmp", Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[18..])), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[22..])));
        }

        if (head.Length >= 8 && head[0] == 0 && head[1] == 0 && head[2] == 1 && head[3] == 0 && head[4] + head[5] > 0)
        {
            // An ICO directory entry stores 0 for 256 pixels.
            return new ImageInfo("ico", "image/x-icon", head[6] == 0 ? 256 : head[6], head[7] == 0 ? 256 : head[7]);
        }

        if (head.Length >= 4 && (head[..4].SequenceEqual("II*\0"u8) || head[..4].SequenceEqual("MM\0*"u8)))
        {
            return new ImageInfo("tiff", "image/tiff", null, null);
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8) && IsHeifBrand(head[8..12]))
        {
            return new ImageInfo("heic", "image/heic", null, null);
        }

        return null;
    }

    private static bool IsHeifBrand(ReadOnlySpan<byte> brand) =>
        brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("hevc"u8) || brand.SequenceEqual("hevx"u8)
        || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8);

    private static (int? Width, int? Height) JpegSize(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (i + 9 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                return (null, null);
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            var isFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isFrame)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]));
            }

            i += 2 + length;
        }

        return (null, null);
    }

    private static (int? Width, int? Height) WebpSize(ReadOnlySpan<byte> data)
    {
        var chunk = data[12..16];
        if (chunk.SequenceEqual("VP8X"u8) && data.Length >= 30)
        {
            return (1 + (data[24] | (data[25] << 8) | (data[26] << 16)), 1 + (data[27] | (data[28] << 8) | (data[29] << 16)));
        }

        if (chunk.SequenceEqual("VP8 "u8) && data.Length >= 30)
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF);
        }

        if (chunk.SequenceEqual("VP8L"u8) && data.Length >= 25)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        return (null, null);
    }
}
