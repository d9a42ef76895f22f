using System.Management.Automation;
using LarkPS.EngineTests.Infrastructure;
using LarkPS.Sandbox;
using Xunit;

namespace LarkPS.EngineTests;

/// <summary>Issue 9: parameters as defaults for piped items, the column names people's data has, receiveType inference.</summary>
public class PipelineDefaultsTests
{
    private const string InvalidMessageId = "InvalidMessage,LarkPS.Commands.SendLarkMessageCommand";

    private static void NoErrors(InvocationResult result) =>
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));

    private static string WriteCsv(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "larkps-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static string PeopleCsv() => WriteCsv(
        "Name,Email,Message\n" +
        $"Alice,{SandboxSeed.AliceEmail},Hello Alice\n" +
        $"Bob,{SandboxSeed.BobEmail},Hello Bob\n" +
        $"Erin,{SandboxSeed.ErinEmail},Hello Erin\n");

    [Theory]
    [InlineData("Import-Csv $args[0] | Send-LarkMessage -ReceiveType email")]
    [InlineData("Import-Csv $args[0] | Send-LarkMessage")]
    public async Task A_people_csv_is_sent_as_is_with_or_without_ReceiveType_and_never_prompts(string script)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var csv = PeopleCsv();
        try
        {
            // The hosted engine has no UI: a mandatory parameter left unbound would fail here instead of prompting.
            var result = world.Session.Invoke(script, csv);

            Assert.Null(result.Terminating);
            NoErrors(result);
            Assert.Equal(3, result.Output.Count);
            var inbox = world.Sandbox.Inbox.OrderBy(m => m.ReceiveId, StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { SandboxSeed.AliceEmail, SandboxSeed.BobEmail, SandboxSeed.ErinEmail }, inbox.Select(m => m.ReceiveId));
            Assert.All(inbox, m => Assert.Equal("email", m.ReceiveIdType));
            Assert.Equal("{\"text\":\"Hello Alice\"}", inbox[0].Content);
            Assert.Equal("{\"text\":\"Hello Erin\"}", inbox[2].Content);
            Assert.Equal(3, inbox.Select(m => m.Uuid).Distinct().Count());
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Theory]
    [InlineData("Email", SandboxSeed.AliceEmail, "email", SandboxSeed.AliceEmail)]
    [InlineData("mail", SandboxSeed.AliceEmail, "email", SandboxSeed.AliceEmail)]
    [InlineData("EmailAddress", SandboxSeed.AliceEmail, "email", SandboxSeed.AliceEmail)]
    [InlineData("UserPrincipalName", SandboxSeed.AliceEmail, "email", SandboxSeed.AliceEmail)]
    [InlineData("Phone", "13800000002", "open_id", SandboxSeed.BobOpenId)]
    [InlineData("MOBILE", "+86 138 0000 0002", "open_id", SandboxSeed.BobOpenId)]
    [InlineData("MobilePhone", "+8613800000002", "open_id", SandboxSeed.BobOpenId)]
    [InlineData("PhoneNumber", "13800000002", "open_id", SandboxSeed.BobOpenId)]
    [InlineData("ChatId", SandboxSeed.OpsChatId, "chat_id", SandboxSeed.OpsChatId)]
    [InlineData("chat_id", SandboxSeed.OpsChatId, "chat_id", SandboxSeed.OpsChatId)]
    [InlineData("OpenId", SandboxSeed.ErinOpenId, "open_id", SandboxSeed.ErinOpenId)]
    [InlineData("open_id", SandboxSeed.ErinOpenId, "open_id", SandboxSeed.ErinOpenId)]
    public async Task Each_receiver_column_name_reaches_Lark_as_its_receiveType(string column, string value, string wireType, string wireId)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var csv = WriteCsv($"Name,{column},Body\nSomeone,\"{value}\",Hi there\n");
        try
        {
            var result = world.Session.Invoke("Import-Csv $args[0] | Send-LarkMessage", csv);

            NoErrors(result);
            Assert.Single(result.Output);
            var delivered = Assert.Single(world.Sandbox.Inbox);
            Assert.Equal(wireType, delivered.ReceiveIdType);
            Assert.Equal(wireId, delivered.ReceiveId);
            Assert.Equal("{\"text\":\"Hi there\"}", delivered.Content);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Theory]
    [InlineData("Message")]
    [InlineData("text")]
    [InlineData("BODY")]
    public async Task Each_text_column_name_is_the_text(string column)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "$row = [pscustomobject]@{ OpenId = $args[0] }; $row | Add-Member NoteProperty $args[1] 'From a column'; $row | Send-LarkMessage",
            SandboxSeed.AliceOpenId, column);

        NoErrors(result);
        var delivered = Assert.Single(world.Sandbox.Inbox);
        Assert.Equal(SandboxSeed.AliceOpenId, delivered.ReceiveId);
        Assert.Equal("{\"text\":\"From a column\"}", delivered.Content);
    }

    [Fact]
    public async Task Parameters_fill_what_items_lack_and_a_value_on_the_item_wins()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "@([pscustomobject]@{ Email = $args[0] }, [pscustomobject]@{ Email = $args[1]; Text = 'Own text' }) | Send-LarkMessage -Text 'Default text'",
            SandboxSeed.AliceEmail, SandboxSeed.BobEmail);

        NoErrors(result);
        Assert.Equal(2, result.Output.Count);
        var inbox = world.Sandbox.Inbox;
        Assert.Equal("{\"text\":\"Default text\"}", inbox.Single(m => m.ReceiveId == SandboxSeed.AliceEmail).Content);
        Assert.Equal("{\"text\":\"Own text\"}", inbox.Single(m => m.ReceiveId == SandboxSeed.BobEmail).Content);
    }

    [Fact]
    public async Task An_item_without_the_fields_Send_needs_is_an_error_naming_the_properties_it_had_and_the_others_are_sent()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var csv = WriteCsv($"FullName,Address,Note\nAlice,{SandboxSeed.AliceEmail},Hi\n");
        try
        {
            var result = world.Session.Invoke(
                "Import-Csv $args[0] | Send-LarkMessage; [pscustomobject]@{ OpenId = $args[1] } | Send-LarkMessage -Text 'still sent'",
                csv, SandboxSeed.BobOpenId);

            var error = Assert.Single(result.Errors);
            Assert.Equal(InvalidMessageId, error.FullyQualifiedErrorId);
            Assert.Contains("FullName, Address, Note", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("Alice", ((PSObject)error.TargetObject).Properties["FullName"].Value);
            var delivered = Assert.Single(world.Sandbox.Inbox);
            Assert.Equal(SandboxSeed.BobOpenId, delivered.ReceiveId);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task A_piped_item_without_a_receiver_is_an_InvalidMessage_error_not_a_prompt()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke("@{ text = 'no receiver' } | Send-LarkMessage -ReceiveType email");

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.Equal(InvalidMessageId, error.FullyQualifiedErrorId);
        Assert.Contains("receiveId", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(world.Sandbox.Inbox);
    }

    [Theory]
    [InlineData(SandboxSeed.AliceOpenId, "open_id", SandboxSeed.AliceOpenId)]
    [InlineData(SandboxSeed.OpsChatId, "chat_id", SandboxSeed.OpsChatId)]
    [InlineData(SandboxSeed.BobEmail, "email", SandboxSeed.BobEmail)]
    [InlineData("+1 415 555 0100", "open_id", SandboxSeed.ErinOpenId)]
    [InlineData("13800000001", "open_id", SandboxSeed.AliceOpenId)]
    public async Task Positional_receiver_and_text_infer_the_receiveType_from_the_id(string receiver, string wireType, string wireId)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke("Send-LarkMessage $args[0] 'hi'", receiver);

        NoErrors(result);
        Assert.Single(result.Output);
        var delivered = Assert.Single(world.Sandbox.Inbox);
        Assert.Equal(wireType, delivered.ReceiveIdType);
        Assert.Equal(wireId, delivered.ReceiveId);
        Assert.Equal("{\"text\":\"hi\"}", delivered.Content);
    }

    [Theory]
    [InlineData("Send-LarkMessage -ReceiveType user -ReceiveId $args[0] -Text hi", "'user' contradicts the receiveId 'bob@example.com', which is an e-mail address")]
    [InlineData("[pscustomobject]@{ Email = $args[0]; Text = 'hi' } | Send-LarkMessage -ReceiveType chat", "'chat' contradicts the receiveId 'bob@example.com', which is an e-mail address")]
    public async Task An_explicit_receiveType_that_contradicts_the_id_is_an_error_that_says_so(string script, string expected)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(script, SandboxSeed.BobEmail);

        var error = Assert.Single(result.Errors);
        Assert.Equal(InvalidMessageId, error.FullyQualifiedErrorId);
        Assert.Contains(expected, error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(world.Sandbox.Inbox);
    }

    [Fact]
    public async Task ReceiveId_with_three_receivers_sends_one_message_to_each_with_its_own_uuid()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();

        var result = world.Session.Invoke(
            "Send-LarkMessage -ReceiveId $args[0], $args[1], $args[2] -Text 'To all three'",
            SandboxSeed.AliceEmail, SandboxSeed.BobOpenId, SandboxSeed.OpsChatId);

        NoErrors(result);
        Assert.Equal(3, result.Output.Count);
        var inbox = world.Sandbox.Inbox;
        Assert.Equal(3, inbox.Count);
        Assert.Equal("email", inbox.Single(m => m.ReceiveId == SandboxSeed.AliceEmail).ReceiveIdType);
        Assert.Equal("open_id", inbox.Single(m => m.ReceiveId == SandboxSeed.BobOpenId).ReceiveIdType);
        Assert.Equal("chat_id", inbox.Single(m => m.ReceiveId == SandboxSeed.OpsChatId).ReceiveIdType);
        Assert.All(inbox, m => Assert.Equal("{\"text\":\"To all three\"}", m.Content));
        Assert.Equal(3, inbox.Select(m => m.Uuid).Distinct().Count());
    }

    [Fact]
    public async Task ReceiveType_and_ContentType_complete_their_values()
    {
        await using var world = await EngineWorld.StartAsync();

        var result = world.Session.Invoke(
            "(TabExpansion2 -inputScript 'Send-LarkMessage -ReceiveType ch' -cursorColumn 32).CompletionMatches.CompletionText;" +
            "(TabExpansion2 -inputScript 'Test-LarkMessage -ContentType sha' -cursorColumn 33).CompletionMatches.CompletionText");

        NoErrors(result);
        Assert.Equal(new[] { "chat", "chat_id", "share_chat", "share_user" }, result.Output.Select(o => o.BaseObject.ToString()));
    }

    [Fact]
    public async Task A_row_with_an_empty_cell_names_the_empty_column_once_and_the_other_rows_go()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var csv = WriteCsv(
            "Email,Message\n" +
            $"{SandboxSeed.AliceEmail},Backup done\n" +
            $"{SandboxSeed.BobEmail},\n" +
            ",Orphan message\n");
        try
        {
            var result = world.Session.Invoke("Import-Csv $args[0] | Send-LarkMessage", csv);

            Assert.Single(result.Output);
            Assert.Equal(2, result.Errors.Count);
            var noText = result.Errors[0].Exception.Message;
            Assert.StartsWith("item 2 (email " + SandboxSeed.BobEmail + ")", noText, StringComparison.Ordinal);
            Assert.Contains("content: is missing: the item's Message is empty", noText, StringComparison.Ordinal);
            Assert.DoesNotContain("has no content property", noText, StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(noText, "content: is missing"));
            var noReceiver = result.Errors[1].Exception.Message;
            Assert.Contains("receiveId: is missing: the item's Email is empty", noReceiver, StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(noReceiver, "receiveId: is missing"));
            Assert.Equal(SandboxSeed.AliceEmail, Assert.Single(world.Sandbox.Inbox).ReceiveId);
        }
        finally
        {
            File.Delete(csv);
        }
    }
}

