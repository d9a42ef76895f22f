using System.Management.Automation.Language;
using System.Text.Json;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>
/// The quick start as a newcomer runs it: examples/quickstart.ps1 and each example script in a real engine against a
/// sandbox, judged by what the sandbox received and what the scripts printed.
/// </summary>
public class QuickStartTests
{
    private const string SendPath = "/open-apis/im/v1/messages";

    private static string Example(string name) => Path.Combine(RepoPaths.Root, "examples", name);

    [Fact]
    public async Task The_quick_start_delivers_every_example_and_reports_the_one_refused_row_with_its_fix()
    {
        await using var world = await EngineWorld.StartAsync();

        // The session has LarkPS imported already, as when a user runs the script from a pwsh that loaded it.
        var result = world.Session.Invoke(
            "& $args[0] -BaseUri $args[1] | Out-String -Width 200; @(Get-Module LarkPS).Count",
            Example("quickstart.ps1"),
            world.Url);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(1, (int)result.Output[^1].BaseObject);

        var inbox = world.Sandbox.Inbox;
        AssertSeedBodyDelivered(inbox);
        AssertCsvRowsDelivered(world.Sandbox);
        AssertAlertsDelivered(inbox);
        Assert.Equal(8, inbox.Count);

        // The tables: the connection, then every message the sandbox holds, by its id.
        var printed = (string)result.Output[0].BaseObject;
        Assert.Contains("cli_sandbox", printed, StringComparison.Ordinal);
        Assert.All(inbox, m => Assert.Contains(m.MessageId, printed, StringComparison.Ordinal));

        AssertCsvSummary(result.Information);
        Assert.Contains(result.Information, l => l.StartsWith("== 3.", StringComparison.Ordinal));
        Assert.Contains(result.Information, l => l.Contains(world.Url + "/", StringComparison.Ordinal));
        world.AssertNoSecrets(result);
    }

    [Fact]
    public async Task The_quick_start_imports_the_built_module_itself_when_it_is_not_loaded()
    {
        await using var world = await EngineWorld.StartAsync();
        var removed = world.Session.Invoke("Remove-Module LarkPS; @(Get-Module LarkPS).Count");
        Assert.Equal(0, (int)Assert.Single(removed.Output).BaseObject);

        var result = world.Session.Invoke(
            "& $args[0] -BaseUri $args[1] | Out-Null; Get-Module LarkPS | ForEach-Object Path",
            Example("quickstart.ps1"),
            world.Url);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var path = Assert.Single(result.Output).ToString();
        Assert.Equal(Path.Combine(Path.GetDirectoryName(RepoPaths.ModuleManifest)!, "LarkPS.dll"), Path.GetFullPath(path));
        Assert.Equal(8, world.Sandbox.Inbox.Count);
    }

