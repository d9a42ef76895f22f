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

    // The keys of journals written by earlier versions must match on a rerun: salted SHA-256, its first 16 bytes in hex
    // (the expected values were computed outside .NET: sha256(salt + text)[:16]).
    [Fact]
    public void Keys_are_the_salted_hash_of_an_existing_journal_as_before_and_its_header_is_kept()
    {
        const string header = "{\"format\":\"LarkPS delivery journal\",\"version\":1,\"salt\":\"AAECAwQFBgcICQoLDA0ODw==\"}";
        File.WriteAllText(_path, header + "\n");
        using (var journal = DeliveryJournal.Open(_path))
        {
            Assert.Equal("cfe699ae9013bb66967e52d40412802a#1", journal.NextKey("chat_id", "oc_1", "text", Encoding.UTF8.GetBytes("{\"text\":\"hi\"}")));
            Assert.Equal("cfe699ae9013bb66967e52d40412802a#2", journal.NextKey("chat_id", "oc_1", "text", Encoding.UTF8.GetBytes("{\"text\":\"hi\"}")));
            journal.Submitted("k1", 1, "u1", DateTimeOffset.UtcNow, newWindow: true);
        }

        var lines = File.ReadAllLines(_path);
        Assert.Equal(header, lines[0]);
        Assert.Equal(2, lines.Length);

        var broadcast = Path.ChangeExtension(_path, ".broadcast.jsonl");
        try
        {
            File.WriteAllText(broadcast, "{\"format\":\"LarkPS broadcast journal\",\"version\":1,\"salt\":\"AAECAwQFBgcICQoLDA0ODw==\"}\n");
            using var journal = BroadcastJournal.Open(broadcast);
            Assert.Equal("36939650a0c5d410bd4fb34c5ee442c4", journal.KeyOf("fp", "open_id", "ou_1"));
            var wrong = Assert.Throws<InvalidDataException>(() => BroadcastJournal.Open(_path));
            Assert.Contains("is not a LarkPS broadcast journal", wrong.Message);
        }
        finally
        {
            File.Delete(broadcast);
        }
    }
}
