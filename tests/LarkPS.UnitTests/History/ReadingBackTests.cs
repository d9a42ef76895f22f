using System.Text.Json;
using LarkPS.Api;
using LarkPS.Commands.Support;
using Xunit;

namespace LarkPS.UnitTests.History;

/// <summary>Issue 25's plain parts: safe resource file names, and a history walk's de-duplication, time cut and -First.</summary>
public sealed class ReadingBackTests
{
    [Theory]
    [InlineData("../../x", "x")]
    [InlineData("..\\..\\evil.exe", "evil.exe")]
    [InlineData("/etc/passwd", "passwd")]
    [InlineData("C:\\Windows\\x.dll", "x.dll")]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("a\u0001b:c.txt", "a_b_c.txt")]
    public void A_reported_name_keeps_only_a_safe_last_segment(string reported, string expected)
    {
        var name = ResourceFiles.SafeName(reported, null, "file_v3_k", null);

        Assert.Equal(expected, name);
        var folder = Path.Combine(Path.GetTempPath(), "larkps-safe");
        Assert.True(ResourceFiles.IsInside(folder, Path.Combine(folder, name)));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../")]
    [InlineData("   ")]
    public void A_name_that_is_no_name_falls_back_to_the_key_and_the_type(string reported)
    {
        Assert.Equal("img_v3_abc.png", ResourceFiles.SafeName(reported, null, "img_v3_abc", "image/png"));
    }

    [Fact]
    public void A_path_outside_the_folder_is_not_inside()
    {
        var folder = Path.Combine(Path.GetTempPath(), "larkps-safe", "inner");
        Assert.False(ResourceFiles.IsInside(folder, Path.Combine(folder, "..", "x")));
        Assert.False(ResourceFiles.IsInside(folder, folder));
    }

    [Fact]
    public void The_walk_drops_a_message_repeated_across_pages_cuts_by_time_and_stops_at_first()
    {
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        var walk = new HistoryWalk(new HistoryQuery("chat", "oc_x", null, null, false), t0.AddMilliseconds(1), null, skip: 0, first: 3);

        var one = walk.Take(Page(true, "t1", (1, 0), (2, 1), (3, 2))).ToList();
        Assert.True(walk.WantsPage);
        var two = walk.Take(Page(true, "t2", (3, 2), (4, 3), (5, 4))).ToList();

        // Message 1 is before -After (by a millisecond); 3 came twice; -First 3 ends the walk at 4.
        Assert.Equal(new[] { "om_2", "om_3" }, one.Select(m => m.MessageId));
        Assert.Equal(new[] { "om_4" }, two.Select(m => m.MessageId));
        Assert.False(walk.WantsPage);
        Assert.True(walk.StoppedAtFirst);

        LarkPage Page(bool more, string token, params (int Id, int Ms)[] items)
        {
            var json = "[" + string.Join(",", items.Select(i =>
                "{\"message_id\":\"om_" + i.Id + "\",\"msg_type\":\"text\",\"create_time\":\"" + (t0.ToUnixTimeMilliseconds() + i.Ms)
                + "\",\"body\":{\"content\":\"{\\\"text\\\":\\\"m" + i.Id + "\\\"}\"},\"sender\":{\"id\":\"cli_x\",\"id_type\":\"app_id\",\"sender_type\":\"app\"}}")) + "]";
            using var document = JsonDocument.Parse(json);
            return new LarkPage(document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray(), more, token);
        }
    }

    [Fact]
    public void A_history_item_reads_like_an_event_text_mentions_times_and_a_recall()
    {
        using var document = JsonDocument.Parse("""
            [{"message_id":"om_a","msg_type":"text","create_time":"1790000000000","update_time":"1790000001000","deleted":false,"updated":true,
              "chat_id":"oc_c","sender":{"id":"ou_u","id_type":"open_id","sender_type":"user","tenant_key":"t"},
              "body":{"content":"{\"text\":\"@_user_1 look\"}"},"mentions":[{"key":"@_user_1","id":"ou_b","id_type":"open_id","name":"Bob"}]},
             {"message_id":"om_b","msg_type":"text","create_time":"1790000002000","deleted":true,"body":{"content":"This message was recalled"}}]
            """);
        var items = document.RootElement.EnumerateArray().Select(LarkPS.Events.HistoryItemParser.Parse).ToList();

        Assert.Equal("@Bob look", items[0].Text);
        Assert.Equal("ou_b", items[0].Mentions.Single().OpenId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000), items[0].CreateTime);
        Assert.True(items[0].Updated);
        Assert.Equal("ou_u", items[0].SenderId);
        Assert.True(items[1].Deleted);
        Assert.Null(items[1].Text);
        Assert.Null(items[1].Content);
        Assert.Equal("This message was recalled", items[1].RawContent);
    }
}
