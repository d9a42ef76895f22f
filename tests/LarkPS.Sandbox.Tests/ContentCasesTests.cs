using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using LarkPS.TestCases;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// The sandbox against the shared content cases: each case POSTed, as LarkPS sends it, to one sandbox on a free
/// loopback port; the answer must be Lark's code, and only what Lark accepts is delivered.
/// </summary>
public sealed class ContentCasesTests : IClassFixture<ContentCasesTests.Sandbox>
{
    private readonly Sandbox sandbox;

    public ContentCasesTests(Sandbox sandbox) => this.sandbox = sandbox;

    [Theory]
    [MemberData(nameof(ContentCases.Names), MemberType = typeof(ContentCases))]
    public async Task The_sandbox_answers_larks_code(string name)
    {
        var item = ContentCases.Get(name);
        var body = ContentCases.RequestBody(item);

        var (status, answer, delivered) = await sandbox.SendAsync(body);

        var code = answer.GetProperty("code").GetInt32();
        Assert.True(
            code == (item.Code ?? 0),
            $"{name}: {item.Verdict} ({item.Source}), but the sandbox answered {code} {answer.GetProperty("msg").GetString()}");
        Assert.Equal(item.Accepted ? HttpStatusCode.OK : HttpStatusCode.BadRequest, status);
        if (item.CardCode is { } sub)
        {
            // LARK-API.md: a 230099 names its sub-code and where in the card, "ext=ErrCode: N; ErrPath: ROOT -> …".
            var msg = answer.GetProperty("msg").GetString()!;
            Assert.Contains("ErrCode: " + sub + ";", msg, StringComparison.Ordinal);
            Assert.Contains("ErrPath: ROOT -> body -> elements -> [", msg, StringComparison.Ordinal);
        }

        if (item.Accepted)
        {
            var message = Assert.Single(delivered);
            Assert.Equal(item.Content, message.Content);
            Assert.Equal(item.MsgType, message.MsgType);
        }
        else
        {
            Assert.Empty(delivered);
        }
    }

    /// <summary>One sandbox for every case; its clock moves a second per send, so no quota ever trips.</summary>
    public sealed class Sandbox : IAsyncLifetime
    {
        private readonly FakeClock clock = new();
        private readonly SemaphoreSlim one = new(1, 1);
        private SandboxServer? server;
        private HttpClient? http;
        private string? token;

        public async Task InitializeAsync()
        {
            server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock });
            http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
            var tokenBody = new JsonObject { ["app_id"] = SandboxSeed.AppId, ["app_secret"] = SandboxSeed.AppSecret }.ToJsonString();
            using var response = await http.PostAsync(
                "open-apis/auth/v3/tenant_access_token/internal", new StringContent(tokenBody, Encoding.UTF8, "application/json"));
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            token = answer.RootElement.GetProperty("tenant_access_token").GetString();
        }

        /// <summary>Sends <paramref name="body"/> verbatim; returns the answer and the messages it delivered.</summary>
        public async Task<(HttpStatusCode Status, JsonElement Answer, IReadOnlyList<DeliveredMessage> Delivered)> SendAsync(string body)
        {
            await one.WaitAsync();
            try
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                var before = server!.Inbox.Count;
                using var request = new HttpRequestMessage(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=" + ContentCases.ReceiveIdType)
                {
                    Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http!.SendAsync(request);
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return (response.StatusCode, answer.RootElement.Clone(), server.Inbox.Skip(before).ToList());
            }
            finally
            {
                one.Release();
            }
        }

        public async Task DisposeAsync()
        {
            http?.Dispose();
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            one.Dispose();
        }
    }
}
