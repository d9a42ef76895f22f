using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>The inbox page shows a sent image as the image and a sent file by the name it was uploaded with.</summary>
public sealed class InboxAttachmentsBrowserTests
{
    [Fact]
    public async Task Inbox_page_shows_sent_images_and_file_names()
    {
        TestDependencies.RequireChromium();
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var tokenAnswer = await http.PostAsJsonAsync(
            "open-apis/auth/v3/tenant_access_token/internal", new { app_id = SandboxSeed.AppId, app_secret = SandboxSeed.AppSecret });
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonObject>())!["tenant_access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var imageKey = await UploadAsync(http, "open-apis/im/v1/images", "image", "image_key", UploadSamples.PixelPng, "chart.png", ("image_type", "message"));
        var fileKey = await UploadAsync(http, "open-apis/im/v1/files", "file", "file_key", [0x25, 0x50, 0x44, 0x46, 0x2D], "Weekly <report>.pdf", ("file_type", "pdf"), ("file_name", "Weekly <report>.pdf"));
        await SendAsync(http, "image", new JsonObject { ["image_key"] = imageKey });
        await SendAsync(http, "file", new JsonObject { ["file_key"] = fileKey });

        var dump = await TestDependencies.RunHeadlessChromiumAsync(
            sandbox.BaseAddress.ToString(), ["--virtual-time-budget=5000", "--window-size=1280,900", "--dump-dom"], TimeSpan.FromSeconds(90));

        Assert.True(dump.ExitCode == 0, $"chromium --dump-dom exited {dump.ExitCode}\n{dump.Stderr}");
        var dom = dump.Stdout;
        Assert.Contains("live · 2 messages", dom, StringComparison.Ordinal);
        Assert.Contains($"<img class=\"attachment-image\" src=\"/_sandbox/uploads/{imageKey}\"", dom, StringComparison.Ordinal);
        Assert.Contains("Weekly &lt;report&gt;.pdf", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("Weekly <report>", dom, StringComparison.Ordinal);
        Assert.Contains("5 bytes", dom, StringComparison.Ordinal);
    }

    private static async Task<string> UploadAsync(
        HttpClient http, string path, string field, string keyName, byte[] bytes, string fileName, params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, field, fileName);
        using var response = await http.PostAsync(path, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").GetProperty(keyName).GetString()!;
    }

    private static async Task SendAsync(HttpClient http, string msgType, JsonNode content)
    {
        using var response = await http.PostAsJsonAsync(
            "open-apis/im/v1/messages?receive_id_type=chat_id",
            new { receive_id = SandboxSeed.OpsChatId, msg_type = msgType, content = content.ToJsonString() });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
