using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

public class RequestLogTests : SandboxTestBase
{
    [Theory]
    [InlineData("sandbox-secret")]
    [InlineData("a real secret with \"quotes\" and \\ backslashes")]
    public async Task The_request_log_never_keeps_an_app_secret(string secret)
    {
        await PostJsonAsync("/open-apis/auth/v3/tenant_access_token/internal", new JsonObject { ["app_id"] = SandboxSeed.AppId, ["app_secret"] = secret });

        var logged = Assert.Single(Server.Requests);
        Assert.Contains("\"app_id\":\"cli_sandbox\"", logged.Body, StringComparison.Ordinal);
        Assert.Contains("\"app_secret\":\"***\"", logged.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret\"", logged.Body.Replace("\"app_secret\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("quotes", logged.Body, StringComparison.Ordinal);
        var page = await Http.GetStringAsync("/_sandbox/requests");
        Assert.DoesNotContain("sandbox-secret", page, StringComparison.Ordinal);
    }
}
