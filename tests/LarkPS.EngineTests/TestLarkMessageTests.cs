using System.Text.Json;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

public class TestLarkMessageTests
{
    [Fact]
    public async Task Answers_true_or_false_per_item_without_any_request_even_when_connected()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var before = world.Sandbox.Requests.Count;

        var result = world.Session.Invoke(
            "@{ receiveType = 'chat'; receiveId = $args[0]; content = 'ok' }," +
            "@{ receiveType = 'chat'; receiveId = 'ops'; content = 'bad id' }," +
            "@{ receiveType = 'phone'; receiveId = '13800000001'; contentType = 'post'; content = '{\"zh_cn\":{\"title\":\"t\",\"content\":[[{\"tag\":\"text\",\"text\":\"x\"}]]}}' }," +
            "@{ receiveType = 'user'; receiveId = $args[1]; contentType = 'interactive'; content = '{\"card\":{}}' } | Test-LarkMessage",
            SandboxSeed.OpsChatId, SandboxSeed.AliceOpenId);

        Assert.Equal(new object[] { true, false, true, false }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Empty(result.Errors);
        Assert.Equal(before, world.Sandbox.Requests.Count);
        Assert.Equal(1, world.Sandbox.Stats.TokenRequests);
    }

    [Fact]
    public async Task Needs_no_connection_and_sends_not_even_a_token_request()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke("Test-LarkMessage -ReceiveType chat -ReceiveId $args[0] -Text 'hi'", SandboxSeed.OpsChatId);

        Assert.True((bool)Assert.Single(result.Output).BaseObject);
        Assert.Empty(world.Sandbox.Requests);
    }

    [Fact]
    public async Task Detailed_shows_the_problems_and_the_exact_request()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "[pscustomobject]@{ receive_id_type = 'chat_id'; receive_id = $args[0]; msg_type = 'text'; content = 'Disk full'; uuid = 'u-1' }," +
            "[pscustomobject]@{ receiveType = 'email'; receiveId = 'not-an-email'; contentType = 'image'; content = '{}' } | Test-LarkMessage -Detailed",
            SandboxSeed.OpsChatId);

        Assert.Equal(2, result.Output.Count);
        var good = result.Output[0];
        Assert.True((bool)good.Properties["IsValid"].Value);
        Assert.Equal("chat_id", good.Properties["ReceiveIdType"].Value);
        Assert.Equal(SandboxSeed.OpsChatId, good.Properties["ReceiveId"].Value);
        Assert.Equal("text", good.Properties["MsgType"].Value);
        Assert.Equal("{\"text\":\"Disk full\"}", good.Properties["Content"].Value);
        var body = JsonDocument.Parse((string)good.Properties["RequestBody"].Value).RootElement;
        Assert.Equal(SandboxSeed.OpsChatId, body.GetProperty("receive_id").GetString());
        Assert.Equal("{\"text\":\"Disk full\"}", body.GetProperty("content").GetString());
        Assert.Equal("u-1", body.GetProperty("uuid").GetString());
        var bad = result.Output[1];
        Assert.False((bool)bad.Properties["IsValid"].Value);
        var problems = (string[])bad.Properties["Problems"].Value;
        Assert.Contains(problems, p => p.Contains("receiveId", StringComparison.Ordinal) && p.Contains("e-mail", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(problems, p => p.Contains("image_key", StringComparison.Ordinal));
        Assert.Empty(world.Sandbox.Requests);
    }
}
