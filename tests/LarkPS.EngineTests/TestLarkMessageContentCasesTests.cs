using System.Collections;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.TestCases;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>Test-LarkMessage, as users call it in PowerShell, against the shared content cases.</summary>
public class TestLarkMessageContentCasesTests
{
    [Fact]
    public void Test_LarkMessage_says_true_exactly_for_the_content_Lark_accepts()
    {
        using var session = new PowerShellSession();
        var cases = ContentCases.All;
        var items = cases
            .Select(c => new Hashtable
            {
                ["receiveType"] = "chat",
                ["receiveId"] = ContentCases.ReceiveId,
                ["contentType"] = c.MsgType,
                ["content"] = c.Content,
            })
            .ToArray();

        var result = session.Invoke("$args[0] | Test-LarkMessage", new object[] { items });

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(cases.Count, result.Output.Count);
        var disagreements = cases
            .Select((c, i) => (Case: c, Said: (bool)result.Output[i].BaseObject))
            .Where(x => x.Said != x.Case.LarkPSAccepts)
            .Select(x => $"{x.Case.Name}: {x.Case.Verdict} ({x.Case.Source}), Test-LarkMessage said {x.Said}")
            .ToList();
        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
        Assert.Contains(cases, c => c.Accepted);
        Assert.Contains(cases, c => !c.Accepted);
    }
}
