using System.Text.RegularExpressions;
using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Messages;

/// <summary>Issue 26, findings 1 and 5: column names as people write them, and one rule for a row with several.</summary>
public class ReceiverColumnsTests
{
    [Theory]
    [InlineData("Email", "email")]
    [InlineData("E-Mail Address", "emailaddress")]
    [InlineData(" email_address ", "emailaddress")]
    [InlineData("Mobile.Phone", "mobilephone")]
    [InlineData("\uFEFFEmail", "email")]
    [InlineData("Open ID", "openid")]
    [InlineData("邮箱", "邮箱")]
    public void Names_are_compared_without_case_spaces_dashes_underscores_and_dots(string name, string normalized)
    {
        Assert.Equal(normalized, MessageInputFields.NormalizeName(name));
    }

    [Theory]
    [InlineData("Email Address", "email")]
    [InlineData("E-Mail Address", "email")]
    [InlineData("e_mail", "email")]
    [InlineData("EMAIL-ADDRESS", "email")]
    [InlineData("UserPrincipalName", "email")]
    [InlineData("邮箱", "email")]
    [InlineData("Mobile Phone", "phone")]
    [InlineData("Phone Number", "phone")]
    [InlineData("phone_number", "phone")]
    [InlineData("Cell Phone", "phone")]
    [InlineData("Telephone", "phone")]
    [InlineData("手机号", "phone")]
    [InlineData("open_id", "user")]
    [InlineData("Open ID", "user")]
    [InlineData("chat_id", "chat")]
    [InlineData("Chat Name", "chat")]
    public void The_headers_people_write_are_receiver_columns(string header, string receiveType)
    {
        Assert.Equal(receiveType, MessageInputFields.FindReceiver(header));
    }

    [Theory]
    [InlineData("user_id")]
    [InlineData("UserId")]
    [InlineData("Group")]
    [InlineData("Name")]
    [InlineData("Department")]
    public void Lark_user_ids_groups_and_other_columns_are_not_receivers(string header)
    {
        Assert.Null(MessageInputFields.FindReceiver(header));
    }

    [Theory]
    [InlineData("Receive ID", "ReceiveId")]
    [InlineData("receive-id-type", "ReceiveType")]
    [InlineData("Msg Type", "ContentType")]
    [InlineData("MESSAGE", "Text")]
    public void Message_fields_are_matched_the_same_way(string name, string field)
    {
        Assert.Equal(Enum.Parse<MessageInputField>(field), MessageInputFields.Find(name));
    }

    [Fact]
    public void No_receiver_column_is_also_a_field_and_every_receiver_name_has_one_kind()
    {
        foreach (var (name, type) in MessageInputFields.ReceiverAliases)
        {
            Assert.Null(MessageInputFields.Find(name));
            Assert.Equal(type, MessageInputFields.FindReceiver(name));
            Assert.Contains(type, ReceiverColumns.Order);
        }
    }

    [Theory]
    [InlineData("Email=a@example.com|Phone=13800000001", null, "Email")]
    [InlineData("Phone=13800000001|Email=a@example.com", null, "Email")]
    [InlineData("Phone=13800000001|Email=a@example.com|OpenId=ou_1", null, "OpenId")]
    [InlineData("ChatId=oc_1|Phone=13800000001", null, "Phone")]
    [InlineData("Email= |Phone=13800000001", null, "Phone")]
    [InlineData("Mail=b@example.com|Email=a@example.com", null, "Mail")]
    [InlineData("Email=a@example.com|Phone=13800000001", "phone", "Phone")]
    [InlineData("Email=a@example.com|ChatId=oc_1", "chat_id", "ChatId")]
    public void The_first_present_of_open_id_email_phone_chat_is_used_unless_a_receiveType_picks(string columns, string? givenType, string expected)
    {
        var choice = ReceiverColumns.Pick(Columns(columns), givenType);

        Assert.Equal(expected, choice.Chosen!.Column);
    }

