using System.Management.Automation;
using System.Text.Json;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Webhook connections in a real PowerShell engine against the sandbox's custom bots, checked by what the sandbox
/// received: the same pipeline as app sends, Lark's refusals as errors with their fix, pacing, no blind retries,
/// and the hook token and secret in no stream, transcript or exported object.
/// </summary>
public sealed class WebhookTests
{
    private const string ConnectSigned =
        "Connect-Lark -WebhookUri $args[0] -WebhookSecret (ConvertTo-SecureString $args[1] -AsPlainText -Force)";

    private const string Items = """
        @(
          @{ contentType = 'text'; content = @{ text = 'disk full on db-01' } },
          @{ contentType = 'post'; content = @{ zh_cn = @{ title = 'Deploy'; content = @(,@(@{ tag = 'text'; text = 'done' })) } } },
          @{ contentType = 'interactive'; content = @{ schema = '2.0'; body = @{ elements = @(@{ tag = 'markdown'; content = '**red** alert' }) } } }
        )
        """;

    private static string HookUri(EngineWorld world, string token) => world.Sandbox.HookUri(token).AbsoluteUri;

    private static IEnumerable<RecordedRequest> HookRequests(EngineWorld world) =>
        world.Sandbox.Requests.Where(r => r.PathAndQuery.StartsWith("/open-apis/bot/v2/hook/", StringComparison.Ordinal));

