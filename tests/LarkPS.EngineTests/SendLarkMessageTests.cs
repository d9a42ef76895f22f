using System.Management.Automation;
using System.Text.Json;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

public class SendLarkMessageTests
{
    private const string SendId = "LarkPS.Commands.SendLarkMessageCommand";

    [Theory]
    [InlineData("user", SandboxSeed.AliceOpenId, "open_id", SandboxSeed.AliceOpenId)]
    [InlineData("open_id", SandboxSeed.BobOpenId, "open_id", SandboxSeed.BobOpenId)]
    [InlineData("email", SandboxSeed.AliceEmail, "email", SandboxSeed.AliceEmail)]
    [InlineData("chat", SandboxSeed.OpsChatId, "chat_id", SandboxSeed.OpsChatId)]
    [InlineData("chat_id", SandboxSeed.GeneralChatId, "chat_id", SandboxSeed.GeneralChatId)]
    [InlineData("union_id", SandboxSeed.BobUnionId, "union_id", SandboxSeed.BobUnionId)]
    [InlineData("user_id", SandboxSeed.BobUserId, "user_id", SandboxSeed.BobUserId)]
    [InlineData("phone", "13800000001", "open_id", SandboxSeed.AliceOpenId)]
    [InlineData("phone", "+86 138-0000-0002", "open_id", SandboxSeed.BobOpenId)]
    [InlineData("phone", "+1 415 555 0100", "open_id", SandboxSeed.ErinOpenId)]
    public async Task Every_receiveType_reaches_Lark_with_the_right_receive_id_type(string receiveType, string receiveId, string wireType, string wireId)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "[pscustomobject]@{ receiveType = $args[0]; receiveId = $args[1]; contentType = 'text'; content = '{\"text\":\"Hello!\"}' } | Send-LarkMessage",
            receiveType, receiveId);

        Assert.Empty(result.Errors);
        var sent = Assert.Single(result.Output);
        var delivered = Assert.Single(world.Sandbox.Inbox);
        Assert.Equal(wireType, delivered.ReceiveIdType);
        Assert.Equal(wireId, delivered.ReceiveId);
        Assert.Equal("{\"text\":\"Hello!\"}", delivered.Content);
        Assert.Equal(delivered.MessageId, sent.Properties["MessageId"].Value);
        Assert.Equal(delivered.ChatId, sent.Properties["ChatId"].Value);
        Assert.Equal(receiveType, sent.Properties["ReceiveType"].Value);
        Assert.Equal(receiveId, sent.Properties["ReceiveId"].Value);
        Assert.Equal(delivered.Uuid, sent.Properties["Uuid"].Value);
        Assert.False(string.IsNullOrEmpty(delivered.Uuid));
        Assert.IsType<DateTimeOffset>(sent.Properties["CreateTime"].Value);
        Assert.False(string.IsNullOrEmpty((string?)sent.Properties["LogId"].Value));
    }

    public static TheoryData<string, string> Contents() => new()
    {
        { "text", "{\"text\":\"Disk <at user_id=\\\"all\\\"></at> full\"}" },
        { "post", "{\"zh_cn\":{\"title\":\"Deploy\",\"content\":[[{\"tag\":\"text\",\"text\":\"v1.2 \"},{\"tag\":\"a\",\"text\":\"notes\",\"href\":\"https://example.com\"}]]}}" },
        { "image", "{\"image_key\":\"img_v3_0abc\"}" },
        { "interactive", "{\"schema\":\"2.0\",\"header\":{\"title\":{\"tag\":\"plain_text\",\"content\":\"CPU high\"},\"template\":\"red\"},\"body\":{\"elements\":[{\"tag\":\"markdown\",\"content\":\"**web-01** at 97%\"}]}}" },
        { "share_chat", "{\"chat_id\":\"" + SandboxSeed.GeneralChatId + "\"}" },
        { "share_user", "{\"user_id\":\"" + SandboxSeed.BobOpenId + "\"}" },
        { "audio", "{\"file_key\":\"file_v3_audio1\"}" },
        { "media", "{\"file_key\":\"file_v3_media1\",\"image_key\":\"img_v3_cover\"}" },
        { "file", "{\"file_key\":\"file_v3_report\"}" },
        { "sticker", "{\"file_key\":\"file_v3_sticker\"}" },
    };

    [Theory]
    [MemberData(nameof(Contents))]
    public async Task Every_contentType_is_sent_as_Lark_expects(string contentType, string content)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "@{ receiveType = 'chat'; receiveId = $args[0]; contentType = $args[1]; content = $args[2] } | Send-LarkMessage",
            SandboxSeed.OpsChatId, contentType, content);

        Assert.Empty(result.Errors);
        Assert.Single(result.Output);
        var delivered = Assert.Single(world.Sandbox.Inbox);
        Assert.Equal(contentType, delivered.MsgType);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(content).RootElement, JsonDocument.Parse(delivered.Content).RootElement), delivered.Content);
    }

    [Fact]
    public async Task The_seed_message_body_piped_as_JSON_text_sends_every_message_in_it()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var file = Path.Combine(Path.GetTempPath(), "larkps-body-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, $$$"""
            [
              {"receiveType":"user","receiveId":"{{{SandboxSeed.AliceOpenId}}}","contentType":"text","content":"{\"text\":\"Hello!\"}"},
              {"receiveType":"email","receiveId":"{{{SandboxSeed.BobEmail}}}","content":"{\"text\":\"Hi Bob\"}"},
              {"receiveType":"chat","receiveId":"{{{SandboxSeed.OpsChatId}}}","contentType":"post","content":"{\"en_us\":{\"title\":\"Nightly\",\"content\":[[{\"tag\":\"text\",\"text\":\"green\"}]]}}"}
            ]
            """);

        var result = world.Session.Invoke("Get-Content -Path $args[0] -Raw | Send-LarkMessage", file);

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Output.Count);
        Assert.Equal(new[] { "open_id", "email", "chat_id" }, world.Sandbox.Inbox.Select(m => m.ReceiveIdType).OrderBy(t => t == "open_id" ? 0 : t == "email" ? 1 : 2).ToArray());
        Assert.Contains(world.Sandbox.Inbox, m => m.MsgType == "post" && m.Content.Contains("Nightly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_phone_number_outside_the_visible_range_fails_with_the_remedy_and_the_others_are_sent()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "$items = @(" +
            " [pscustomobject]@{ receiveType = 'phone'; receiveId = '13800000001'; content = 'first' }," +
            " [pscustomobject]@{ receiveType = 'phone'; receiveId = '+86 13800000003'; content = 'carol is not visible' }," +
            " [pscustomobject]@{ receiveType = 'phone'; receiveId = '13800000002'; content = 'third' });" +
            "$items | Send-LarkMessage; $global:items = $items");

        Assert.Equal(2, result.Output.Count);
        var error = Assert.Single(result.Errors);
        Assert.Equal("PhoneNotResolved," + SendId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("+86 13800000003", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("availability (visible) range", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("publish a new app version", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("+86 13800000003", ((PSObject)error.TargetObject).Properties["receiveId"].Value);
        Assert.Equal(new[] { SandboxSeed.AliceOpenId, SandboxSeed.BobOpenId }, world.Sandbox.Inbox.Select(m => m.ReceiveId).Order().ToArray().OrderBy(x => x == SandboxSeed.AliceOpenId ? 0 : 1).ToArray());
        Assert.DoesNotContain(world.Sandbox.Inbox, m => m.ReceiveId == SandboxSeed.CarolOpenId);
    }

    [Fact]
    public async Task Phone_numbers_are_looked_up_in_batches_not_one_call_each()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "1..30 | ForEach-Object { [pscustomobject]@{ receiveType = 'phone'; receiveId = @('13800000001','13800000002','+14155550100')[$_ % 3]; content = \"n$_\" } } | Send-LarkMessage -ThrottleLimit 16");

        Assert.Empty(result.Errors);
        Assert.Equal(30, world.Sandbox.Inbox.Count);
        var lookups = world.Sandbox.Requests.Count(r => r.PathAndQuery.Contains("batch_get_id", StringComparison.Ordinal));
        Assert.InRange(lookups, 1, 3);
    }

    [Fact]
    public async Task Invalid_items_mixed_with_valid_ones_are_reported_and_never_sent_and_the_rest_are_delivered()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "$global:items = @(" +
            " [pscustomobject]@{ receiveType = 'chat'; receiveId = $args[0]; content = 'one' }," +
            " [pscustomobject]@{ receiveType = 'chat'; receiveId = 'general'; content = 'bad chat id' }," +
            " [pscustomobject]@{ receiveType = 'chat'; receiveId = $args[0]; contentType = 'image'; content = '{\"file_key\":\"x\"}' }," +
            " [pscustomobject]@{ receiveType = 'fax'; receiveId = '12345'; content = 'bad type' }," +
            " [pscustomobject]@{ receiveType = 'chat'; receiveId = $args[0]; content = 'five' });" +
            "$global:items | Send-LarkMessage",
            SandboxSeed.OpsChatId);

        Assert.Equal(2, result.Output.Count);
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("InvalidMessage," + SendId, e.FullyQualifiedErrorId));
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category));
        Assert.Contains("receiveId", result.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("oc_", result.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("image_key", result.Errors[1].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("fax", result.Errors[2].ErrorDetails.Message, StringComparison.Ordinal);
        var items = world.Session.Invoke("$global:items").Output;
        Assert.Same(items[1].BaseObject, ((PSObject)result.Errors[0].TargetObject).BaseObject);
        Assert.Equal(new[] { "{\"text\":\"five\"}", "{\"text\":\"one\"}" }, world.Sandbox.Inbox.Select(m => m.Content).Order().ToArray());
        Assert.DoesNotContain(world.Sandbox.Requests, r => r.Body.Contains("bad chat id", StringComparison.Ordinal) || r.Body.Contains("bad type", StringComparison.Ordinal) || r.Body.Contains("file_key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("chat", SandboxSeed.NoBotChatId, "BotNotInChat", "Add the bot to the chat")]
    [InlineData("user", SandboxSeed.CarolOpenId, "ReceiverOutsideVisibleRange", "availability (visible) range")]
    public async Task Lark_refusals_a_user_can_fix_carry_the_code_log_id_and_remedy(string receiveType, string receiveId, string errorId, string remedy)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "@{ receiveType = $args[0]; receiveId = $args[1]; content = 'hi' }, @{ receiveType = 'chat'; receiveId = $args[2]; content = 'after' } | Send-LarkMessage",
            receiveType, receiveId, SandboxSeed.OpsChatId);

        var error = Assert.Single(result.Errors);
        Assert.Equal(errorId + "," + SendId, error.FullyQualifiedErrorId);
        Assert.Matches(@"code 2300(02|13)", error.ErrorDetails.Message);
        Assert.Contains("log id", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains(remedy, error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Single(result.Output);
        Assert.Single(world.Sandbox.Inbox);
    }

    [Fact]
    public async Task ErrorAction_Stop_stops_at_the_first_failed_item()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "@{ receiveType = 'chat'; receiveId = 'nope'; content = 'bad' }, @{ receiveType = 'chat'; receiveId = $args[0]; content = 'after' } | Send-LarkMessage -ErrorAction Stop",
            SandboxSeed.OpsChatId);

        Assert.Equal("InvalidMessage," + SendId, result.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.Empty(world.Sandbox.Inbox);
    }

    [Fact]
    public async Task WhatIf_sends_nothing_at_all()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var before = world.Sandbox.Requests.Count;

        var result = world.Session.Invoke(
            "$id = $args[0]; 1..3 | ForEach-Object { @{ receiveType = 'chat'; receiveId = $id; content = \"n$_\" } } | Send-LarkMessage -WhatIf",
            SandboxSeed.OpsChatId);

        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Equal(before, world.Sandbox.Requests.Count);
        Assert.Empty(world.Sandbox.Inbox);
    }

    [Fact]
    public async Task WhatIf_works_without_a_connection_and_makes_no_request()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke("Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] -Text 'hi' -WhatIf", SandboxSeed.OpsChatId);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(world.Sandbox.Requests);
    }

    [Fact]
    public async Task Parameters_send_one_message_and_Text_is_a_shortcut_for_text()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] -Text \"Backup done`nAll green\" -Uuid backup-2026-11-25; " +
            "Send-LarkMessage -ReceiveType email -ReceiveId $args[1] -ContentType post -Content @{ en_us = @{ title = 'T'; content = @(,@(@{ tag = 'text'; text = 'x' })) } }",
            SandboxSeed.OpsChatId, SandboxSeed.AliceEmail);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        var text = Assert.Single(world.Sandbox.Inbox, m => m.MsgType == "text");
        Assert.Equal("{\"text\":\"Backup done\\nAll green\"}", text.Content);
        Assert.Equal("backup-2026-11-25", text.Uuid);
        var post = Assert.Single(world.Sandbox.Inbox, m => m.MsgType == "post");
        Assert.Equal("T", JsonDocument.Parse(post.Content).RootElement.GetProperty("en_us").GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_same_uuid_twice_delivers_once()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "$id = $args[0]; 1..2 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $id; content = 'once'; uuid = 'job-42' } } | Send-LarkMessage",
            SandboxSeed.OpsChatId);

        Assert.Empty(result.Errors);
        Assert.Single(world.Sandbox.Inbox);
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(result.Output[0].Properties["MessageId"].Value, result.Output[1].Properties["MessageId"].Value);
    }

    [Fact]
    public async Task Output_has_a_type_name_and_a_table_view_and_no_stream_carries_a_secret()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "$r = Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] -Text 'hi' -Verbose -Debug; $r.PSObject.TypeNames[0]; $r | Format-Table | Out-String -Width 200",
            SandboxSeed.OpsChatId);

        Assert.Empty(result.Errors);
        Assert.Equal("LarkPS.Api.SentMessage", result.Output[0].ToString());
        var table = result.Output[1].ToString();
        Assert.Contains("MessageId", table, StringComparison.Ordinal);
        Assert.Contains("ReceiveId", table, StringComparison.Ordinal);
        Assert.Contains(world.Sandbox.Inbox[0].MessageId, table, StringComparison.Ordinal);
        Assert.NotEmpty(result.Verbose);
        world.AssertNoSecrets(result);
    }

    [Fact]
    public async Task Every_request_carries_the_bearer_token_user_agent_and_a_uuid()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        world.Session.Invoke("$id = $args[0]; 1..5 | ForEach-Object { @{ receiveType = 'chat'; receiveId = $id; content = \"n$_\" } } | Send-LarkMessage", SandboxSeed.OpsChatId);

        var sends = world.Sandbox.Requests.Where(r => r.PathAndQuery.StartsWith("/open-apis/im/v1/messages", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, sends.Count);
        Assert.All(sends, r => Assert.StartsWith("Bearer t-", r.Headers["Authorization"], StringComparison.Ordinal));
        Assert.All(sends, r => Assert.StartsWith("LarkPS/", r.Headers["User-Agent"], StringComparison.Ordinal));
        Assert.Equal(5, sends.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("uuid").GetString()).Distinct().Count());
        Assert.Equal(1, world.Sandbox.Stats.TokensIssued);
    }
}
