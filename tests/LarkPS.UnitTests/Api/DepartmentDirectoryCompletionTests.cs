using System.Net;
using Xunit;

namespace LarkPS.UnitTests.Api;

/// <summary>
/// Tab completion of -Department reads the tree the way -ReceiveId reads the chats (one CachedList): once, shared by
/// every Tab, and shared with the cmdlets. That a read Lark refuses is not asked again on the next Tab is CachedList's,
/// tested through the chats (ChatDirectoryCompletionTests) and, for departments, in real pwsh (DepartmentCompleter.Tests.ps1).
/// </summary>
public class DepartmentDirectoryCompletionTests
{
    private const string Token = "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-1\",\"expire\":7200}";
    private const string Tree = "{\"code\":0,\"data\":{\"items\":[{\"open_department_id\":\"od-eng\",\"name\":\"Engineering\",\"parent_department_id\":\"0\"},"
        + "{\"open_department_id\":\"od-plat\",\"name\":\"Platform\",\"parent_department_id\":\"od-eng\"}],\"has_more\":false}}";

    private static readonly Uri Base = new("https://open.feishu.cn/");

    [Fact]
    public async Task The_first_Tab_reads_the_tree_and_the_next_Tab_and_the_cmdlets_use_it()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, Token);
        handler.Answer(HttpStatusCode.OK, Tree);
        using var connection = TestConnections.Connect(Base, handler);

        var first = connection.Departments.ForCompletion(TimeSpan.FromSeconds(20));
        var second = connection.Departments.ForCompletion(TimeSpan.FromSeconds(20));
        var cmdlet = await connection.Departments.GetTreeAsync(false, CancellationToken.None);

        Assert.Equal(new[] { "Engineering", "Engineering/Platform" }, first!.Select(d => d.Path));
        Assert.Same(first, second);
        Assert.Same(first, cmdlet);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains("/open-apis/contact/v3/departments/0/children?fetch_child=true", handler.Requests[1].Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_with_force_reads_again_and_completion_then_offers_the_new_tree()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, Token);
        handler.Answer(HttpStatusCode.OK, Tree);
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"data\":{\"items\":[{\"open_department_id\":\"od-sales\",\"name\":\"Sales\",\"parent_department_id\":\"0\"}],\"has_more\":false}}");
        using var connection = TestConnections.Connect(Base, handler);

        await connection.Departments.GetTreeAsync(false, CancellationToken.None);
        var forced = await connection.Departments.GetTreeAsync(true, CancellationToken.None);

        Assert.Equal("Sales", Assert.Single(forced).Name);
        Assert.Same(forced, connection.Departments.ForCompletion(TimeSpan.FromSeconds(20)));
        Assert.Equal(3, handler.Requests.Count);
    }
}