    [Fact]
    public async Task A_signed_hook_receives_text_post_and_card_through_the_same_pipeline_and_connecting_sends_nothing()
    {
        await using var world = await EngineWorld.StartAsync();
        var connect = world.Session.Invoke(ConnectSigned, HookUri(world, SandboxSeed.OpsHookToken), SandboxSeed.OpsHookSecret);
        var requestsAfterConnect = world.Sandbox.Requests.Count;

        var result = world.Session.Invoke(Items + " | Send-LarkMessage");

        Assert.Null(connect.Terminating);
        Assert.Equal(0, requestsAfterConnect);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors.Select(e => e.ToString().Substring(0, Math.Min(300, e.ToString().Length))));
        Assert.Equal(3, result.Output.Count);
        var inbox = world.Sandbox.Inbox;
        Assert.Equal(["interactive", "post", "text"], inbox.Select(m => m.MsgType).Order());
        Assert.Equal(["text", "post", "interactive"], result.Output.Select(o => (string)o.Properties["ContentType"].Value));
        Assert.All(inbox, m => Assert.Equal(SandboxSeed.OpsChatId, m.ChatId));
        Assert.Equal("Deploy", JsonDocument.Parse(inbox.Single(m => m.MsgType == "post").Content).RootElement.GetProperty("zh_cn").GetProperty("title").GetString());
        Assert.All(HookRequests(world), r =>
        {
            var body = JsonDocument.Parse(r.Body).RootElement;
            Assert.True(body.TryGetProperty("timestamp", out _));
            Assert.True(body.TryGetProperty("sign", out _));
            Assert.Equal(0, r.Code);
        });
        Assert.Equal(3, HookRequests(world).Count());
    }

    [Fact]
    public async Task A_wrong_secret_is_a_19021_error_that_says_to_check_the_secret_and_the_clock_not_a_success()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Session.Invoke(ConnectSigned, HookUri(world, SandboxSeed.OpsHookToken), "not-the-secret");

        var result = world.Session.Invoke("Send-LarkMessage -Text 'disk full'");

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("WebhookSignatureRejected,LarkPS.Commands.SendLarkMessageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("19021", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("secret", error.ErrorDetails.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("clock", error.ErrorDetails.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(world.Sandbox.Inbox);
        Assert.Single(HookRequests(world));
    }

    [Fact]
    public async Task A_hook_item_is_named_by_the_hook_s_group_in_errors_retries_and_Test_not_as_missing_a_receiveId()
    {
        var options = new SandboxOptions();
        options.HookQuotas.PerSecond = 1;
        await using var world = await EngineWorld.StartAsync(options);
        world.Session.Invoke(ConnectSigned, HookUri(world, SandboxSeed.OpsHookToken), SandboxSeed.OpsHookSecret);

        // Three at once past the hook's 1/s: the refused ones are retried (11232), each retry line naming the item.
        var sent = world.Session.Invoke("1..3 | ForEach-Object { \"alert $_\" } | Send-LarkMessage -Verbose");
        var tested = world.Session.Invoke("(Test-LarkMessage -Text 'alert' -Detailed).Item");
        world.Session.Invoke(ConnectSigned, HookUri(world, SandboxSeed.OpsHookToken), "not-the-secret");
        var refused = world.Session.Invoke("Send-LarkMessage -Text 'disk full'");

        Assert.Equal(3, sent.Output.Count);
        var retries = sent.Verbose.Where(v => v.StartsWith("Retrying", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(retries);
        Assert.All(retries, v => Assert.Matches(@"^Retrying item \d \(the hook's group\): Lark rate limit of the custom bot \(100 a minute, 5 a second\) \(11232, HTTP 200\)", v));
        Assert.Equal("item 1 (the hook's group)", Assert.Single(tested.Output).ToString());
        var error = Assert.Single(refused.Errors).ToString();
        Assert.StartsWith("Could not send item 1 (the hook's group): ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("receiveId", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hook_item_whose_deadline_went_to_11232_refusals_gets_the_hook_s_fix_not_an_app_s_or_a_uuid()
    {
        var options = new SandboxOptions();
        options.HookQuotas.PerMinute = 1;
        await using var world = await EngineWorld.StartAsync(options);
        world.Session.Invoke(ConnectSigned, HookUri(world, SandboxSeed.OpsHookToken), SandboxSeed.OpsHookSecret);

        var result = world.Session.Invoke("'alert 1', 'alert 2' | Send-LarkMessage -DeadlineSec 3");

        Assert.Single(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("QuotaBudgetSpent,LarkPS.Commands.SendLarkMessageCommand", error.FullyQualifiedErrorId);
        var text = error.ToString();
        Assert.Matches(@"^Could not send item [12] \(the hook's group\): Lark refused it", text);
        Assert.Contains("this custom bot", text, StringComparison.Ordinal);
        Assert.DoesNotContain("check the group", text, StringComparison.Ordinal);
        Assert.DoesNotContain("on this app", text, StringComparison.Ordinal);
        var fix = error.ErrorDetails.RecommendedAction;
        Assert.DoesNotContain("uuid", fix, StringComparison.Ordinal);
        Assert.Contains("this custom bot", fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_keyword_is_a_19024_error_whose_fix_names_the_text_or_title()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Session.Invoke("Connect-Lark -WebhookUri $args[0]", HookUri(world, SandboxSeed.GeneralHookToken));

        var result = world.Session.Invoke("'disk full', 'alert: disk full' | ForEach-Object { [pscustomobject]@{ contentType = 'text'; content = $_ } } | Send-LarkMessage");

        var error = Assert.Single(result.Errors);
        Assert.Equal("WebhookKeywordMissing,LarkPS.Commands.SendLarkMessageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("keyword", error.ErrorDetails.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text or title", error.ErrorDetails.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Single(result.Output);
        Assert.Equal("alert: disk full", JsonDocument.Parse(Assert.Single(world.Sandbox.Inbox).Content).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task More_messages_than_the_per_minute_quota_all_arrive_once_paced_with_none_refused()
    {
        var options = new SandboxOptions();
        options.HookQuotas.PerMinute = 6;
        await using var world = await EngineWorld.StartAsync(options);
        world.Session.Invoke(ConnectSigned + " -QuotaPerMinute 6", HookUri(world, SandboxSeed.OpsHookToken), SandboxSeed.OpsHookSecret);

        var result = world.Session.Invoke("1..8 | ForEach-Object { @{ contentType = 'text'; content = \"message $_\" } } | Send-LarkMessage");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(8, result.Output.Count);
        var texts = world.Sandbox.Inbox.Select(m => JsonDocument.Parse(m.Content).RootElement.GetProperty("text").GetString()).ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => "message " + i).Order(), texts.Order());
        var requests = HookRequests(world).ToList();
        Assert.Equal(8, requests.Count);
        Assert.All(requests, r => Assert.Equal(0, r.Code));
        Assert.Equal(0, world.Sandbox.HookRefusals);

        // Paced: never more than six in any minute, so the last two waited for the window.
        var times = requests.Select(r => r.Time).Order().ToList();
        Assert.True(times[6] - times[0] >= TimeSpan.FromSeconds(59), $"7th request {times[6] - times[0]} after the 1st");
    }

    [Fact]
    public async Task A_11232_refusal_is_retried_until_the_hook_takes_the_message()
    {
        var options = new SandboxOptions();
        options.HookQuotas.PerSecond = 2;
        await using var world = await EngineWorld.StartAsync(options);
        world.Session.Invoke(ConnectSigned, HookUri(world, SandboxSeed.OpsHookToken), SandboxSeed.OpsHookSecret);

        var result = world.Session.Invoke("1..6 | ForEach-Object { @{ contentType = 'text'; content = \"burst $_\" } } | Send-LarkMessage -Verbose");

        Assert.Empty(result.Errors);
        Assert.Equal(6, result.Output.Count);
        Assert.True(world.Sandbox.HookRefusals > 0, "the sandbox refused nothing: the test did not exercise 11232");
        Assert.Equal(6, world.Sandbox.Inbox.Count);
        Assert.Equal(6, world.Sandbox.Inbox.Select(m => m.Content).Distinct().Count());
        Assert.Contains(result.Verbose, v => v.Contains("Retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_dropped_after_the_body_is_reported_as_may_have_arrived_and_not_resent()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Session.Invoke(ConnectSigned, HookUri(world, SandboxSeed.OpsHookToken), SandboxSeed.OpsHookSecret);
        world.Sandbox.HookFaults.DropAfterStore = 1;

        // One request at a time, in input order: the first item is the one whose connection drops.

        var result = world.Session.Invoke("@{ contentType = 'text'; content = 'maybe' }, @{ contentType = 'text'; content = 'after' } | Send-LarkMessage -ThrottleLimit 1");

        var error = Assert.Single(result.Errors);
        Assert.Equal("WebhookMayHaveArrived,LarkPS.Commands.SendLarkMessageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("may have arrived", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("maybe", ((System.Collections.Hashtable)error.TargetObject)["content"]);
        Assert.Single(result.Output);
        Assert.Equal(2, HookRequests(world).Count());
        Assert.Equal(["after", "maybe"], world.Sandbox.Inbox.Select(m => JsonDocument.Parse(m.Content).RootElement.GetProperty("text").GetString()).Order());
    }

    [Fact]
    public async Task What_a_hook_cannot_send_is_refused_offline_by_Send_and_Test_alike()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Session.Invoke("Connect-Lark -WebhookUri $args[0]", HookUri(world, SandboxSeed.GeneralHookToken));
        const string Bad = """
            @{ contentType = 'file'; content = @{ file_key = 'file_v2_1' } },
            @{ receiveType = 'email'; receiveId = 'alice@example.com'; text = 'alert' },
            @{ text = 'alert ' + ('x' * 21000) }
            """;

        var test = world.Session.Invoke(Bad + " | Test-LarkMessage");
        var detailed = world.Session.Invoke("@{ text = 'alert' } | Test-LarkMessage -Detailed");
        var send = world.Session.Invoke(Bad + " | Send-LarkMessage");

        Assert.Equal([false, false, false], test.Output.Select(o => (bool)o.BaseObject));
        var check = detailed.Output.Single();
        Assert.True((bool)check.Properties["IsValid"].Value);
        Assert.Contains("\"content\":{\"text\":\"alert\"}", (string)check.Properties["RequestBody"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxSeed.GeneralHookToken, (string)check.Properties["RequestUri"].Value, StringComparison.Ordinal);
        Assert.Equal(3, send.Errors.Count);
        Assert.All(send.Errors, e => Assert.Equal("InvalidMessage,LarkPS.Commands.SendLarkMessageCommand", e.FullyQualifiedErrorId));
        Assert.Contains("cannot be sent by a custom-bot webhook", send.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("posts only into its own group", send.Errors[1].ToString(), StringComparison.Ordinal);
        Assert.Contains("20 KB", send.Errors[2].ToString(), StringComparison.Ordinal);
        Assert.Empty(HookRequests(world));
    }

    [Fact]
    public async Task The_hook_token_and_secret_are_in_no_stream_transcript_or_exported_object()
    {
        await using var world = await EngineWorld.StartAsync();
        var transcript = Path.Combine(Path.GetTempPath(), "larkps-hook-transcript-" + Guid.NewGuid().ToString("N") + ".txt");
        var export = Path.Combine(Path.GetTempPath(), "larkps-hook-export-" + Guid.NewGuid().ToString("N") + ".xml");
        try
        {
            var result = world.Session.Invoke(
                "Start-Transcript -Path $args[2] | Out-Null\n"
                + ConnectSigned + " -Verbose -Debug -PassThru | Format-List * | Out-String\n"
                + "Send-LarkMessage -Text 'ok' -Verbose -Debug\n"
                + "Connect-Lark -WebhookUri $args[0] -WebhookSecret (ConvertTo-SecureString 'wrong' -AsPlainText -Force)\n"
                + "Send-LarkMessage -Text 'refused' -Verbose\n"
                + "$c = Get-LarkConnection; $c | Format-Table | Out-String; $c | ConvertTo-Json -Depth 4; $c | Export-Clixml -Path $args[3]\n"
                + "Test-LarkMessage -Text 'x' -Detailed | Format-List * | Out-String\n"
                + "Stop-Transcript | Out-Null",
                HookUri(world, SandboxSeed.OpsHookToken), SandboxSeed.OpsHookSecret, transcript, export);

            Assert.Null(result.Terminating);
            Assert.Single(result.Errors);
            var everything = result.AllText() + File.ReadAllText(transcript) + File.ReadAllText(export);
            Assert.Contains("********", everything, StringComparison.Ordinal);
            Assert.DoesNotContain(SandboxSeed.OpsHookToken, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(SandboxSeed.OpsHookSecret, everything, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(transcript);
            File.Delete(export);
        }
    }

    [Fact]
    public async Task Get_LarkConnection_and_Connection_work_alike_for_a_webhook_connection()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "$hook = Connect-Lark -WebhookUri $args[0] -PassThru; " + world.ConnectScript + "; "
            + "Send-LarkMessage -Connection $hook -Text 'alert via -Connection'; "
            + "(Get-LarkConnection).Kind; $hook.Kind; $hook.IsSigned",
            HookUri(world, SandboxSeed.GeneralHookToken));

        Assert.Empty(result.Errors);
        Assert.Equal(["App", "Webhook", "False"], result.Output.Skip(1).Select(o => o.ToString()));
        Assert.Equal(SandboxSeed.GeneralChatId, Assert.Single(world.Sandbox.Inbox).ChatId);
    }

    [Fact]
    public async Task A_url_that_is_not_a_hook_is_refused_at_connect_without_repeating_it()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke("Connect-Lark -WebhookUri $args[0]", world.Url + "/open-apis/im/v1/messages?token=abc123secret");

        Assert.Equal("InvalidWebhookUri,LarkPS.Commands.ConnectLarkCommand", result.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.DoesNotContain("abc123secret", result.AllText(), StringComparison.Ordinal);
        Assert.Empty(world.Sandbox.Requests);
    }
}

[Collection(nameof(EnvironmentVariableTests))]
public class WebhookFromEnvironmentTests
{
    [Fact]
    public async Task Without_parameters_takes_LARK_WEBHOOK_URI_and_LARK_WEBHOOK_SECRET_from_the_environment()
    {
        await using var world = await EngineWorld.StartAsync();
        try
        {
            Environment.SetEnvironmentVariable("LARK_WEBHOOK_URI", world.Sandbox.HookUri(SandboxSeed.OpsHookToken).AbsoluteUri);
            Environment.SetEnvironmentVariable("LARK_WEBHOOK_SECRET", SandboxSeed.OpsHookSecret);

            var result = world.Session.Invoke("Connect-Lark; (Get-LarkConnection).IsSigned; Send-LarkMessage -Text 'from CI'");

            Assert.Empty(result.Errors);
            Assert.Null(result.Terminating);
            Assert.Equal("True", result.Output[0].ToString());
            Assert.Single(world.Sandbox.Inbox);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LARK_WEBHOOK_URI", null);
            Environment.SetEnvironmentVariable("LARK_WEBHOOK_SECRET", null);
        }
    }
}

/// <summary>Tests that change process-wide environment variables run alone.</summary>
[CollectionDefinition(nameof(EnvironmentVariableTests), DisableParallelization = true)]
public sealed class EnvironmentVariableTests
{
}
