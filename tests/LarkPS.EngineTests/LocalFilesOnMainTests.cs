using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 11 on the pipeline model of issue 9 and the webhook connections of issue 13: -ImagePath / -FilePath are
/// defaults for piped items (an item's own file or content wins), items carry imagePath / filePath / path in every
/// input form, and a webhook connection refuses what only an app can do, naming the fix, with no request made.
/// Judged by what the sandbox received.
/// </summary>
public sealed class LocalFilesOnMainTests : IDisposable
{
    private const string SendId = "LarkPS.Commands.SendLarkMessageCommand";
    private const string ImagesPath = "/open-apis/im/v1/images";
    private const string FilesPath = "/open-apis/im/v1/files";

    private readonly TempFolder _files = new("larkps-issue11-main-");

    public LocalFilesOnMainTests()
    {
        File.WriteAllBytes(Path.Combine(_files.Path, "chart.png"), TempFolder.PixelPng);
        File.WriteAllBytes(Path.Combine(_files.Path, "report.pdf"), "%PDF-1.7\nweekly\n"u8.ToArray());
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ImagePath_is_a_default_for_piped_items_and_an_items_own_file_or_text_wins()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            """
            Push-Location $args[0]
            try {
                @{ chatId = $args[1] },
                @{ chatId = $args[1]; text = 'own text' },
                @{ chatId = $args[1]; filePath = 'report.pdf' },
                [pscustomobject]@{ ChatId = $args[1]; imagePath = 'chart.png' } | Send-LarkMessage -ImagePath chart.png
                ('[{"receiveType":"chat","receiveId":"' + $args[1] + '","filePath":"report.pdf"}]') | Send-LarkMessage
            } finally { Pop-Location }
            """,
            _files.Path, SandboxSeed.OpsChatId);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Equal(5, result.Output.Count);
        // In input order (uploads make arrival order differ): each output is the message the sandbox delivered.
        var inbox = result.Output.Select(o => world.Sandbox.Inbox.Single(m => m.MessageId == (string)o.Properties["MessageId"].Value)).ToList();
        Assert.Equal(["image", "text", "file", "image", "file"], inbox.Select(m => m.MsgType));
        Assert.All(inbox, m => Assert.Equal(SandboxSeed.OpsChatId, m.ReceiveId));
        Assert.Equal("own text", JsonDocument.Parse(inbox[1].Content).RootElement.GetProperty("text").GetString());

