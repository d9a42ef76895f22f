using System.Net;
using Xunit;

namespace LarkPS.UnitTests.Api;

/// <summary>Issue 26, finding 9: Tab reads the chat list from the connection once, and never hammers Lark.</summary>
public class ChatDirectoryCompletionTests
{
    private const string Token = "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-1\",\"expire\":7200}";
    private static readonly Uri Base = new("https://open.feishu.cn/");

    [Fact]
    public void The_first_Tab_reads_the_list_and_the_next_uses_the_cache()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, Token);
        handler.Answer(HttpStatusCode.OK, "{\"code\":0,\"data\":{\"items\":[{\"chat_id\":\"oc_1\",\"name\":\"Ops alerts\"}],\"has_more\":false}}");
        using var connection = TestConnections.Connect(Base, handler);

        var first = connection.Chats.ForCompletion(TimeSpan.FromSeconds(20));
        var second = connection.Chats.ForCompletion(TimeSpan.FromSeconds(20));

        Assert.Equal("Ops alerts", Assert.Single(first!).Name);
        Assert.Same(first, second);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains("/open-apis/im/v1/chats?page_size=100", handler.Requests[1].Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_Lark_refuses_gives_nothing_and_is_not_asked_again_on_the_next_Tab()
    {
        var handler = new ScriptedHandler();
        handler.Answer(HttpStatusCode.OK, Token);
        handler.Answer(HttpStatusCode.BadRequest, "{\"code\":123456,\"msg\":\"no permission\"}");
        using var connection = TestConnections.Connect(Base, handler);

        var first = connection.Chats.ForCompletion(TimeSpan.FromSeconds(20));
        var second = connection.Chats.ForCompletion(TimeSpan.FromSeconds(20));

        Assert.Null(first);
        Assert.Null(second);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public void A_closed_connection_starts_no_read()
    {
        var handler = new ScriptedHandler();
        var connection = TestConnections.Connect(Base, handler);
        connection.Dispose();

        Assert.Null(connection.Chats.ForCompletion(TimeSpan.FromSeconds(1)));
        Assert.Empty(handler.Requests);
    }
}
