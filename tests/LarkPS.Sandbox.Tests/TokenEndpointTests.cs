using System.Net;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

public sealed class TokenEndpointTests : SandboxTestBase
{
    private const string TokenPath = "open-apis/auth/v3/tenant_access_token/internal";

    [Fact]
    public async Task Valid_credentials_get_a_t_token_with_fields_at_top_level()
    {
        var (response, body) = await PostJsonAsync(TokenPath, Credentials(SandboxSeed.AppId, SandboxSeed.AppSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        Assert.Equal("ok", body.GetProperty("msg").GetString());
        Assert.StartsWith("t-", body.GetProperty("tenant_access_token").GetString(), StringComparison.Ordinal);
        Assert.Equal(7200, body.GetProperty("expire").GetInt32());
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Equal(1, Server.Stats.TokensIssued);
    }

    [Fact]
    public async Task Unknown_app_id_answers_10003_with_http_200()
    {
        var (response, body) = await PostJsonAsync(TokenPath, Credentials("cli_other", SandboxSeed.AppSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10003, Code(body));
        Assert.False(body.TryGetProperty("tenant_access_token", out _));
        Assert.Equal(0, Server.Stats.TokensIssued);
        Assert.Equal(1, Server.Stats.TokenRequests);
    }

    [Fact]
    public async Task Wrong_secret_answers_10014_with_http_200()
    {
        var (response, body) = await PostJsonAsync(TokenPath, Credentials(SandboxSeed.AppId, "not-the-secret"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10014, Code(body));
        Assert.False(body.TryGetProperty("tenant_access_token", out _));
    }

    [Fact]
    public async Task Same_token_while_more_than_30_minutes_remain_then_a_new_one_and_the_old_stays_valid()
    {
        var first = await IssueAsync();

        Clock.Advance(TimeSpan.FromMinutes(89));
        var again = await IssueAsync();
        Assert.Equal(first.Token, again.Token);
        Assert.Equal(31 * 60, again.Expire);

        Clock.Advance(TimeSpan.FromMinutes(2));
        var fresh = await IssueAsync();
        Assert.NotEqual(first.Token, fresh.Token);
        Assert.Equal(7200, fresh.Expire);

        // The old token is still good until its own expiry...
        var (_, stillGood) = await SendTextAsync(first.Token);
        Assert.Equal(0, Code(stillGood));

        // ...and refused after it, while the new one works.
        Clock.Advance(TimeSpan.FromMinutes(30));
        var (expiredResponse, expired) = await SendTextAsync(first.Token);
        Assert.Equal(HttpStatusCode.BadRequest, expiredResponse.StatusCode);
        Assert.Equal(99991663, Code(expired));
        var (_, withFresh) = await SendTextAsync(fresh.Token);
        Assert.Equal(0, Code(withFresh));
    }

    [Fact]
    public async Task Configured_credentials_and_lifetime_are_honoured()
    {
        await using var custom = await SandboxServer.StartAsync(new SandboxOptions
        {
            AppId = "cli_custom",
            AppSecret = "custom-secret",
            TokenLifetime = TimeSpan.FromMinutes(20),
        });
        using var client = new HttpClient { BaseAddress = custom.BaseAddress };

        using var response = await client.PostAsync(TokenPath, new StringContent(Credentials("cli_custom", "custom-secret").ToJsonString()));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(0, (int)body["code"]!);
        Assert.InRange((int)body["expire"]!, 1190, 1200);
    }

    private async Task<(string Token, int Expire)> IssueAsync()
    {
        var (_, body) = await PostJsonAsync(TokenPath, Credentials(SandboxSeed.AppId, SandboxSeed.AppSecret));
        Assert.Equal(0, Code(body));
        return (body.GetProperty("tenant_access_token").GetString()!, body.GetProperty("expire").GetInt32());
    }

    private static JsonObject Credentials(string appId, string secret) =>
        new() { ["app_id"] = appId, ["app_secret"] = secret };
}
