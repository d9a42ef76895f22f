using System.Management.Automation;
using System.Net;
using LarkPS.Api;
using LarkPS.Commands;
using LarkPS.Commands.Support;
using Xunit;

namespace LarkPS.UnitTests.Support;

/// <summary>Issue 26, finding 5: many identical failures end with one warning naming the cause and the count.</summary>
public class FailureSummaryTests
{
    private const string Send = ",LarkPS.Commands.SendLarkMessageCommand";

    [Fact]
    public void Twelve_failures_of_one_cause_are_one_warning_with_the_count_the_cause_and_the_fix_once()
    {
        var summary = new FailureSummary();
        for (var i = 0; i < 12; i++)
        {
            summary.Add(Refused(i));
        }

        var warning = summary.Warning();

        Assert.Equal(12, summary.Count);
        Assert.StartsWith("12 items failed, all for one cause: code 230013 (the user is outside the app's availability range) [ReceiverOutsideVisibleRange]. Fix: ", warning, StringComparison.Ordinal);
        Assert.Contains("availability (visible) range", warning, StringComparison.Ordinal);
        // The fix once, without any item's own log id.
        Assert.Equal(1, CountOf(warning!, "availability (visible) range"));
        Assert.DoesNotContain("log id", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fix_is_written_once_without_the_first_items_log_id()
    {
        var summary = new FailureSummary();
        var records = Enumerable.Range(0, 3).Select(i => SendErrors.For(Lark(123456, "log-" + i), "ou_" + i, "item " + i)).ToList();
        records.ForEach(summary.Add);

        var warning = summary.Warning();

        Assert.Contains("(log id log-0)", records[0].ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.StartsWith("3 items failed, all for one cause: code 123456 (refused to send the message) [SendFailed]. Fix: Look the code up", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("log-0", warning, StringComparison.Ordinal);
        Assert.EndsWith("give Lark support the log id.", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_causes_are_listed_most_frequent_first()
    {
        var summary = new FailureSummary();
        summary.Add("InvalidMessage" + Send, null, "Fix the fields named above.");
        for (var i = 0; i < 3; i++)
        {
            summary.Add(Refused(i));
        }

        summary.Add("InvalidMessage" + Send, null, "Fix the fields named above.");

        Assert.Equal(
            "5 items failed: 3 with code 230013 (the user is outside the app's availability range) [ReceiverOutsideVisibleRange]; 2 with InvalidMessage. Each error above has its fix.",
            summary.Warning());
    }

    [Fact]
    public void No_warning_when_no_cause_repeats()
    {
        var summary = new FailureSummary();
        Assert.Null(summary.Warning());

        summary.Add(Refused(1));
        summary.Add("InvalidMessage" + Send, null);

        Assert.Null(summary.Warning());
    }

    [Fact]
    public void Causes_past_the_first_five_are_counted_not_named()
    {
        var summary = new FailureSummary();
        for (var cause = 0; cause < 7; cause++)
        {
            summary.Add("Cause" + cause + Send, null);
            summary.Add("Cause" + cause + Send, null);
        }

        var warning = summary.Warning();

        Assert.Contains("2 with Cause4", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("Cause5", warning, StringComparison.Ordinal);
        Assert.Contains("; 4 items for 2 other causes.", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reason_is_the_lark_code_inside_an_error_and_null_for_others()
    {
        var wrapped = new InvalidOperationException("outer", Lark(230029));

        Assert.Equal("code 230029 (the user has resigned)", FailureSummary.ReasonOf(wrapped));
        Assert.Null(FailureSummary.ReasonOf(new ArgumentException("bad item")));
        Assert.Null(FailureSummary.ReasonOf(null));
    }

    // One send refused with 230013, as SendErrors writes it: each with its own log id in the fix.
    private static ErrorRecord Refused(int item) =>
        SendErrors.For(Lark(230013, "log-" + item), "ou_" + item, "item " + item);

    private static LarkApiException Lark(int code, string logId = "log") =>
        new("refused", code, "refused", HttpStatusCode.BadRequest, logId, operation: LarkOperation.Send);

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
