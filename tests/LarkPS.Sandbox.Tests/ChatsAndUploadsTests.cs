using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

public sealed class ChatsAndUploadsTests : SandboxTestBase
{
    [Fact]
    public async Task Chats_lists_only_the_chats_the_bot_is_in()
    {
        var token = await GetTokenAsync();

        var (response, body) = await GetAsync("open-apis/im/v1/chats", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = body.GetProperty("data").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([SandboxSeed.OpsChatId, SandboxSeed.GeneralChatId], items.Select(i => i.GetProperty("chat_id").GetString()));
        Assert.Equal(SandboxSeed.OpsChatName, items[0].GetProperty("name").GetString());
        Assert.Equal("open_id", items[0].GetProperty("owner_id_type").GetString());
        Assert.False(items[0].GetProperty("external").GetBoolean());
        Assert.False(body.GetProperty("data").GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Chat_paging_walks_every_member_chat_exactly_once()
    {
        Server.Options.Directory = new SandboxDirectory
        {
            Chats = Enumerable.Range(0, 250)
                .Select(i => new SandboxChat($"oc_{i:x32}", $"chat {i}", BotIsMember: i % 5 != 0))
                .ToList(),
        };
        var token = await GetTokenAsync();
        var seen = new List<string>();
        string? pageToken = null;
        var pages = 0;
        do
        {
            var query = "open-apis/im/v1/chats?page_size=30" + (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken));
            var (_, body) = await GetAsync(query, token);
            var data = body.GetProperty("data");
            var items = data.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("chat_id").GetString()!).ToList();
            Assert.InRange(items.Count, 1, 30);
            seen.AddRange(items);
            pageToken = data.GetProperty("has_more").GetBoolean() ? data.GetProperty("page_token").GetString() : null;
            pages++;
        }
        while (pageToken is not null && pages < 20);

        Assert.Equal(200, seen.Count);
        Assert.Equal(200, seen.Distinct().Count());
        Assert.Equal(7, pages);
    }

    [Theory]
    [InlineData("page_size=101")]
    [InlineData("page_size=0")]
    [InlineData("page_token=bogus")]
    public async Task Bad_paging_parameters_are_field_validation_errors(string query)
    {
        var token = await GetTokenAsync();

        var (response, body) = await GetAsync("open-apis/im/v1/chats?" + query, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99992402, Code(body));
    }

    [Fact]
    public async Task Uploaded_image_key_sends_as_image_but_not_as_file()
    {
        var token = await GetTokenAsync();

        var (response, body) = await UploadAsync(token, "open-apis/im/v1/images", ("image_type", "message"), ("image", UploadSamples.Png(1, 1)));
        var key = body.GetProperty("data").GetProperty("image_key").GetString()!;
        var (asImage, _) = await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, "image", $$"""{"image_key":"{{key}}"}""");
        var (asFile, asFileBody) = await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, "file", $$"""{"file_key":"{{key}}"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("img_v3_", key, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, asImage.StatusCode);
        Assert.Equal(230055, Code(asFileBody));
        Assert.Single(Server.Inbox);
    }

    [Fact]
    public async Task Uploaded_file_keys_remember_their_type()
    {
        var token = await GetTokenAsync();
        var opus = await UploadFileAsync(token, "opus", "voice.opus");
        var mp4 = await UploadFileAsync(token, "mp4", "clip.mp4");
        var pdf = await UploadFileAsync(token, "pdf", "report.pdf");

        Assert.StartsWith("file_v3_", opus, StringComparison.Ordinal);
        Assert.Equal(0, Code((await Send("audio", $$"""{"file_key":"{{opus}}"}""")).Body));
        Assert.Equal(0, Code((await Send("media", $$"""{"file_key":"{{mp4}}"}""")).Body));
        Assert.Equal(0, Code((await Send("file", $$"""{"file_key":"{{pdf}}"}""")).Body));
        Assert.Equal(230055, Code((await Send("audio", $$"""{"file_key":"{{pdf}}"}""")).Body));
        Assert.Equal(230055, Code((await Send("media", $$"""{"file_key":"{{opus}}"}""")).Body));
        Assert.Equal(230055, Code((await Send("image", $$"""{"image_key":"{{pdf}}"}""")).Body));
        Assert.Equal(3, Server.Inbox.Count);

        Task<(HttpResponseMessage Response, JsonElement Body)> Send(string msgType, string content) =>
            SendMessageAsync(token, "chat_id", SandboxSeed.GeneralChatId, msgType, content);
    }

    [Fact]
    public async Task A_file_part_without_a_filename_is_still_the_file_as_the_node_sdk_sends_it()
    {
        var token = await GetTokenAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("stream"), "file_type");
        form.Add(new StringContent("notes.txt"), "file_name");
        var bytes = new ByteArrayContent([1, 2, 3, 4]);
        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        bytes.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"" };
        form.Add(bytes);
        using var request = new HttpRequestMessage(HttpMethod.Post, "open-apis/im/v1/files") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await Http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Null(bytes.Headers.ContentDisposition!.FileName);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("file_v3_", body.RootElement.GetProperty("data").GetProperty("file_key").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_errors_use_larks_upload_codes()
    {
        var token = await GetTokenAsync();

        var (badType, badTypeBody) = await UploadAsync(token, "open-apis/im/v1/images", ("image_type", "banner"), ("image", new byte[] { 1 }));
        var (empty, emptyBody) = await UploadAsync(token, "open-apis/im/v1/images", ("image_type", "message"), ("image", Array.Empty<byte>()));
        var (big, bigBody) = await UploadAsync(token, "open-apis/im/v1/images", ("image_type", "message"), ("image", new byte[(10 * 1024 * 1024) + 1]));
        var (noName, noNameBody) = await UploadAsync(token, "open-apis/im/v1/files", ("file_type", "pdf"), ("file", new byte[] { 1 }));

        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Equal(234001, Code(badTypeBody));
        Assert.Equal(234010, Code(emptyBody));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(234006, Code(bigBody));
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Equal(234001, Code(noNameBody));
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
    }

    [Fact]
    public async Task Uploads_need_a_token()
    {
        var (response, body) = await UploadAsync(null, "open-apis/im/v1/images", ("image_type", "message"), ("image", new byte[] { 1 }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99991661, Code(body));
    }

    private async Task<string> UploadFileAsync(string token, string fileType, string fileName)
    {
        var (response, body) = await UploadAsync(
            token, "open-apis/im/v1/files", ("file_type", fileType), ("file_name", fileName), ("duration", "1200"), ("file", new byte[] { 1, 2, 3 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.GetProperty("data").GetProperty("file_key").GetString()!;
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> UploadAsync(string? token, string path, params (string Name, object Value)[] parts)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in parts)
        {
            if (value is byte[] bytes)
            {
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(file, name, name + ".bin");
            }
            else
            {
                form.Add(new StringContent((string)value), name);
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path, string token) =>
        SendRawAsync(HttpMethod.Get, path, null, token);
}
