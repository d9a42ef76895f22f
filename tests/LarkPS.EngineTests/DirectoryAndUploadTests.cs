using System.Management.Automation;
using System.Text.Json;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// Issue 11 as users meet it, against the sandbox: Get-LarkChat over several pages, Get-LarkUser's statuses, chat
/// names as receivers (and their errors), images and files sent from paths, one upload for many receivers, and
/// every offline refusal with no request made.
/// </summary>
public sealed class DirectoryAndUploadTests : IDisposable
{
    private const string SendId = "LarkPS.Commands.SendLarkMessageCommand";
    private const string ChatsPath = "/open-apis/im/v1/chats";
    private const string ImagesPath = "/open-apis/im/v1/images";
    private const string FilesPath = "/open-apis/im/v1/files";
    private const string ContactPath = "/open-apis/contact/v3/users/batch_get_id";

    private readonly TempFolder _files = new("larkps-issue11-");

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Get_LarkChat_matches_wildcards_across_three_pages_and_caches_the_list()
    {
        await using var world = await EngineWorld.StartAsync(new SandboxOptions { Directory = SandboxDirectory.CreateWithManyChats(250) });
        world.Connect();

        var result = world.Session.Invoke("Get-LarkChat -Name 'deploy 24*', 'Ops*', 'Deploy 249'");
        var again = world.Session.Invoke("Get-LarkChat -Name 'General'");
        var pagesBeforeForce = ChatPages(world);
        var forced = world.Session.Invoke("Get-LarkChat -Force | Measure-Object | ForEach-Object Count");

        Assert.Empty(result.Errors);
        // In the order of the names asked, each chat once (Deploy 249 matches twice).
        Assert.Equal(new[] { "Deploy 240", "Deploy 243", "Deploy 246", "Deploy 249", "Ops alerts" }, result.Output.Select(o => (string)o.Properties["Name"].Value));
        Assert.Equal(SandboxSeed.OpsChatId, result.Output[4].Properties["ChatId"].Value);
        Assert.Equal("normal", result.Output[4].Properties["ChatStatus"].Value);
        Assert.Equal(false, result.Output[4].Properties["External"].Value);
        Assert.Equal("LarkPS.Api.LarkChat", result.Output[0].TypeNames[0]);
        Assert.Equal("General", (string)Assert.Single(again.Output).Properties["Name"].Value);
        Assert.Equal(3, pagesBeforeForce.Count);
        Assert.All(pagesBeforeForce, r => Assert.Contains("page_size=100", r.PathAndQuery, StringComparison.Ordinal));
        Assert.Equal(252, Assert.Single(forced.Output).BaseObject);
        Assert.Equal(6, ChatPages(world).Count);
    }

    [Fact]
    public async Task Get_LarkChat_names_an_unknown_chat_with_similar_names_and_pipes_into_Send()
    {
        await using var world = await EngineWorld.StartAsync(new SandboxOptions { Directory = SandboxDirectory.CreateWithManyChats(10) });
        world.Connect();

        var missing = world.Session.Invoke("Get-LarkChat -Name 'Ops'");
        var sent = world.Session.Invoke("Get-LarkChat -Name 'Build 00*' | Send-LarkMessage -Text 'Nightly build is green'");

        var error = Assert.Single(missing.Errors);
        Assert.Equal("ChatNotFound,LarkPS.Commands.GetLarkChatCommand", error.FullyQualifiedErrorId);
        Assert.Contains("'Ops alerts' (" + SandboxSeed.OpsChatId + ")", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(sent.Errors);
        Assert.Equal(6, sent.Output.Count);
        var names = world.Sandbox.Options.Directory.Chats.ToDictionary(c => c.ChatId, c => c.Name);
        Assert.Equal(
            new[] { "Build 001", "Build 002", "Build 004", "Build 005", "Build 007", "Build 008" },
            world.Sandbox.Inbox.Select(m => names[m.ReceiveId]).Order(StringComparer.Ordinal));
        Assert.All(world.Sandbox.Inbox, m => Assert.Equal("chat_id", m.ReceiveIdType));
    }

    [Fact]
    public async Task Get_LarkUser_tells_found_missing_resigned_and_invisible_users_apart_in_one_call()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "Get-LarkUser -Email $args[0], 'ghost@example.com', $args[1], $args[2] -Phone '138 0000 0002', '+1 415 555 0100'",
            SandboxSeed.AliceEmail, SandboxSeed.DaveEmail, SandboxSeed.CarolEmail);

