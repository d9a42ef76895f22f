using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Issue 11's sandbox side: chat lists of several pages of 100 with every field, batch_get_id answering
/// each input as Lark does, uploads judged by Lark's limits and the bytes, keys bound to their msg_type,
/// the 50/s quota of uploads and look-ups, and what the inbox learns of an upload.
/// </summary>
public sealed class DirectoryOperationsTests : SandboxTestBase
{
    private const string ContactPath = "open-apis/contact/v3/users/batch_get_id?user_id_type=open_id";

    [Fact]
    public async Task A_directory_of_253_chats_lists_in_three_pages_of_100_with_every_field()
    {
        Server.Options.Directory = SandboxDirectory.CreateWithManyChats(250);
        Server.Options.Directory.Chats.Add(new SandboxChat(
            SandboxDirectory.ChatIdFor("Partners"), "Partners", BotIsMember: true, "Shared with a supplier", SandboxSeed.BobOpenId, External: true));
        var token = await GetTokenAsync();
        var items = new List<JsonElement>();
        var pages = 0;
        string? pageToken = null;
        do
        {
            var (response, body) = await SendRawAsync(
                HttpMethod.Get, "open-apis/im/v1/chats?page_size=100" + (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken)), null, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var data = body.GetProperty("data");
            items.AddRange(data.GetProperty("items").EnumerateArray());
            pageToken = data.GetProperty("has_more").GetBoolean() ? data.GetProperty("page_token").GetString() : null;
            pages++;
        }
        while (pageToken is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(253, items.Count);
        Assert.Equal(253, items.Select(i => i.GetProperty("chat_id").GetString()).Distinct().Count());
        Assert.Contains(items, i => i.GetProperty("name").GetString() == "Deploy 249");
        var partners = Assert.Single(items, i => i.GetProperty("name").GetString() == "Partners");
        Assert.Equal("Shared with a supplier", partners.GetProperty("description").GetString());
        Assert.Equal(SandboxSeed.BobOpenId, partners.GetProperty("owner_id").GetString());
        Assert.True(partners.GetProperty("external").GetBoolean());
        Assert.Equal("normal", partners.GetProperty("chat_status").GetString());
        Assert.DoesNotContain(items, i => i.GetProperty("chat_id").GetString() == SandboxSeed.NoBotChatId);
    }

    [Fact]
    public async Task Batch_get_id_answers_each_input_found_resigned_missing_and_invisible_as_lark_does()
    {
        var token = await GetTokenAsync();
        var request = new JsonObject
        {
            ["emails"] = new JsonArray(SandboxSeed.AliceEmail, SandboxSeed.DaveEmail, "ghost@example.com", SandboxSeed.CarolEmail),
            ["mobiles"] = new JsonArray("13800000002"),
            ["include_resigned"] = true,
        };

        var (response, body) = await PostJsonAsync(ContactPath, request, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        var list = body.GetProperty("data").GetProperty("user_list").EnumerateArray().ToList();
        Assert.Equal(5, list.Count);
        var alice = Assert.Single(list, i => i.TryGetProperty("email", out var e) && e.GetString() == SandboxSeed.AliceEmail);
        Assert.Equal(SandboxSeed.AliceOpenId, alice.GetProperty("user_id").GetString());
        Assert.False(alice.GetProperty("status").GetProperty("is_resigned").GetBoolean());
        Assert.True(alice.GetProperty("status").GetProperty("is_activated").GetBoolean());
        var dave = Assert.Single(list, i => i.TryGetProperty("email", out var e) && e.GetString() == SandboxSeed.DaveEmail);
        Assert.Equal(SandboxSeed.DaveOpenId, dave.GetProperty("user_id").GetString());
        Assert.True(dave.GetProperty("status").GetProperty("is_resigned").GetBoolean());

        // Missing and outside the visible range look the same, as Lark documents: the echo and nothing else.
        foreach (var email in new[] { "ghost@example.com", SandboxSeed.CarolEmail })
        {
            var item = Assert.Single(list, i => i.TryGetProperty("email", out var e) && e.GetString() == email);
            Assert.False(item.TryGetProperty("user_id", out _));
            Assert.False(item.TryGetProperty("status", out _));
        }

        var bob = Assert.Single(list, i => i.TryGetProperty("mobile", out var m) && m.GetString() == "13800000002");
        Assert.Equal(SandboxSeed.BobOpenId, bob.GetProperty("user_id").GetString());
    }

    [Theory]
    [InlineData("png-1x1")]
    [InlineData("png-12000x12000")]
    [InlineData("gif-2000x2000")]
    [InlineData("jpeg-640x480")]
    [InlineData("jpeg-after-a-large-app0")]
    [InlineData("webp-800x600")]
    [InlineData("bmp-16x16")]
    [InlineData("ico")]
    [InlineData("tiff")]
    [InlineData("heic")]
    public async Task Every_listed_image_format_is_taken_by_its_bytes(string sample)
    {
        var token = await GetTokenAsync();

        var (response, body) = await UploadImageAsync(token, Sample(sample), "not-an-image.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("img_v3_", body.GetProperty("data").GetProperty("image_key").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", 234011)]
    [InlineData("pdf", 234011)]
    [InlineData("png-12001x10", 234039)]
    [InlineData("gif-2001x10", 234039)]
    [InlineData("jpeg-640x12001", 234039)]
    [InlineData("webp-12001x1", 234039)]
    [InlineData("empty", 234010)]
    public async Task Images_lark_refuses_get_larks_codes(string sample, int code)
    {
        var token = await GetTokenAsync();

        var (response, body) = await UploadImageAsync(token, Sample(sample), "chart.png");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, Code(body));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("log_id").GetString()));
    }

    [Fact]
    public async Task Files_over_30_MB_or_empty_get_234006_and_234010_and_one_at_30_MB_is_taken()
    {
        var token = await GetTokenAsync();

        var (big, bigBody) = await UploadFileAsync(token, "pdf", "huge.pdf", new byte[(30 * 1024 * 1024) + 1]);
        var (empty, emptyBody) = await UploadFileAsync(token, "pdf", "empty.pdf", []);
        var (atLimit, atLimitBody) = await UploadFileAsync(token, "stream", "exactly-30.bin", new byte[30 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Equal(234006, Code(bigBody));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(234010, Code(emptyBody));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(0, Code(atLimitBody));
    }

    [Fact]
    public async Task An_image_of_exactly_10_MB_is_taken_and_one_byte_more_is_234006()
    {
        var token = await GetTokenAsync();
        var atLimit = new byte[10 * 1024 * 1024];
        UploadSamples.PixelPng.CopyTo(atLimit, 0);
        var over = new byte[atLimit.Length + 1];
        atLimit.CopyTo(over, 0);

        var (ok, _) = await UploadImageAsync(token, atLimit, "big.png");
        var (tooBig, tooBigBody) = await UploadImageAsync(token, over, "bigger.png");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(234006, Code(tooBigBody));
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
    }

    [Theory]
    [InlineData("opus", "audio", true)]
    [InlineData("opus", "file", true)]
    [InlineData("mp4", "media", true)]
    [InlineData("mp4", "audio", false)]
    [InlineData("pdf", "file", true)]
    [InlineData("pdf", "media", false)]
    [InlineData("stream", "audio", false)]
    [InlineData("image", "file", false)]
    [InlineData("image", "image", true)]
    [InlineData("pdf", "image", false)]
    public async Task A_key_works_only_with_the_msg_type_its_upload_fits(string uploaded, string msgType, bool works)
    {
        var token = await GetTokenAsync();
        var key = uploaded == "image"
            ? (await UploadImageAsync(token, UploadSamples.PixelPng, "pixel.png")).Body.GetProperty("data").GetProperty("image_key").GetString()!
            : (await UploadFileAsync(token, uploaded, "upload." + uploaded, [1, 2, 3])).Body.GetProperty("data").GetProperty("file_key").GetString()!;
        var content = msgType == "image" ? $$"""{"image_key":"{{key}}"}""" : $$"""{"file_key":"{{key}}"}""";

        var (response, body) = await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, msgType, content);

        Assert.Equal(works ? 0 : 230055, Code(body));
        Assert.Equal(works ? HttpStatusCode.OK : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(works ? 1 : 0, Server.Inbox.Count);
    }

    [Theory]
    [InlineData("images")]
    [InlineData("files")]
    [InlineData("contacts")]
    public async Task Uploads_and_look_ups_are_held_to_50_a_second_counted_on_arrival(string operation)
    {
        var token = await GetTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Call()));

        Assert.Equal(50, answers.Count(a => a.Response.StatusCode == HttpStatusCode.OK));
        var refused = answers.Where(a => a.Response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(10, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal(99991400, Code(r.Body));
            Assert.Equal("50", Assert.Single(r.Response.Headers.GetValues("x-ogw-ratelimit-limit")));
            Assert.Equal("1", Assert.Single(r.Response.Headers.GetValues("x-ogw-ratelimit-reset")));
        });

        // Sends keep their own quota: the upload burst did not use it up.
        var (send, _) = await SendTextAsync(token, "still allowed");
        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var (after, _) = await Call();
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        Task<(HttpResponseMessage Response, JsonElement Body)> Call() => operation switch
        {
            "images" => UploadImageAsync(token, UploadSamples.PixelPng, "pixel.png"),
            "files" => UploadFileAsync(token, "pdf", "report.pdf", [1]),
            _ => PostJsonAsync(ContactPath, new JsonObject { ["emails"] = new JsonArray(SandboxSeed.AliceEmail) }, token),
        };
    }

    [Fact]
    public async Task Uploads_allow_1000_a_minute()
    {
        Server.Options.Quotas.AppPerSecond = 10_000;
        Server.Options.Quotas.AppPerMinute = 30;
        var token = await GetTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 35).Select(_ => UploadFileAsync(token, "pdf", "r.pdf", [1])));

        Assert.Equal(30, answers.Count(a => a.Response.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.Response.StatusCode != HttpStatusCode.OK), a => Assert.Equal("30", a.Response.Headers.GetValues("x-ogw-ratelimit-limit").Single()));
        Assert.Equal(1000, new SandboxQuotas().AppPerMinute);
    }

    [Fact]
    public async Task A_file_message_read_back_carries_its_file_name_as_Lark_answers_it()
    {
        // LARK-API.md, content of received messages: file {"file_key","file_name"}, media {"file_key","image_key","file_name","duration"}.
        var token = await GetTokenAsync();
        var fileKey = (await UploadFileAsync(token, "pdf", "Quarterly report.pdf", [0x25, 0x50, 0x44, 0x46])).Body.GetProperty("data").GetProperty("file_key").GetString()!;
        var (_, sent) = await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, "file", $$"""{"file_key":"{{fileKey}}"}""");
        var (_, unknown) = await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, "file", """{"file_key":"file_v3_not_from_this_sandbox"}""");

        var read = await SendRawAsync(HttpMethod.Get, "open-apis/im/v1/messages/" + MessageId(sent), null, token);
        var other = await SendRawAsync(HttpMethod.Get, "open-apis/im/v1/messages/" + MessageId(unknown), null, token);

        using var content = JsonDocument.Parse(read.Body.GetProperty("data").GetProperty("items")[0].GetProperty("body").GetProperty("content").GetString()!);
        Assert.Equal(fileKey, content.RootElement.GetProperty("file_key").GetString());
        Assert.Equal("Quarterly report.pdf", content.RootElement.GetProperty("file_name").GetString());
        using var otherContent = JsonDocument.Parse(other.Body.GetProperty("data").GetProperty("items")[0].GetProperty("body").GetProperty("content").GetString()!);
        Assert.False(otherContent.RootElement.TryGetProperty("file_name", out _));
    }

    [Fact]
    public async Task The_inbox_knows_an_uploaded_image_and_a_files_name_and_serves_the_image()
    {
        var token = await GetTokenAsync();
        var imageKey = (await UploadImageAsync(token, UploadSamples.PixelPng, "pixel.png")).Body.GetProperty("data").GetProperty("image_key").GetString()!;
        var fileKey = (await UploadFileAsync(token, "pdf", "Quarterly report.pdf", [0x25, 0x50, 0x44, 0x46])).Body.GetProperty("data").GetProperty("file_key").GetString()!;
        await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, "image", $$"""{"image_key":"{{imageKey}}"}""");
        await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, "file", $$"""{"file_key":"{{fileKey}}"}""");

        using var inbox = JsonDocument.Parse(await Http.GetStringAsync("_sandbox/inbox"));
        var image = inbox.RootElement[0].GetProperty("attachment");
        var file = inbox.RootElement[1].GetProperty("attachment");
        using var shown = await Http.GetAsync(image.GetProperty("url").GetString()!.TrimStart('/'));

        Assert.Equal("image", image.GetProperty("file_type").GetString());
        Assert.Equal(UploadSamples.PixelPng.Length, image.GetProperty("size").GetInt64());
        Assert.Equal("Quarterly report.pdf", file.GetProperty("file_name").GetString());
        Assert.Equal("pdf", file.GetProperty("file_type").GetString());
        Assert.False(file.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("image/png", shown.Content.Headers.ContentType!.MediaType);
        Assert.Equal(UploadSamples.PixelPng, await shown.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Sample(string name) => name switch
    {
        "png-1x1" => UploadSamples.PixelPng,
        "png-12000x12000" => UploadSamples.Png(12000, 12000),
        "png-12001x10" => UploadSamples.Png(12001, 10),
        "gif-2000x2000" => UploadSamples.Gif(2000, 2000),
        "gif-2001x10" => UploadSamples.Gif(2001, 10),
        "jpeg-640x480" => UploadSamples.Jpeg(640, 480),
        "jpeg-640x12001" => UploadSamples.Jpeg(640, 12001),
        "jpeg-after-a-large-app0" => UploadSamples.Jpeg(640, 480, app0Padding: 60_000),
        "webp-800x600" => UploadSamples.WebpExtended(800, 600),
        "webp-12001x1" => UploadSamples.WebpExtended(12001, 1),
        "bmp-16x16" => UploadSamples.Bmp(16, 16),
        "ico" => UploadSamples.Ico(),
        "tiff" => UploadSamples.Tiff(),
        "heic" => UploadSamples.Heic(),
        "text" => Encoding.UTF8.GetBytes("this is a text file named chart.png"),
        "pdf" => Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3"),
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private Task<(HttpResponseMessage Response, JsonElement Body)> UploadImageAsync(string token, byte[] bytes, string fileName) =>
        UploadAsync(token, "open-apis/im/v1/images", [("image_type", "message")], "image", bytes, fileName);

    private Task<(HttpResponseMessage Response, JsonElement Body)> UploadFileAsync(string token, string fileType, string fileName, byte[] bytes) =>
        UploadAsync(token, "open-apis/im/v1/files", [("file_type", fileType), ("file_name", fileName)], "file", bytes, fileName);

    private async Task<(HttpResponseMessage Response, JsonElement Body)> UploadAsync(
        string token, string path, (string Name, string Value)[] fields, string fileField, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, fileField, fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await Http.SendAsync(request);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
