using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>What scripts rely on beyond the wire format: order, preconditions, connections held in variables.</summary>
public class SendLarkMessageBehaviourTests
{
    private const string SendId = "LarkPS.Commands.SendLarkMessageCommand";

    [Fact]
    public async Task Results_come_out_in_input_order_even_when_some_items_are_retried()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        world.Sandbox.Faults.FailBeforeStore = 3;
        world.Sandbox.Faults.Latency = TimeSpan.FromMilliseconds(30);

        var result = world.Session.Invoke(
            "$to = $args[0]; 1..20 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $to[$_ % 2]; content = \"n$_\"; uuid = \"order-$_\" } } | Send-LarkMessage",
            (object)new[] { SandboxSeed.OpsChatId, SandboxSeed.GeneralChatId });

        Assert.Empty(result.Errors);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"order-{i}"), result.Output.Select(o => (string)o.Properties["Uuid"].Value));
        Assert.Contains(result.Output, o => (int)o.Properties["Attempts"].Value > 1);
    }

    [Fact]
    public async Task Content_from_ConvertFrom_Json_or_nested_hashtables_is_sent_as_its_JSON()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "$card = '{\"schema\":\"2.0\",\"header\":{\"title\":{\"tag\":\"plain_text\",\"content\":\"Disk\"}},\"body\":{\"elements\":[{\"tag\":\"markdown\",\"content\":\"**db01** 97%\"}]}}' | ConvertFrom-Json; " +
            "Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] -ContentType interactive -Content $card; " +
            "$elements = 1..2 | ForEach-Object { @{ tag = 'markdown'; content = \"line $_\" } }; " +
            "Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] -ContentType interactive -Content @{ schema = '2.0'; body = @{ elements = $elements } }",
            SandboxSeed.OpsChatId);

        Assert.Empty(result.Errors);
        Assert.Equal(2, world.Sandbox.Inbox.Count);
        var first = System.Text.Json.JsonDocument.Parse(world.Sandbox.Inbox[0].Content).RootElement;
        Assert.Equal("**db01** 97%", first.GetProperty("body").GetProperty("elements")[0].GetProperty("content").GetString());
        var second = System.Text.Json.JsonDocument.Parse(world.Sandbox.Inbox[1].Content).RootElement;
        Assert.Equal("line 2", second.GetProperty("body").GetProperty("elements")[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Not_connected_is_said_before_any_input_is_read_even_if_every_item_is_invalid()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke("@{ receiveType = 'chat'; receiveId = 'nope' } | Send-LarkMessage");

        Assert.Equal("NotConnected," + SendId, result.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.Contains("Connect-Lark", result.TerminatingRecord!.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task A_connection_held_in_a_variable_keeps_working_after_connecting_again_and_a_closed_one_is_refused()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "$first = " + world.ConnectScript + " -PassThru; " + world.ConnectScript + "; " +
            "Send-LarkMessage -Connection $first -ReceiveType chat -ReceiveId $args[0] -Text 'via the first connection'; " +
            "Disconnect-Lark; $first.IsClosed",
            SandboxSeed.OpsChatId);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal("via the first connection", System.Text.Json.JsonDocument.Parse(Assert.Single(world.Sandbox.Inbox).Content).RootElement.GetProperty("text").GetString());
        Assert.False((bool)result.Output[^1].BaseObject, "Disconnect-Lark closes the session's current connection, not one held elsewhere");

        var closed = world.Session.Invoke(
            "$c = " + world.ConnectScript + " -PassThru; Disconnect-Lark; Send-LarkMessage -Connection $c -ReceiveType chat -ReceiveId $args[0] -Text 'x'",
            SandboxSeed.OpsChatId);
        Assert.Equal("NotConnected," + SendId, closed.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.Contains("Disconnect-Lark", closed.TerminatingRecord!.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastDelivery_counts_invalid_items_as_failed()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "@{ receiveType = 'chat'; receiveId = $args[0]; content = 'ok' }, @{ receiveType = 'chat'; receiveId = 'bad' } | Send-LarkMessage -ErrorAction SilentlyContinue; " +
            "(Get-LarkConnection).LastDelivery",
            SandboxSeed.OpsChatId);

        var summary = result.Output[^1];
        Assert.Equal(2L, summary.Properties["Submitted"].Value);
        Assert.Equal(1L, summary.Properties["Sent"].Value);
        Assert.Equal(1L, summary.Properties["Failed"].Value);
        Assert.False((bool)summary.Properties["WasStopped"].Value);
    }

    [Fact]
    public async Task Test_LarkMessage_Detailed_has_a_readable_list_view()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "@{ receiveType = 'phone'; receiveId = '13800000001'; content = 'hi' } | Test-LarkMessage -Detailed | Out-String -Width 200");

        var text = Assert.Single(result.Output).ToString();
        Assert.Contains("IsValid", text, StringComparison.Ordinal);
        Assert.Contains("(looked up from phone +8613800000001)", text, StringComparison.Ordinal);
        Assert.Contains("(generated when sent)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InputObject", text, StringComparison.Ordinal);
    }
}

public class SendLarkMessageConfirmTests
{
    [Fact]
    public async Task Confirm_asks_once_per_message_and_sends_only_the_ones_confirmed()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        var host = new ScriptedHost(["Yes", "No", "Yes"]);
        using var session = new PowerShellSession(host);
        var url = sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');
        session.Invoke($"Connect-Lark -BaseUri '{url}' -AppId cli_sandbox -AppSecret (ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force)");

        var result = session.Invoke(
            "$id = $args[0]; 1..3 | ForEach-Object { @{ receiveType = 'chat'; receiveId = $id; content = \"n$_\" } } | Send-LarkMessage -Confirm",
            SandboxSeed.OpsChatId);

        Assert.Empty(result.Errors);
        Assert.Equal(3, host.Prompts.Count);
        Assert.All(host.Prompts, p => Assert.Contains(SandboxSeed.OpsChatId, p, StringComparison.Ordinal));
        Assert.Equal(new[] { "{\"text\":\"n1\"}", "{\"text\":\"n3\"}" }, sandbox.Inbox.Select(m => m.Content).Order().ToArray());
        Assert.Equal(2, result.Output.Count);
    }
}
