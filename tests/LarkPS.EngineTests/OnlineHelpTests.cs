using LarkPS.EngineTests.Infrastructure;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 26: the project has no public home, so Get-Help -Online must have nothing to open. It opens the first related
/// link that has a URI, else the cmdlet's HelpUri; both used to point at a site that does not exist.
/// </summary>
public class OnlineHelpTests
{
    [Theory]
    [InlineData("Connect-Lark")]
    [InlineData("Disconnect-Lark")]
    [InlineData("Get-LarkChat")]
    [InlineData("Get-LarkUser")]
    [InlineData("Get-LarkConnection")]
    [InlineData("Send-LarkMessage")]
    [InlineData("Test-LarkMessage")]
    [InlineData("Set-LarkMessage")]
    [InlineData("Remove-LarkMessage")]
    public void Get_Help_Online_has_no_address_to_open(string cmdlet)
    {
        using var session = new PowerShellSession();

        var result = session.Invoke(
            "'HelpUri=' + (Get-Command $args[0]).HelpUri; @((Get-Help $args[0] -Full).relatedLinks.navigationLink | Where-Object { $_.uri } | ForEach-Object { 'uri=' + $_.uri })",
            cmdlet);

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "HelpUri=" }, result.Output.Select(o => o.ToString()));
    }
}