    [Fact]
    public void The_note_names_the_column_used_and_those_ignored()
    {
        var choice = ReceiverColumns.Pick(Columns("Email=a@example.com|Phone=13800000001|Mobile=13800000002"), null);
        var single = ReceiverColumns.Pick(Columns("Email=a@example.com|Phone="), null);

        Assert.Equal(
            "used column Email 'a@example.com'; ignored Phone '13800000001', Mobile '13800000002' (of several receiver columns, LarkPS uses the first present of OpenId, Email, Phone, Chat)",
            choice.Note);
        Assert.Equal(2, choice.Ignored.Count);
        Assert.Null(single.Note);
        Assert.Null(ReceiverColumns.Pick(Columns(string.Empty), null).Chosen);
    }

    [Fact]
    public void A_row_with_an_email_and_a_phone_is_one_message_to_the_email()
    {
        var item = new MessageInput { Text = "hi", PropertyNames = new List<string> { "Name", "Email", "Phone" } };
        foreach (var column in Columns("Email=a@example.com|Phone=13800000001"))
        {
            item.ReceiverColumns.Add(column);
        }

        var input = Assert.Single(MessageDefaults.Apply(item, new MessageParameters()));

        Assert.Empty(input.ReadProblems);
        Assert.Equal("a@example.com", input.ReceiveId);
        Assert.Equal("email", input.ReceiveType);
        Assert.StartsWith("used column Email 'a@example.com'; ignored Phone '13800000001'", input.ReceiverNote, StringComparison.Ordinal);
        Assert.True(MessageValidator.Validate(input).IsValid);
    }

    [Fact]
    public void The_help_table_is_the_code_table()
    {
        var markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "help-tables", "receiver-columns.md"));
        var rows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("(receiveType ", StringComparison.Ordinal)).ToList();

        Assert.Equal(ReceiverColumns.Order.Count, rows.Count);
        foreach (var type in ReceiverColumns.Order)
        {
            var row = Assert.Single(rows, r => r.Contains("(receiveType " + type, StringComparison.Ordinal));
            var names = row.Split('|')[2].Split(',').Select(n => n.Trim()).ToArray();
            Assert.Equal(MessageInputFields.ReceiverAliases.Where(a => a.ReceiveType == type).Select(a => a.Name), names);
        }
    }

    [Fact]
    public void About_LarkPS_has_the_same_table_with_its_ascii_names()
    {
        // The about topic stays ASCII (Windows PowerShell reads it without a BOM): the Chinese names are in the page.
        // The about topic's source is docs/help/about_LarkPS.md (the build writes the text topic from it).
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "help-tables", "about_LarkPS.md"));
        var start = Array.FindIndex(lines, l => l.Trim() == "| Receiver | Column names |") + 2;
        var names = new Dictionary<string, List<string>>();
        for (var i = start; lines[i].StartsWith('|'); i++)
        {
            var cells = lines[i].Split('|');
            var type = Regex.Match(cells[1], @"\((\w+)\)").Groups[1].Value;
            names[type] = cells[2].Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        }

        Assert.Equal(ReceiverColumns.Order, names.Keys);
        foreach (var kind in ReceiverColumns.Order)
        {
            Assert.Equal(MessageInputFields.ReceiverAliases.Where(a => a.ReceiveType == kind && a.Name.All(c => c < 128)).Select(a => a.Name), names[kind]);
        }

        Assert.Contains("first present of OpenId, Email, Phone, Chat", Regex.Replace(string.Join(" ", lines), @"\s+", " "), StringComparison.Ordinal);
    }

    private static IEnumerable<ReceiverColumn> Columns(string spec) =>
        spec.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var at = pair.IndexOf('=');
            var name = pair.Substring(0, at);
            return new ReceiverColumn(MessageInputFields.FindReceiver(name)!, name, pair.Substring(at + 1));
        }).ToList();
}
