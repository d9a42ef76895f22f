using LarkPS.EngineTests.Infrastructure;
using Xunit;

namespace LarkPS.EngineTests;

public class ConnectLarkTests
{
    [Fact]
    public async Task Connects_with_AppId_and_a_SecureString_secret_and_fetches_a_token_at_once()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(world.ConnectScript + " -PassThru -Verbose -Debug");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var connection = Assert.Single(result.Output);
        Assert.Equal("cli_sandbox", connection.Properties["AppId"].Value);
        Assert.Equal("Custom", connection.Properties["Region"].Value.ToString());
        Assert.NotNull(connection.Properties["TokenExpiresAt"].Value);
        Assert.Equal(1, world.Sandbox.Stats.TokensIssued);
        var tokenRequest = Assert.Single(world.Sandbox.Requests, r => r.PathAndQuery.Contains("tenant_access_token", StringComparison.Ordinal));
        Assert.Contains("\"app_id\":\"cli_sandbox\"", tokenRequest.Body, StringComparison.Ordinal);
        Assert.Contains(result.Verbose, v => v.Contains("cli_sandbox", StringComparison.Ordinal));
        AssertNoSecrets(world, result);
    }

    [Fact]
    public async Task Connects_with_a_PSCredential_whose_user_name_is_the_App_ID()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "$cred = [pscredential]::new('cli_sandbox', (ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force)); " +
            "Connect-Lark -Credential $cred -BaseUri $args[0]; Get-LarkConnection",
            world.Url);

        Assert.Null(result.Terminating);
        var connection = Assert.Single(result.Output);
        Assert.Equal("cli_sandbox", connection.Properties["AppId"].Value);
        Assert.Equal(1, world.Sandbox.Stats.TokensIssued);
    }

    [Fact]
    public async Task Refuses_plain_http_to_a_host_that_is_not_loopback_before_sending_anything()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "Connect-Lark -BaseUri 'http://open.example.com' -AppId cli_x -AppSecret (ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force)");

        Assert.NotNull(result.TerminatingRecord);
        Assert.Equal("InvalidBaseUri,LarkPS.Commands.ConnectLarkCommand", result.TerminatingRecord!.FullyQualifiedErrorId);
        Assert.Contains("loopback", result.TerminatingRecord.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_a_terminating_error_naming_10014_and_the_fix_without_the_secret()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "Connect-Lark -BaseUri $args[0] -AppId cli_sandbox -AppSecret (ConvertTo-SecureString 'wrong-secret-123' -AsPlainText -Force) -Verbose -Debug; 'not reached'",
            world.Url);

        Assert.NotNull(result.TerminatingRecord);
        Assert.DoesNotContain(result.Output, o => "not reached".Equals(o?.BaseObject));
        var record = result.TerminatingRecord!;
        Assert.Equal("InvalidAppSecret,LarkPS.Commands.ConnectLarkCommand", record.FullyQualifiedErrorId);
        Assert.Contains("10014", record.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Credentials & Basic Info", record.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-123", result.AllText(), StringComparison.Ordinal);
        Assert.Empty(world.Session.Invoke("Get-LarkConnection").Output);
    }

    [Fact]
    public async Task An_unknown_app_is_a_terminating_error_naming_10003_and_the_region()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "Connect-Lark -BaseUri $args[0] -AppId cli_nobody -AppSecret (ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force)",
            world.Url);

        var record = result.TerminatingRecord;
        Assert.NotNull(record);
        Assert.Equal("UnknownAppId,LarkPS.Commands.ConnectLarkCommand", record!.FullyQualifiedErrorId);
        Assert.Contains("10003", record.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-Region Lark", record.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("cli_nobody", record.TargetObject);
        Assert.DoesNotContain("sandbox-secret", result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_LarkConnection_shows_app_host_region_and_expiry_but_never_the_secret_or_token()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "$c = Get-LarkConnection; $c | Format-List * | Out-String; $c | Format-Table | Out-String; $c | ConvertTo-Json -Depth 4; $c | Export-Clixml -Path $args[0]; Get-Content $args[0] -Raw",
            Path.Combine(Path.GetTempPath(), "larkps-conn-" + Guid.NewGuid().ToString("N") + ".xml"));

        Assert.Null(result.Terminating);
        var text = string.Join("\n", result.Output.Select(o => o.ToString()));
        var methods = world.Session.Invoke("(Get-LarkConnection).PSObject.Methods.Name").Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Dispose", methods);
        Assert.DoesNotContain(methods, m => m.Contains("EnsureToken", StringComparison.OrdinalIgnoreCase) || m is "get_Tokens" or "get_Client");
        Assert.Contains("cli_sandbox", text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", text, StringComparison.Ordinal);
        Assert.Contains("TokenExpiresAt", text, StringComparison.Ordinal);
        AssertNoSecrets(world, result);
    }

    [Fact]
    public async Task Disconnect_Lark_forgets_the_connection_and_later_sends_say_not_connected()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke("Disconnect-Lark; Get-LarkConnection; Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] -Text hi", LarkPS.Sandbox.SandboxSeed.OpsChatId);

        Assert.Empty(result.Output);
        Assert.Equal("NotConnected,LarkPS.Commands.SendLarkMessageCommand", result.TerminatingRecord?.FullyQualifiedErrorId);
    }

    [Fact]
    public async Task Each_PowerShell_session_has_its_own_connection()
    {
        await using var world = await EngineWorld.StartAsync();
        using var other = new PowerShellSession();
        world.Connect();

        Assert.Single(world.Session.Invoke("Get-LarkConnection").Output);
        Assert.Empty(other.Invoke("Get-LarkConnection").Output);
    }

    internal static void AssertNoSecrets(EngineWorld world, InvocationResult result) => world.AssertNoSecrets(result);
}

/// <summary>Tests that change process-wide environment variables run alone.</summary>
[CollectionDefinition(nameof(EnvironmentVariableTests), DisableParallelization = true)]
public sealed class EnvironmentVariableTests
{
}

[Collection(nameof(EnvironmentVariableTests))]
public class ConnectLarkFromEnvironmentTests
{
    [Fact]
    public async Task Without_parameters_takes_LARK_APP_ID_and_LARK_APP_SECRET_from_the_environment()
    {
        await using var world = await EngineWorld.StartAsync();
        try
        {
            Environment.SetEnvironmentVariable("LARK_APP_ID", EngineWorld.AppId);
            Environment.SetEnvironmentVariable("LARK_APP_SECRET", EngineWorld.AppSecret);

            var result = world.Session.Invoke("Connect-Lark -BaseUri $args[0] -Verbose -PassThru", world.Url);

            Assert.Null(result.Terminating);
            Assert.Equal("cli_sandbox", Assert.Single(result.Output).Properties["AppId"].Value);
            ConnectLarkTests.AssertNoSecrets(world, result);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LARK_APP_ID", null);
            Environment.SetEnvironmentVariable("LARK_APP_SECRET", null);
        }
    }

    [Fact]
    public async Task Without_parameters_or_environment_says_what_to_give()
    {
        await using var world = await EngineWorld.StartAsync();
        Environment.SetEnvironmentVariable("LARK_APP_ID", null);
        Environment.SetEnvironmentVariable("LARK_APP_SECRET", null);

        var result = world.Session.Invoke("Connect-Lark -BaseUri $args[0]", world.Url);

        Assert.Equal("MissingCredentials,LarkPS.Commands.ConnectLarkCommand", result.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.Contains("LARK_APP_SECRET", result.TerminatingRecord!.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Sandbox.Stats.TokenRequests);
    }
}
