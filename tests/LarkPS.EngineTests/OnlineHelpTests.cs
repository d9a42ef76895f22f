using LarkPS.EngineTests.Infrastructure;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>Issue 9: Get-Help -Online opens this module's own documentation of the cmdlet, not Lark's pages.</summary>
public class OnlineHelpTests
{
    private const string ReadmeUri = "https://github.com/larkps/LarkPS/blob/main/README.md#";

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
    public void The_online_link_is_the_README_section_of_the_cmdlet(string cmdlet)
    {
        using var session = new PowerShellSession();

        // Get-Help -Online opens the first related link that has a URI, else the cmdlet's HelpUri: both must be ours.
        var result = session.Invoke(
            "(Get-Command $args[0]).HelpUri; @((Get-Help $args[0] -Full).relatedLinks.navigationLink | Where-Object { $_.uri })[0].uri",
            cmdlet);

        Assert.Empty(result.Errors);
        var expected = ReadmeUri + cmdlet.ToLowerInvariant();
        Assert.Equal(new[] { expected, expected }, result.Output.Select(o => o.ToString()));
        var readme = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.Contains("## " + cmdlet, readme);
    }
}