        // One upload per distinct content on the connection: the image twice and the pdf twice went up once each.
        Assert.Single(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(ImagesPath, StringComparison.Ordinal));
        Assert.Single(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(FilesPath, StringComparison.Ordinal));
        Assert.Equal(inbox[0].Content, inbox[3].Content);
        Assert.Equal(inbox[2].Content, inbox[4].Content);
        Assert.StartsWith("{\"file_key\":\"", inbox[2].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_piped_from_Get_ChildItem_go_by_their_literal_path_and_a_file_with_text_is_one_clear_error()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        File.WriteAllBytes(Path.Combine(_files.Path, "odd [1].pdf"), "%PDF-1.7\nodd name\n"u8.ToArray());

        var piped = world.Session.Invoke("Get-ChildItem -LiteralPath $args[0] -Filter *.pdf | Sort-Object Name | Send-LarkMessage -ReceiveType chat -ReceiveId $args[1]", _files.Path, SandboxSeed.OpsChatId);
        var both = world.Session.Invoke("Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] -ImagePath $args[1] -Text 'and a caption'", SandboxSeed.OpsChatId, Path.Combine(_files.Path, "chart.png"));

        Assert.True(piped.Errors.Count == 0, string.Join("\n", piped.Errors));
        Assert.Equal(2, piped.Output.Count);
        Assert.Equal(2, world.Sandbox.Requests.Count(r => r.PathAndQuery.StartsWith(FilesPath, StringComparison.Ordinal)));
        Assert.Equal(["file", "file"], world.Sandbox.Inbox.Select(m => m.MsgType));
        using (var http = new HttpClient { BaseAddress = world.Sandbox.BaseAddress })
        using (var delivered = JsonDocument.Parse(await http.GetStringAsync("_sandbox/inbox")))
        {
            var names = delivered.RootElement.EnumerateArray().Select(m => m.GetProperty("attachment").GetProperty("file_name").GetString()).Order(StringComparer.Ordinal);
            Assert.Equal(["odd [1].pdf", "report.pdf"], names);
        }


        var error = Assert.Single(both.Errors);
        Assert.Equal("InvalidMessage," + SendId, error.FullyQualifiedErrorId);
        Assert.Contains("-ImagePath", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("two messages", error.ErrorDetails?.RecommendedAction ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(2, world.Sandbox.Inbox.Count);
    }

    [Fact]
    public async Task A_webhook_connection_refuses_each_item_with_a_file_naming_the_fix_and_sends_the_others()
    {
        await using var world = await EngineWorld.StartAsync();
        var connect = world.Session.Invoke("Connect-Lark -WebhookUri $args[0]", world.Sandbox.HookUri(SandboxSeed.GeneralHookToken).AbsoluteUri);
        Assert.Null(connect.Terminating);
        var chart = Path.Combine(_files.Path, "chart.png");

        var sent = world.Session.Invoke("@{ text = 'alert before' }, @{ imagePath = $args[0] }, @{ text = 'alert after' } | Send-LarkMessage", chart);
        var parameter = world.Session.Invoke("Send-LarkMessage -FilePath $args[0]", Path.Combine(_files.Path, "report.pdf"));
        var tested = world.Session.Invoke("Test-LarkMessage -ImagePath $args[0] -Detailed", chart);

        Assert.Null(sent.Terminating);
        Assert.Equal(2, sent.Output.Count);
        var error = Assert.Single(sent.Errors);
        Assert.Equal("UploadNeedsApp," + SendId, error.FullyQualifiedErrorId);
        Assert.Equal(chart, (string)((IDictionary)error.TargetObject)["imagePath"]!);
        Assert.Contains("item 2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Connect-Lark -AppId", error.ErrorDetails?.RecommendedAction ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);

        Assert.Equal("UploadNeedsApp," + SendId, Assert.Single(parameter.Errors).FullyQualifiedErrorId);
        Assert.Empty(parameter.Output);

        var check = Assert.Single(tested.Output);
        Assert.Equal(false, check.Properties["IsValid"].Value);
        Assert.Contains((string[])check.Properties["Problems"].Value, p => p.Contains("webhook connection cannot upload", StringComparison.Ordinal));

        // Only the two text messages reached the hook; nothing was uploaded anywhere.
        Assert.Equal(["alert after", "alert before"], world.Sandbox.Inbox.Select(m => JsonDocument.Parse(m.Content).RootElement.GetProperty("text").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(ImagesPath, StringComparison.Ordinal) || r.PathAndQuery.StartsWith(FilesPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_LarkChat_and_Get_LarkUser_on_a_webhook_connection_stop_with_the_fix_and_make_no_request()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Session.Invoke("Connect-Lark -WebhookUri $args[0]", world.Sandbox.HookUri(SandboxSeed.GeneralHookToken).AbsoluteUri);

        var chats = world.Session.Invoke("Get-LarkChat -Name 'Ops*'");
        var users = world.Session.Invoke("Get-LarkUser -Email alice@example.com");

        Assert.Equal("NeedsAppConnection,LarkPS.Commands.GetLarkChatCommand", chats.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.Equal("NeedsAppConnection,LarkPS.Commands.GetLarkUserCommand", users.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.Contains("Connect-Lark -AppId", chats.TerminatingRecord?.ErrorDetails?.RecommendedAction ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("hook/" + SandboxSeed.GeneralHookToken, chats.TerminatingRecord!.ToString(), StringComparison.Ordinal);
        Assert.Empty(world.Sandbox.Requests);
    }
}