/// <summary>Issue 9: a seed body read with Get-Content without -Raw (one string per line).</summary>
public class LineByLineJsonTests
{
    private static string WriteBody(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "larkps-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_body_piped_line_by_line_is_read_as_one_document()
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var body = WriteBody(
            "[\n" +
            "  {\n" +
            "    \"receiveType\": \"email\",\n" +
            $"    \"receiveId\": \"{SandboxSeed.AliceEmail}\",\n" +
            "    \"contentType\": \"text\",\n" +
            "    \"content\": \"{\\\"text\\\":\\\"line one { not a bracket\\\"}\"\n" +
            "  },\n" +
            $"  {{ \"receiveId\": \"{SandboxSeed.BobOpenId}\", \"content\": \"{{\\\"text\\\":\\\"two\\\"}}\" }}\n" +
            "]\n\n");
        try
        {
            var result = world.Session.Invoke("Get-Content $args[0] | Send-LarkMessage", body);

            Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors.Select(e => e.Exception.Message)));
            Assert.Equal(2, result.Output.Count);
            var inbox = world.Sandbox.Inbox;
            Assert.Equal("{\"text\":\"line one { not a bracket\"}", inbox.Single(m => m.ReceiveId == SandboxSeed.AliceEmail).Content);
            Assert.Equal("{\"text\":\"two\"}", inbox.Single(m => m.ReceiveId == SandboxSeed.BobOpenId).Content);
        }
        finally
        {
            File.Delete(body);
        }
    }

    [Fact]
    public async Task A_broken_body_given_whole_is_its_own_error_and_the_items_after_it_are_sent()
    {
        // A body cut short (a database field's limit) piped with others: a string with line breaks is no line of a
        // file, so it is read alone. It used to start a "document" that swallowed both bodies after it, unsent.
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var cut = "[\n  {\"receiveType\":\"email\",\"receiveId\":\"" + SandboxSeed.AliceEmail + "\",\"text\":\"cut";
        var one = "{\"receiveType\":\"email\",\"receiveId\":\"" + SandboxSeed.AliceEmail + "\",\"text\":\"one\"}";
        var two = "[{\"receiveType\":\"email\",\"receiveId\":\"" + SandboxSeed.AliceEmail + "\",\"text\":\"two\"}]";

        var result = world.Session.Invoke("$args | Send-LarkMessage", cut, one, two);
        var check = world.Session.Invoke("$args | Test-LarkMessage", cut, one, two);

        Assert.Equal(2, result.Output.Count);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidMessage,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(cut, error.TargetObject);
        Assert.Contains("not valid JSON", error.ErrorDetails?.Message ?? error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "{\"text\":\"one\"}", "{\"text\":\"two\"}" }, world.Sandbox.Inbox.Select(m => m.Content).OrderBy(c => c, StringComparer.Ordinal));
        Assert.Equal(new object[] { false, true, true }, check.Output.Select(o => o.BaseObject).ToArray());
    }

    [Theory]
    [InlineData("[\n  {\n    \"receiveId\": \"ou_x\",\n    \"content\": \"{}\",,\n  }\n]\n", "do not form one JSON message body")]
    [InlineData("[\n  {\n    \"receiveId\": \"ou_x\",\n    \"content\": \"{}\"\n", "ended before the JSON document they began did")]
    public async Task A_broken_body_piped_line_by_line_fails_once_and_says_to_use_Raw(string text, string expected)
    {
        await using var world = await EngineWorld.StartAsync();
        world.Connect();
        var body = WriteBody(text);
        try
        {
            var result = world.Session.Invoke("Get-Content $args[0] | Send-LarkMessage; Get-Content $args[0] | Test-LarkMessage", body);

            Assert.Equal(2, result.Errors.Count);
            Assert.All(result.Errors, e =>
            {
                Assert.StartsWith("InvalidMessage,", e.FullyQualifiedErrorId, StringComparison.Ordinal);
                Assert.Contains(expected, e.Exception.Message, StringComparison.Ordinal);
                Assert.Contains("-Raw", e.Exception.Message, StringComparison.Ordinal);
                Assert.Contains("Get-Content ./body.json -Raw |", e.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
            });
            Assert.Empty(world.Sandbox.Inbox);
        }
        finally
        {
            File.Delete(body);
        }
    }
}