        Assert.Empty(result.Errors);
        Assert.Equal(
            new[] { SandboxSeed.AliceEmail, "ghost@example.com", SandboxSeed.DaveEmail, SandboxSeed.CarolEmail, "138 0000 0002", "+1 415 555 0100" },
            result.Output.Select(o => (string)o.Properties["Input"].Value));
        Assert.Equal(
            new[] { "Found", "NotFound", "Resigned", "NotFound", "Found", "Found" },
            result.Output.Select(o => o.Properties["Status"].Value.ToString()));
        Assert.Equal(
            new[] { SandboxSeed.AliceOpenId, null, SandboxSeed.DaveOpenId, null, SandboxSeed.BobOpenId, SandboxSeed.ErinOpenId },
            result.Output.Select(o => (string?)o.Properties["OpenId"].Value));
        Assert.Null(result.Output[0].Properties["Fix"].Value);
        Assert.Contains("visible range", (string)result.Output[3].Properties["Fix"].Value, StringComparison.Ordinal);
        Assert.Contains("resigned", (string)result.Output[2].Properties["Fix"].Value, StringComparison.Ordinal);
        var call = Assert.Single(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(ContactPath, StringComparison.Ordinal));
        using var body = JsonDocument.Parse(call.Body);
        Assert.True(body.RootElement.GetProperty("include_resigned").GetBoolean());
        Assert.Equal(4, body.RootElement.GetProperty("emails").GetArrayLength());
        Assert.Equal(2, body.RootElement.GetProperty("mobiles").GetArrayLength());
    }

    [Fact]
    public async Task Get_LarkUser_reads_CSV_rows_by_property_name_50_a_call_and_found_users_pipe_to_their_open_id()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var csv = Path.Combine(_files.Path, "people.csv");
        File.WriteAllLines(csv, new[] { "Name,Email" }
            .Concat(Enumerable.Range(0, 58).Select(i => $"nobody {i},nobody{i}@example.com"))
            .Concat(new[] { $"Alice,{SandboxSeed.AliceEmail}", $"Bob,{SandboxSeed.BobEmail}" }));

        var looked = world.Session.Invoke("Import-Csv $args[0] | Get-LarkUser | Group-Object Status -NoElement | Sort-Object Name | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count }", csv);
        var sent = world.Session.Invoke("Import-Csv $args[0] | Get-LarkUser | Where-Object Status -eq Found | Send-LarkMessage -Text 'Maintenance at 22:00'", csv);

        Assert.Empty(looked.Errors);
        Assert.Equal(new[] { "Found=2", "NotFound=58" }, looked.Output.Select(o => o.ToString()));
        Assert.Equal(4, world.Sandbox.Requests.Count(r => r.PathAndQuery.StartsWith(ContactPath, StringComparison.Ordinal)));
        Assert.Empty(sent.Errors);
        // Sent concurrently: the order they arrive in is not the input order.
        Assert.Equal(new[] { SandboxSeed.AliceOpenId, SandboxSeed.BobOpenId }.Order(StringComparer.Ordinal), world.Sandbox.Inbox.Select(m => m.ReceiveId).Order(StringComparer.Ordinal));
        Assert.All(world.Sandbox.Inbox, m => Assert.Equal("open_id", m.ReceiveIdType));
    }

    [Fact]
    public async Task A_chat_name_is_a_receiver_and_unknown_or_ambiguous_names_are_errors_listing_candidates()
    {
        var directory = SandboxDirectory.CreateDefault();
        directory.Chats.Add(new SandboxChat(SandboxDirectory.ChatIdFor("Release 1"), "Release", BotIsMember: true));
        directory.Chats.Add(new SandboxChat(SandboxDirectory.ChatIdFor("Release 2"), "Release", BotIsMember: true));
        await using var world = await EngineWorld.StartAsync(new SandboxOptions { Directory = directory });
        world.Connect();

        var named = world.Session.Invoke("Send-LarkMessage -ReceiveType chat -ReceiveId 'Ops alerts' -Text 'Deploy started'");
        var piped = world.Session.Invoke(
            "@([pscustomobject]@{ receiveType = 'chat'; receiveId = 'General'; content = 'hello' }, [pscustomobject]@{ receiveType = 'chat'; receiveId = 'Ops'; content = 'lost?' }, [pscustomobject]@{ receiveType = 'chat'; receiveId = 'Release'; content = 'which?' }) | Send-LarkMessage");

        Assert.Empty(named.Errors);
        Assert.Equal(2, piped.Output.Count + named.Output.Count);
        Assert.Equal(new[] { SandboxSeed.OpsChatId, SandboxSeed.GeneralChatId }, world.Sandbox.Inbox.Select(m => m.ReceiveId));
        Assert.Equal(2, piped.Errors.Count);
        var unknown = piped.Errors[0];
        Assert.Equal("ChatNotFound," + SendId, unknown.FullyQualifiedErrorId);
        Assert.Contains("'Ops alerts' (" + SandboxSeed.OpsChatId + ")", unknown.ToString(), StringComparison.Ordinal);
        Assert.Equal("Ops", ((PSObject)unknown.TargetObject).Properties["receiveId"].Value);
        var ambiguous = piped.Errors[1];
        Assert.Equal("ChatNameAmbiguous," + SendId, ambiguous.FullyQualifiedErrorId);
        Assert.Contains(SandboxDirectory.ChatIdFor("Release 1"), ambiguous.ToString(), StringComparison.Ordinal);
        Assert.Contains(SandboxDirectory.ChatIdFor("Release 2"), ambiguous.ToString(), StringComparison.Ordinal);
        Assert.NotNull(ambiguous.ErrorDetails.RecommendedAction);

        // The chat list was read once for all four names (cached on the connection).
        Assert.Equal(1, world.Sandbox.Requests.Count(r => r.PathAndQuery.StartsWith(ChatsPath, StringComparison.Ordinal)));
    }

    // Issue 26 changed this contract: completion reads the chat list from the connection itself (Get-LarkChat need
    // not have run) and follows -ReceiveType: with chat it completes to the name, quoted; without, to the id.
    [Fact]
    public async Task ReceiveId_completion_offers_the_connections_chat_names_read_once_and_follows_ReceiveType()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var names = world.Session.Invoke(
            "$line = 'Send-LarkMessage -ReceiveType chat -ReceiveId Op'; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText + '|' + $_.ListItemText }");
        var ids = world.Session.Invoke(
            "$line = 'Send-LarkMessage -ReceiveId Op'; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText + '|' + $_.ListItemText }");

        Assert.Equal(new[] { "'Ops alerts'|Ops alerts" }, names.Output.Select(o => o.ToString()));
        Assert.Equal(new[] { SandboxSeed.OpsChatId + "|Ops alerts" }, ids.Output.Select(o => o.ToString()));
        Assert.Equal(1, world.Sandbox.Requests.Count(r => r.PathAndQuery.StartsWith(ChatsPath, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_image_and_a_pdf_go_from_relative_and_PSDrive_paths()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        File.WriteAllBytes(Path.Combine(_files.Path, "chart.png"), TempFolder.PixelPng);
        File.WriteAllBytes(Path.Combine(_files.Path, "report.pdf"), "%PDF-1.7\nhello\n"u8.ToArray());

        var result = world.Session.Invoke(
            """
            Push-Location $args[0]
            try {
                Send-LarkMessage -ReceiveType chat -ReceiveId $args[1] -ImagePath .\chart.png
                $null = New-PSDrive -Name Reports -PSProvider FileSystem -Root $args[0]
                Send-LarkMessage -ReceiveType chat -ReceiveId $args[1] -FilePath Reports:\report.pdf
                [pscustomobject]@{ receiveType = 'chat'; receiveId = $args[1]; path = 'chart.png' } | Send-LarkMessage
            } finally { Pop-Location; Remove-PSDrive Reports -ErrorAction SilentlyContinue }
            """,
            _files.Path, SandboxSeed.OpsChatId);

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "image", "file", "image" }, world.Sandbox.Inbox.Select(m => m.MsgType));
        using var inbox = await InboxAsync(world);
        var image = inbox.RootElement[0].GetProperty("attachment");
        var file = inbox.RootElement[1].GetProperty("attachment");
        Assert.Equal("image", image.GetProperty("file_type").GetString());
        Assert.Equal(TempFolder.PixelPng.Length, image.GetProperty("size").GetInt64());
        Assert.Equal("report.pdf", file.GetProperty("file_name").GetString());
        Assert.Equal("pdf", file.GetProperty("file_type").GetString());

        // The same image twice on one connection went up once: both messages carry its key.
        Assert.Single(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(ImagesPath, StringComparison.Ordinal));
        Assert.Single(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(FilesPath, StringComparison.Ordinal));
        Assert.Equal(world.Sandbox.Inbox[0].Content, world.Sandbox.Inbox[2].Content);
    }

    [Fact]
    public async Task The_same_file_to_20_chats_is_uploaded_once_and_a_post_image_goes_from_its_path()
    {
        await using var world = await EngineWorld.StartAsync(new SandboxOptions { Directory = SandboxDirectory.CreateWithManyChats(20) });
        world.Connect();
        var chart = Path.Combine(_files.Path, "chart.png");
        File.WriteAllBytes(chart, TempFolder.PixelPng);

        var result = world.Session.Invoke("Get-LarkChat -Name 'Build*', 'Deploy*' | Send-LarkMessage -ImagePath $args[0]", chart);
        var post = world.Session.Invoke(
            "Send-LarkMessage -ReceiveType chat -ReceiveId $args[1] -ContentType post -Content @{ en_us = @{ title = 'Load'; content = @(@(@{ tag = 'text'; text = 'Today:' }), @(, @{ tag = 'img'; path = $args[0] })) } }",
            chart, SandboxSeed.OpsChatId);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Equal(20, result.Output.Count);
        Assert.Single(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(ImagesPath, StringComparison.Ordinal));
        Assert.Single(world.Sandbox.Inbox.Take(20).Select(m => m.Content).Distinct());
        Assert.True(post.Errors.Count == 0, string.Join("\n", post.Errors));
        var key = JsonDocument.Parse(world.Sandbox.Inbox[0].Content).RootElement.GetProperty("image_key").GetString();
        var node = JsonDocument.Parse(world.Sandbox.Inbox[20].Content).RootElement.GetProperty("en_us").GetProperty("content")[1][0];
        Assert.Equal("img", node.GetProperty("tag").GetString());
        Assert.Equal(key, node.GetProperty("image_key").GetString());
        Assert.False(node.TryGetProperty("path", out _));
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "-ImagePath", "missing.png", "does not exist" },
        { "-ImagePath", "empty.png", "is empty" },
        { "-ImagePath", "huge.png", "over Lark's 10 MB limit for an image" },
        { "-ImagePath", "notes.png", "is not an image Lark takes (judged by its bytes)" },
        { "-ImagePath", "wide.gif", "over Lark's 2000x2000 limit for a GIF" },
        { "-FilePath", "empty.log", "is empty" },
        { "-FilePath", "huge.zip", "over Lark's 30 MB limit for a file" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Each_offline_refusal_names_the_item_and_the_limit_and_makes_no_request(string parameter, string file, string expected)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        File.WriteAllBytes(Path.Combine(_files.Path, "empty.png"), []);
        File.WriteAllBytes(Path.Combine(_files.Path, "empty.log"), []);
        var huge = new byte[(10 * 1024 * 1024) + 1];
        TempFolder.PixelPng.CopyTo(huge, 0);
        File.WriteAllBytes(Path.Combine(_files.Path, "huge.png"), huge);
        File.WriteAllBytes(Path.Combine(_files.Path, "huge.zip"), new byte[(30 * 1024 * 1024) + 1]);
        File.WriteAllText(Path.Combine(_files.Path, "notes.png"), "these are notes, not a picture");
        File.WriteAllBytes(Path.Combine(_files.Path, "wide.gif"), [.. "GIF89a"u8, 0xD1, 0x07, 0x0A, 0x00, 0, 0, 0, 0]);
        var path = Path.Combine(_files.Path, file);
        var before = world.Sandbox.Requests.Count;

        var tested = world.Session.Invoke($"Test-LarkMessage -ReceiveType chat -ReceiveId $args[0] {parameter} $args[1] -Detailed", SandboxSeed.OpsChatId, path);
        var sent = world.Session.Invoke($"Send-LarkMessage -ReceiveType chat -ReceiveId $args[0] {parameter} $args[1]", SandboxSeed.OpsChatId, path);

        var check = Assert.Single(tested.Output);
        Assert.Equal(false, check.Properties["IsValid"].Value);
        var problem = Assert.Single((string[])check.Properties["Problems"].Value);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Contains(file, problem, StringComparison.Ordinal);
        var error = Assert.Single(sent.Errors);
        Assert.Equal("InvalidMessage," + SendId, error.FullyQualifiedErrorId);
        Assert.Contains("item 1 (chat " + SandboxSeed.OpsChatId + ")", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(sent.Output);
        Assert.Equal(before, world.Sandbox.Requests.Count);
        Assert.Empty(world.Sandbox.Inbox);
    }

    [Fact]
    public async Task A_post_image_whose_path_cannot_be_used_is_one_problem_naming_the_path()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var missing = Path.Combine(_files.Path, "missing.png");
        var before = world.Sandbox.Requests.Count;

        var tested = world.Session.Invoke(
            "Test-LarkMessage -ReceiveType chat -ReceiveId $args[1] -ContentType post -Content @{ en_us = @{ title = 'Load'; content = @(@(@{ tag = 'text'; text = 'Today:' }), @(, @{ tag = 'img'; path = $args[0] })) } } -Detailed",
            missing, SandboxSeed.OpsChatId);

        var check = Assert.Single(tested.Output);
        Assert.Equal(false, check.Properties["IsValid"].Value);
        // The path's problem alone: not a second one for the image_key it would have filled.
        var problem = Assert.Single((string[])check.Properties["Problems"].Value);
        Assert.Contains("content.en_us.content[1][0].path", problem, StringComparison.Ordinal);
        Assert.Contains("missing.png", problem, StringComparison.Ordinal);
        Assert.Equal(before, world.Sandbox.Requests.Count);
    }

    [Fact]
    public async Task WhatIf_checks_the_file_but_uploads_nothing()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var chart = Path.Combine(_files.Path, "chart.png");
        File.WriteAllBytes(chart, TempFolder.PixelPng);
        var before = world.Sandbox.Requests.Count;

        var result = world.Session.Invoke("Send-LarkMessage -ReceiveType chat -ReceiveId 'Ops alerts' -ImagePath $args[0] -WhatIf", chart);

        // Issue 26: connected, -WhatIf looks the chat name up (read-only) to show the real receiver; it uploads and sends nothing.
        Assert.Empty(result.Errors);
        Assert.All(world.Sandbox.Requests.Skip(before), r => Assert.True(
            r.PathAndQuery.StartsWith(ChatsPath, StringComparison.Ordinal) || r.PathAndQuery.Contains("tenant_access_token", StringComparison.Ordinal),
            "-WhatIf made a request other than the chat list: " + r.PathAndQuery));
        Assert.Empty(world.Sandbox.Inbox);
    }

    private static List<RecordedRequest> ChatPages(EngineWorld world) =>
        world.Sandbox.Requests.Where(r => r.PathAndQuery.StartsWith(ChatsPath, StringComparison.Ordinal)).ToList();

    private static async Task<JsonDocument> InboxAsync(EngineWorld world)
    {
        using var http = new HttpClient { BaseAddress = world.Sandbox.BaseAddress };
        return JsonDocument.Parse(await http.GetStringAsync("_sandbox/inbox"));
    }
}
