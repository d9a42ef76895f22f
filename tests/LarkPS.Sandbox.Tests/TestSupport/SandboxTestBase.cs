using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace LarkPS.Sandbox.Tests.TestSupport;

/// <summary>
/// Each test gets its own sandbox on a free loopback port and talks to it over real HTTP,
/// the way LarkPS and the SDKs do.
/// </summary>
public abstract class SandboxTestBase : IAsyncLifetime
{
    private SandboxServer? server;
    private HttpClient? http;

    protected FakeClock Clock { get; } = new();

    protected SandboxServer Server => server ?? throw new InvalidOperationException("not started");

    protected HttpClient Http => http ?? throw new InvalidOperationException("not started");

    /// <summary>Override to shape the sandbox; the default freezes time so quotas never trip by accident of timing.</summary>
    protected virtual void Configure(SandboxOptions options) => options.TimeProvider = Clock;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions();
        Configure(options);
        server = await SandboxServer.StartAsync(options);
        http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task DisposeAsync()
    {
        http?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    protected async Task<string> GetTokenAsync()
    {
        var (_, body) = await PostJsonAsync(
            "open-apis/auth/v3/tenant_access_token/internal",
            new JsonObject { ["app_id"] = SandboxSeed.AppId, ["app_secret"] = SandboxSeed.AppSecret });
        Assert.Equal(0, body.GetProperty("code").GetInt32());
        return body.GetProperty("tenant_access_token").GetString()!;
    }

    protected async Task<(HttpResponseMessage Response, JsonElement Body)> PostJsonAsync(string path, JsonNode body, string? token = null) =>
        await SendRawAsync(HttpMethod.Post, path, body.ToJsonString(), token);

    protected async Task<(HttpResponseMessage Response, JsonElement Body)> SendRawAsync(
        HttpMethod method, string path, string? json, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[')
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response, parsed);
    }

    /// <summary>Sends a message the way Lark wants it: content as a string of serialized JSON.</summary>
    protected Task<(HttpResponseMessage Response, JsonElement Body)> SendMessageAsync(
        string token, string receiveIdType, string receiveId, string msgType, string content, string? uuid = null)
    {
        var body = new JsonObject { ["receive_id"] = receiveId, ["msg_type"] = msgType, ["content"] = content };
        if (uuid is not null)
        {
            body["uuid"] = uuid;
        }

        return PostJsonAsync($"open-apis/im/v1/messages?receive_id_type={receiveIdType}", body, token);
    }

    protected Task<(HttpResponseMessage Response, JsonElement Body)> SendTextAsync(
        string token, string text = "hello", string? uuid = null, string receiveId = SandboxSeed.AliceOpenId, string receiveIdType = "open_id") =>
        SendMessageAsync(token, receiveIdType, receiveId, "text", Text(text), uuid);

    protected static string Text(string text) => new JsonObject { ["text"] = text }.ToJsonString();

    protected static int Code(JsonElement body) => body.GetProperty("code").GetInt32();

    protected static string MessageId(JsonElement body) => body.GetProperty("data").GetProperty("message_id").GetString()!;
}
