using LarkPS.Commands;
using Xunit;

namespace LarkPS.UnitTests.Commands;

/// <summary>Issue 26, finding 9: a completed chat name is one argument as PowerShell reads it.</summary>
public class ChatCompletionTests
{
    [Theory]
    [InlineData("General", "General")]
    [InlineData("db-prod_02.ops", "db-prod_02.ops")]
    [InlineData("运维告警", "运维告警")]
    [InlineData("Ops alerts", "'Ops alerts'")]
    [InlineData("Bob's team", "'Bob''s team'")]
    [InlineData("Bob’s team", "'Bob’’s team'")]
    [InlineData("-ops", "'-ops'")]
    [InlineData("$home", "'$home'")]
    [InlineData("a#b", "'a#b'")]
    [InlineData("", "''")]
    public void Names_that_need_quotes_get_single_quotes(string name, string completion)
    {
        Assert.Equal(completion, ChatCompletion.Quote(name));
    }

    [Theory]
    [InlineData("'Ops", "Ops")]
    [InlineData("\"Ops al\"", "Ops al")]
    [InlineData(null, "")]
    public void The_word_typed_is_read_without_its_quotes(string? word, string expected)
    {
        Assert.Equal(expected, ChatCompletion.Unquote(word));
    }
}
