using LarkPS.Api;
using LarkPS.Uploads;
using Xunit;

namespace LarkPS.UnitTests.Uploads;

/// <summary>The module's offline reading of image bytes: the formats Lark lists, their sizes, and what is refused.</summary>
public sealed class ImageFormatTests
{
    private static readonly byte[] PixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public static TheoryData<string, byte[], string?, int?, int?> Samples() => new()
    {
        { "png", PixelPng, "png", 1, 1 },
        { "gif 2001x10", [.. "GIF89a"u8, 0xD1, 0x07, 0x0A, 0x00, 0, 0], "gif", 2001, 10 },
        { "jpeg 640x480 after APP0", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. new byte[14], 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, .. new byte[12]], "jpeg", 640, 480 },
        { "webp VP8X 800x600", [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8X"u8, .. new byte[8], 0x1F, 0x03, 0x00, 0x57, 0x02, 0x00, 0, 0], "webp", 800, 600 },
        { "bmp 16x16", [(byte)'B', (byte)'M', .. new byte[16], 16, 0, 0, 0, 16, 0, 0, 0, 0, 0], "bmp", 16, 16 },
        { "ico 256", [0, 0, 1, 0, 1, 0, 0, 0], "ico", 256, 256 },
        { "tiff", [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0], "tiff", null, null },
        { "heic", [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0], "heic", null, null },
        { "text", "not an image at all"u8.ToArray(), null, null, null },
        { "pdf", "%PDF-1.7\n"u8.ToArray(), null, null, null },
        { "truncated png", PixelPng[..6], null, null, null },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Formats_are_told_by_their_bytes(string name, byte[] bytes, string? format, int? width, int? height)
    {
        var found = ImageFormat.Identify(bytes, bytes.Length);

        Assert.True(format is null ? found is null : found is not null, name);
        if (found is { } f)
        {
            Assert.Equal(format, f.Format);
            Assert.Equal(width, f.Width);
            Assert.Equal(height, f.Height);
        }
    }

    [Theory]
    [InlineData("voice.opus", "opus")]
    [InlineData("clip.MP4", "mp4")]
    [InlineData("report.pdf", "pdf")]
    [InlineData("notes.docx", "doc")]
    [InlineData("sheet.xls", "xls")]
    [InlineData("deck.pptx", "ppt")]
    [InlineData("archive.tar.gz", "stream")]
    [InlineData("README", "stream")]
    public void File_type_comes_from_the_extension(string fileName, string fileType) =>
        Assert.Equal(fileType, LocalAttachment.FileTypeOf(fileName));

    [Fact]
    public void Chat_names_match_exactly_and_near_misses_are_offered()
    {
        var chats = new[]
        {
            new LarkChat("oc_1", "Ops alerts", string.Empty, null, null, false, "normal", null),
            new LarkChat("oc_2", "Release", string.Empty, null, null, false, "normal", null),
            new LarkChat("oc_3", "Release", string.Empty, null, null, false, "normal", null),
        };

        Assert.Equal(["oc_1"], ChatNames.Find(chats, "Ops alerts").Matches.Select(c => c.ChatId));
        Assert.Empty(ChatNames.Find(chats, "ops alerts").Matches);
        Assert.Equal(["oc_1"], ChatNames.Find(chats, "ops").Candidates.Select(c => c.ChatId));
        Assert.Equal(2, ChatNames.Find(chats, "Release").Matches.Count);
        Assert.Empty(ChatNames.Find(chats, "Finance").Candidates);
    }
}
