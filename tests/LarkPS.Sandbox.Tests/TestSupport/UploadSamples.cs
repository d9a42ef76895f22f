using System.Buffers.Binary;

namespace LarkPS.Sandbox.Tests.TestSupport;

/// <summary>
/// Image bytes for upload tests: a real 1x1 PNG, and headers of each listed format claiming a given size
/// (the sandbox, like any server judging an upload, reads the header; the pixels need not be there).
/// </summary>
internal static class UploadSamples
{
    public static readonly byte[] PixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public static byte[] Png(int width, int height)
    {
        var bytes = (byte[])PixelPng.Clone();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        return bytes;
    }

    public static byte[] Gif(int width, int height)
    {
        var bytes = new byte[32];
        "GIF89a"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)height);
        return bytes;
    }

    /// <summary>SOI, an APP0 segment of <paramref name="app0Padding"/> bytes, then a baseline frame header.</summary>
    public static byte[] Jpeg(int width, int height, int app0Padding = 14)
    {
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE0 };
        var app0Length = app0Padding + 2;
        bytes.Add((byte)(app0Length >> 8));
        bytes.Add((byte)app0Length);
        bytes.AddRange(new byte[app0Padding]);
        bytes.AddRange([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03]);
        bytes.AddRange(new byte[12]);
        return [.. bytes];
    }

    public static byte[] WebpExtended(int width, int height)
    {
        var bytes = new byte[40];
        "RIFF"u8.CopyTo(bytes);
        "WEBPVP8X"u8.CopyTo(bytes.AsSpan(8));
        WriteUInt24(bytes.AsSpan(24), width - 1);
        WriteUInt24(bytes.AsSpan(27), height - 1);
        return bytes;
    }

    public static byte[] Bmp(int width, int height)
    {
        var bytes = new byte[54];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        return bytes;
    }

    public static byte[] Tiff() => [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0];

    public static byte[] Heic() => [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8];

    public static byte[] Ico() => [0, 0, 1, 0, 1, 0, 32, 32, 0, 0, 1, 0, 32, 0];

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