    [Fact]
    public async Task The_seed_body_example_sends_the_file_as_is_and_returns_what_was_sent()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke("& $args[0]", Example("01-seed-body.ps1"));

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, o => Assert.Contains("LarkPS.Api.SentMessage", o.TypeNames));
        AssertSeedBodyDelivered(world.Sandbox.Inbox);
        Assert.Equal(3, world.Sandbox.Inbox.Count);
    }

    [Fact]
    public async Task The_CSV_example_sends_the_e_mail_and_phone_rows_and_names_carol_with_the_fix()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke("& $args[0] | Out-String -Width 200", Example("02-notify-from-csv.ps1"));

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        AssertCsvRowsDelivered(world.Sandbox);
        Assert.Equal(3, world.Sandbox.Inbox.Count);
        AssertCsvSummary(result.Information);
        var printed = (string)Assert.Single(result.Output).BaseObject;
        Assert.All(world.Sandbox.Inbox, m => Assert.Contains(m.MessageId, printed, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_alert_example_checks_both_messages_then_posts_them_to_the_Ops_chat()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke("& $args[0] -Verbose", Example("03-post-and-card-alert.ps1"));

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        Assert.Contains(result.Information, l => l.Contains("post, valid", StringComparison.Ordinal));
        Assert.Contains(result.Information, l => l.Contains("interactive, valid", StringComparison.Ordinal));

        // -Verbose shows each exact request body; the post's is the one the sandbox received (bar the generated uuid).
        var verbosePost = Assert.Single(result.Verbose, v => v.Contains("\"msg_type\":\"post\"", StringComparison.Ordinal));
        using var shown = JsonDocument.Parse(verbosePost[verbosePost.IndexOf('{', StringComparison.Ordinal)..]);
        AssertAlertsDelivered(world.Sandbox.Inbox);
        var post = Assert.Single(world.Sandbox.Inbox, m => m.MsgType == "post");
        Assert.Equal(shown.RootElement.GetProperty("content").GetString(), post.Content);
    }

    [Theory]
    [InlineData("01-seed-body.ps1")]
    [InlineData("02-notify-from-csv.ps1")]
    [InlineData("03-post-and-card-alert.ps1")]
    public async Task Each_example_with_WhatIf_sends_nothing(string script)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke("& $args[0] -WhatIf | Out-Null", Example(script));

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.DoesNotContain(world.Sandbox.Requests, r => r.PathAndQuery.StartsWith(SendPath, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("01-seed-body.ps1")]
    [InlineData("02-notify-from-csv.ps1")]
    [InlineData("03-post-and-card-alert.ps1")]
    public async Task Each_example_run_before_Connect_Lark_stops_and_says_to_connect(string script)
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke("& $args[0]", Example(script));

        Assert.NotNull(result.Terminating);
        Assert.Contains("Connect-Lark", result.Terminating!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Information, l => l.Contains(" sent, ", StringComparison.Ordinal));
        Assert.Empty(world.Sandbox.Requests);
    }

    public static TheoryData<string> ExampleScripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "examples"), "*.ps1").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    // Pester and Windows PowerShell are not here: at least keep the examples to syntax 5.1 parses.
    [Theory]
    [MemberData(nameof(ExampleScripts))]
    public void Each_example_uses_only_Windows_PowerShell_5_1_syntax(string script)
    {
        var ast = Parser.ParseFile(Example(script), out var tokens, out var errors);

        Assert.Empty(errors);
        var newer = new[] { TokenKind.QuestionMark, TokenKind.QuestionQuestion, TokenKind.QuestionQuestionEquals, TokenKind.AndAnd, TokenKind.OrOr, TokenKind.QuestionDot, TokenKind.QuestionLBracket, TokenKind.Clean };
        Assert.DoesNotContain(tokens, t => newer.Contains(t.Kind));
        Assert.DoesNotContain(ast.FindAll(a => a is CommandParameterAst p && p.ParameterName.Equals("Parallel", StringComparison.OrdinalIgnoreCase), true), _ => true);
        Assert.False(string.IsNullOrWhiteSpace(ast.GetHelpContent()?.Synopsis), script + " needs comment-based help with a .SYNOPSIS.");

        // Windows PowerShell 5.1 reads a .ps1 without a byte order mark in the ANSI code page: non-ASCII text needs one.
        var bytes = File.ReadAllBytes(Example(script));
        if (bytes.Any(b => b > 0x7F))
        {
            Assert.True(bytes is [0xEF, 0xBB, 0xBF, ..], script + " holds non-ASCII text, so it must be saved as UTF-8 with a BOM.");
        }
    }

    // examples/seed-body.json, message by message: Lark's receive_id_type for each receiveType, the content unchanged.
    private static void AssertSeedBodyDelivered(IReadOnlyList<DeliveredMessage> inbox)
    {
        using var body = JsonDocument.Parse(File.ReadAllText(Example("seed-body.json")));
        Assert.Equal(3, body.RootElement.GetArrayLength());
        foreach (var item in body.RootElement.EnumerateArray())
        {
            var receiveType = item.GetProperty("receiveType").GetString();
            var wireType = receiveType switch
            {
                "user" => "open_id",
                "email" => "email",
                "chat" => "chat_id",
                _ => throw new InvalidOperationException("The seed body example should use user, email and chat: " + receiveType),
            };
            var receiveId = item.GetProperty("receiveId").GetString();
            using var content = JsonDocument.Parse(item.GetProperty("content").GetString()!);
            var delivered = Assert.Single(inbox, m => m.ReceiveIdType == wireType && m.ReceiveId == receiveId && m.MsgType == "text");
            using var deliveredContent = JsonDocument.Parse(delivered.Content);
            Assert.True(JsonElement.DeepEquals(content.RootElement, deliveredContent.RootElement), delivered.Content);
        }

        Assert.Contains(inbox, m => m.ReceiveIdType == "open_id" && m.ReceiveId == SandboxSeed.AliceOpenId);
        Assert.Contains(inbox, m => m.ReceiveIdType == "email" && m.ReceiveId == SandboxSeed.BobEmail);
        Assert.Contains(inbox, m => m.ReceiveIdType == "chat_id" && m.ReceiveId == SandboxSeed.GeneralChatId);
    }

    // examples/people.csv: alice by e-mail, bob and erin by phone (sent to the open_id the number resolves to),
    // carol by e-mail refused by Lark (230013, outside the visible range) and so not delivered.
    private static void AssertCsvRowsDelivered(SandboxServer sandbox)
    {
        var inbox = sandbox.Inbox;
        AssertGreeting(Assert.Single(inbox, m => m.ReceiveIdType == "email" && m.ReceiveId == SandboxSeed.AliceEmail), "Alice");
        AssertGreeting(Assert.Single(inbox, m => m.ReceiveIdType == "open_id" && m.ReceiveId == SandboxSeed.BobOpenId), "Bob");
        AssertGreeting(Assert.Single(inbox, m => m.ReceiveIdType == "open_id" && m.ReceiveId == SandboxSeed.ErinOpenId), "Erin");

        Assert.DoesNotContain(inbox, m => m.ReceiveId is SandboxSeed.CarolEmail or SandboxSeed.CarolOpenId);
        Assert.DoesNotContain(inbox, m => m.Content.Contains("Carol", StringComparison.Ordinal));
        var refused = Assert.Single(sandbox.Requests, r => r.PathAndQuery.StartsWith(SendPath, StringComparison.Ordinal) && r.Body.Contains(SandboxSeed.CarolEmail, StringComparison.Ordinal));
        Assert.Equal(230013, refused.Code);
    }

    private static void AssertGreeting(DeliveredMessage message, string name)
    {
        Assert.Equal("text", message.MsgType);
        using var content = JsonDocument.Parse(message.Content);
        Assert.StartsWith($"Hi {name}, ", content.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private static void AssertCsvSummary(IReadOnlyList<string> information)
    {
        Assert.Contains("3 sent, 1 failed: Carol", information);
        var reason = Assert.Single(information, l => l.Contains(SandboxSeed.CarolEmail, StringComparison.Ordinal));
        Assert.Contains("230013", reason, StringComparison.Ordinal);
        var fix = Assert.Single(information, l => l.TrimStart().StartsWith("Fix:", StringComparison.Ordinal));
        Assert.Contains("availability (visible) range", fix, StringComparison.Ordinal);
        Assert.Contains("publish a new app version", fix, StringComparison.Ordinal);
    }

    // examples/03: a post in zh_cn and en_us with a link, an @mention and a code block, and a v2 card with a red
    // header, a markdown body and a button, both to the Ops alerts chat.
    private static void AssertAlertsDelivered(IReadOnlyList<DeliveredMessage> inbox)
    {
        var ops = inbox.Where(m => m.ReceiveIdType == "chat_id" && m.ReceiveId == SandboxSeed.OpsChatId).ToList();
        Assert.Equal(new[] { "interactive", "post" }, ops.Select(m => m.MsgType).Order().ToArray());
        Assert.All(ops, m => Assert.Equal(SandboxSeed.OpsChatId, m.ChatId));

        using var post = JsonDocument.Parse(ops.Single(m => m.MsgType == "post").Content);
        foreach (var locale in new[] { "zh_cn", "en_us" })
        {
            var body = post.RootElement.GetProperty(locale);
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
            var nodes = body.GetProperty("content").EnumerateArray().SelectMany(p => p.EnumerateArray()).ToList();
            Assert.Contains(nodes, n => Tag(n) == "at" && n.GetProperty("user_id").GetString() == SandboxSeed.AliceOpenId);
            Assert.Contains(nodes, n => Tag(n) == "a" && n.GetProperty("href").GetString()!.StartsWith("https://", StringComparison.Ordinal));
            Assert.Contains(nodes, n => Tag(n) == "code_block" && !string.IsNullOrWhiteSpace(n.GetProperty("text").GetString()));
        }

        using var card = JsonDocument.Parse(ops.Single(m => m.MsgType == "interactive").Content);
        Assert.Equal("2.0", card.RootElement.GetProperty("schema").GetString());
        var header = card.RootElement.GetProperty("header");
        Assert.Equal("red", header.GetProperty("template").GetString());
        Assert.Equal("plain_text", header.GetProperty("title").GetProperty("tag").GetString());
        var elements = card.RootElement.GetProperty("body").GetProperty("elements").EnumerateArray().ToList();
        Assert.Contains(elements, e => Tag(e) == "markdown" && e.GetProperty("content").GetString()!.Contains("**", StringComparison.Ordinal));
        var button = Assert.Single(elements, e => Tag(e) == "button");
        var behavior = Assert.Single(button.GetProperty("behaviors").EnumerateArray().ToList());
        Assert.Equal("open_url", behavior.GetProperty("type").GetString());
        Assert.StartsWith("https://", behavior.GetProperty("default_url").GetString(), StringComparison.Ordinal);
    }

    private static string? Tag(JsonElement node) => node.TryGetProperty("tag", out var tag) ? tag.GetString() : null;
}
