using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests.Infrastructure;

/// <summary>A sandbox on a free loopback port plus a PowerShell session with LarkPS imported: one test's world.</summary>
public sealed class EngineWorld : IAsyncDisposable
{
    public const string AppId = "cli_sandbox";
    public const string AppSecret = "sandbox-secret";

    private EngineWorld(SandboxServer sandbox, PowerShellSession session)
    {
        Sandbox = sandbox;
        Session = session;
    }

    public SandboxServer Sandbox { get; }

    public PowerShellSession Session { get; }

    /// <summary>The sandbox's address as users type it, without the trailing slash.</summary>
    public string Url => Sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');

    public static async Task<EngineWorld> StartAsync(SandboxOptions? options = null)
    {
        var sandbox = await SandboxServer.StartAsync(options);
        return new EngineWorld(sandbox, new PowerShellSession());
    }

    /// <summary>The Connect-Lark line of the quick start, against this sandbox.</summary>
    public string ConnectScript =>
        $"Connect-Lark -BaseUri '{Url}' -AppId '{AppId}' -AppSecret (ConvertTo-SecureString '{AppSecret}' -AsPlainText -Force)";

    /// <summary>Connects and fails the test if that did not work.</summary>
    public void Connect()
    {
        var result = Session.Invoke(ConnectScript);
        if (result.Terminating is not null || result.Errors.Count > 0)
        {
            throw new InvalidOperationException("Connect-Lark failed: " + result.AllText());
        }
    }

    /// <summary>
    /// Fails if the App Secret or the tenant token shows anywhere in <paramref name="result"/>. The sandbox, like Lark,
    /// hands out the same token while more than 30 minutes remain, so asking for one here yields the module's token.
    /// </summary>
    public void AssertNoSecrets(InvocationResult result)
    {
        var text = result.AllText();
        Assert.DoesNotContain(AppSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(CurrentToken(), text, StringComparison.Ordinal);
        foreach (var header in Sandbox.Requests.Select(r => r.Headers.TryGetValue("Authorization", out var v) ? v : null).OfType<string>())
        {
            Assert.DoesNotContain(header.Replace("Bearer ", string.Empty, StringComparison.Ordinal), text, StringComparison.Ordinal);
        }
    }

    /// <summary>The tenant token the sandbox currently hands this app.</summary>
    public string CurrentToken()
    {
        using var http = new HttpClient { BaseAddress = Sandbox.BaseAddress };
        using var body = new StringContent($"{{\"app_id\":\"{AppId}\",\"app_secret\":\"{AppSecret}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = http.PostAsync("open-apis/auth/v3/tenant_access_token/internal", body).GetAwaiter().GetResult();
        using var json = System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return json.RootElement.GetProperty("tenant_access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        await Sandbox.DisposeAsync();
    }
}
