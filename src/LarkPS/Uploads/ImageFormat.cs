using System;

namespace LarkPS.Uploads;

/// <summary>
/// Recognises the image formats Lark takes for message images (JPG PNG WEBP GIF BMP ICO TIFF HEIC) by their first
/// bytes, never by the file name, and reads the size in pixels where the header holds it (PNG, GIF, BMP, ICO, WEBP,
/// JPEG's frame header). The sandbox has its own reading of the same facts; the two are tested on the same samples.
/// </summary>
internal static class ImageFormat
{
    /// <summary>Bytes enough to find a JPEG's frame header behind a typical EXIF block.</summary>
    public const int HeadBytes = 256 * 1024;

    /// <summary>The format's name (png, jpeg…) and size where known; null when the bytes are no listed format.</summary>
    public static (string Format, int? Width, int? Height)? Identify(byte[] head, int length)
    {
        if (head is null)
        {
            throw new ArgumentNullException(nameof(head));
        }

        length = Math.Min(length, head.Length);
        if (length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            var (w, h) = JpegSize(head, length);
            return ("jpeg", w, h);
        }

        if (length >= 8 && Starts(head, 0, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A))
        {
            return length >= 24 ? ("png", BigEndian32(head, 16), BigEndian32(head, 20)) : ("png", null, null);
        }

        if (length >= 10 && Ascii(head, 0, "GIF8") && (head[4] == '7' || head[4] == '9') && head[5] == 'a')
        {
            return ("gif", head[6] | (head[7] << 8), head[8] | (head[9] << 8));
        }

        if (length >= 16 && Ascii(head, 0, "RIFF") && Ascii(head, 8, "WEBP"))
        {
            var (w, h) = WebpSize(head, length);
            return ("webp", w, h);
        }

        if (length >= 26 && head[0] == 'B' && head[1] == 'M')
        {
            return ("bmp", Math.Abs(LittleEndian32(head, 18)), Math.Abs(LittleEndian32(head, 22)));
        }

        if (length >= 8 && head[0] == 0 && head[1] == 0 && head[2] == 1 && head[3] == 0 && head[4] + head[5] > 0)
        {
            return ("ico", head[6] == 0 ? 256 : head[6], head[7] == 0 ? 256 : head[7]);
        }

        if (length >= 4 && (Ascii(head, 0, "II*\0") || Ascii(head, 0, "MM\0*")))
        {
            return ("tiff", null, null);
        }

        if (length >= 12 && Ascii(head, 4, "ftyp"))
        {
            foreach (var brand in new[] { "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" })
            {
                if (Ascii(head, 8, brand))
                {
                    return ("heic", null, null);
                }
            }
        }

        return null;
    }

    /// <summary>Lark's limit on each side in pixels: 2000 for a GIF, 12000 for any other image.</summary>
    public static int MaxSide(string format) => format == "gif" ? 2000 : 12000;

    private static (int?, int?) JpegSize(byte[] data, int length)
    {
        var i = 2;
        while (i + 9 < length)
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

            var segment = (data[i + 2] << 8) | data[i + 3];
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            {
                return ((data[i + 7] << 8) | data[i + 8], (data[i + 5] << 8) | data[i + 6]);
            }

            i += 2 + segment;
        }

        return (null, null);
    }

    private static (int?, int?) WebpSize(byte[] data, int length)
    {
        if (Ascii(data, 12, "VP8X") && length >= 30)
        {
            return (1 + (data[24] | (data[25] << 8) | (data[26] << 16)), 1 + (data[27] | (data[28] << 8) | (data[29] << 16)));
        }

        if (Ascii(data, 12, "VP8 ") && length >= 30)
        {
            return ((data[26] | (data[27] << 8)) & 0x3FFF, (data[28] | (data[29] << 8)) & 0x3FFF);
        }

        if (Ascii(data, 12, "VP8L") && length >= 25)
        {
            var bits = (uint)LittleEndian32(data, 21);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        return (null, null);
    }

    private static bool Starts(byte[] data, int at, params byte[] expected)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (data[at + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool Ascii(byte[] data, int at, string expected)
    {
        if (at + expected.Length > data.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (data[at + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static int BigEndian32(byte[] d, int at) => (d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3];

    private static int LittleEndian32(byte[] d, int at) => d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24);
}
