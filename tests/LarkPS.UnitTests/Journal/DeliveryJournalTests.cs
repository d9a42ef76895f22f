using System.Text;
using LarkPS.Journal;
using Xunit;

namespace LarkPS.UnitTests.Journal;

/// <summary>Reading a journal back: every line of the wrong shape is an unfinished line, skipped without an exception of any kind.</summary>
public sealed class DeliveryJournalTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "larkps-journal-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Lines_with_null_or_mistyped_fields_are_skipped_and_the_good_ones_replayed()
    {
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        using (var journal = DeliveryJournal.Open(_path))
        {
            journal.Submitted("k1", 1, "u1", at, newWindow: true);
            journal.Submitted("k2", 2, "u2", at, newWindow: true);
        }

        File.AppendAllText(_path, string.Join("\n", new[]
        {
            "{\"event\":\"sent\",\"key\":null,\"uuid\":\"u1\",\"message_id\":\"om_x\"}",
            "{\"event\":\"submitted\",\"key\":\"k3\",\"uuid\":\"u3\",\"at\":null,\"position\":3,\"new_window\":true}",
            "{\"event\":\"submitted\",\"key\":\"k4\",\"uuid\":null,\"at\":\"2026-12-01T08:00:00.0000000Z\",\"position\":4,\"new_window\":true}",
            "{\"event\":\"submitted\",\"key\":\"k5\",\"uuid\":\"u5\",\"at\":\"2026-12-01T08:00:00.0000000Z\",\"position\":\"5\",\"new_window\":true}",
            "5",
            "[]",
            "{\"event\":7,\"key\":\"k1\",\"uuid\":\"u1\"}",
            "{\"event\":\"sent\",\"key\":\"k1\",\"uuid\":\"u1\",\"message_id\":7}",
            "{\"event\":\"sent\",\"key\":\"k1\",\"uuid\":\"u1\",\"create_time\":\"not a time\"}",
            "{\"event\":\"sent\",\"key\":\"k1\",\"uuid\":\"u1\",\"message_id\":\"om_1\",\"create_time\":\"2026-12-01T08:00:01.0000000Z\"}",
            "{\"event\":\"refused\",\"key\":\"k2\",\"uuid\":\"u2\"}",
            "{\"event\":\"sent\",\"key\":\"k2\"",
        }), Encoding.UTF8);

        using var reread = DeliveryJournal.Open(_path);

        Assert.Equal(2, reread.Count);
        var sent = reread.Find("k1")!;
        Assert.Equal(JournalState.Sent, sent.State);
        Assert.Equal("om_1", sent.MessageId);
        Assert.Equal(at.AddSeconds(1), sent.CreateTime);
        Assert.Equal(JournalState.Refused, reread.Find("k2")!.State);
        Assert.Null(reread.Find("k3"));
        Assert.Null(reread.Find("k5"));
    }
}
