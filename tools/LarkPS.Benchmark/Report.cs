using System.Globalization;
using System.Text;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>One run: a workload at a latency by one contender, beside the limit for that workload.</summary>
internal sealed record Row(Workload Workload, int LatencyMs, double LimitSeconds, string Contender, ContenderOutcome? Outcome, string? Problem)
{
    /// <summary>The limit's time over the run's time: the run's rate as a share of the fastest rate Lark's windows allow.</summary>
    public double ShareOfLimit => Outcome is { Seconds: > 0 } o ? LimitSeconds / o.Seconds * o.Delivered / o.Messages : 0;
}

/// <summary>Prints the benchmark's figures: the side-by-side table, what each client said, and the memory pass.</summary>
internal static class Report
{
    private static readonly CompositeFormat RowFormat = CompositeFormat.Parse("{0,-30} {1,5} {2,-24} {3,8} {4,8} {5,9} {6,9} {7,5} {8,5} {9,13} {10,9}");
    private static readonly CompositeFormat MemoryRowFormat = CompositeFormat.Parse("{0,-8} {1,12} {2,16} {3,14}");

    public static void Header(BenchmarkSettings settings, SandboxQuotas quotas)
    {
        Console.WriteLine(Invariant(
            $"LarkPS benchmark{(settings.Quick ? " (quick)" : string.Empty)}: sandbox counting Lark's quotas on arrival ({quotas.AppPerSecond}/s and {quotas.AppPerMinute}/min per app, {quotas.ReceiverPerSecond}/s per receiver), latency {string.Join("/", settings.LatenciesMs)} ms, jitter {settings.JitterMs} ms, handshake {settings.HandshakeMs} ms per new connection"));
    }

    public static void Table(IReadOnlyList<Row> rows)
    {
        Console.WriteLine(Line("workload", "ms", "contender", "seconds", "limit s", "of limit", "delivered", "lost", "dup", "429/230020", "per 1000"));
        foreach (var row in rows)
        {
            if (row.Outcome is not { } outcome)
            {
                Console.WriteLine($"{row.Workload.Name,-30} {row.LatencyMs,5} {row.Contender,-24} could not run: {row.Problem}");
                continue;
            }

            var refusals = outcome.Refused429 + outcome.Refused230020;
            Console.WriteLine(Line(
                row.Workload.Name,
                Invariant($"{row.LatencyMs}"),
                row.Contender.Length > 24 ? row.Contender[..24] : row.Contender,
                Invariant($"{outcome.Seconds:0.00}"),
                Invariant($"{row.LimitSeconds:0.00}"),
                Invariant($"{row.ShareOfLimit:0.0%}"),
                Invariant($"{outcome.Delivered}"),
                Invariant($"{outcome.Lost}"),
                Invariant($"{outcome.Duplicated}"),
                Invariant($"{outcome.Refused429}/{outcome.Refused230020}"),
                Invariant($"{1000.0 * refusals / outcome.Messages:0.0}")));
        }
    }

    public static void Notes(IReadOnlyList<Row> rows, BenchmarkSettings settings)
    {
        Console.WriteLine();
        Console.WriteLine("seconds = from the first send to the last answer; limit = the shortest time Lark's sliding windows allow for that input,");
        Console.WriteLine("plus one latency; of limit = limit / seconds (LarkPS's rate as a share of the limit's rate; the target is at least 95%);");
        Console.WriteLine(Invariant($"delivered/lost/dup from the sandbox inbox; 429/230020 = requests the sandbox refused by quota; per 1000 = refusals per 1000 messages (target at most 1)."));
        Console.WriteLine(Invariant($"The limit leaves out the {settings.HandshakeMs} ms handshake every client pays for its first connections; for phone numbers"));
        Console.WriteLine("it adds one latency: a number is looked up (batch_get_id) before its first send can leave.");
        var lark = rows.Where(r => r.Contender == LarkPSContender.Name && r.Outcome is not null).ToList();
        if (lark.Count > 0)
        {
            var worst = lark.Min(r => r.ShareOfLimit);
            var refusals = lark.Sum(r => r.Outcome!.Refused429 + r.Outcome.Refused230020);
            var messages = lark.Sum(r => r.Outcome!.Messages);
            var lost = lark.Sum(r => r.Outcome!.Lost + r.Outcome.Duplicated);
            Console.WriteLine(Invariant(
                $"LarkPS: lowest share of the limit {worst:0.0%} ({(worst >= 0.95 ? "meets" : "MISSES")} 95%); {refusals} quota refusals in {messages} messages ({1000.0 * refusals / messages:0.00} per 1000); {lost} lost or doubled."));
        }

        foreach (var row in rows.Where(r => r.Outcome is not null))
        {
            var outcome = row.Outcome!;
            var order = outcome.Reordered == 0 ? "in order at every receiver" : Invariant($"{outcome.Reordered} reached their receiver after a later one");
            Console.WriteLine($"  {row.Workload.Name} at {row.LatencyMs} ms, {row.Contender}: {outcome.ClientReport}; {order}.");
        }
    }

    public static void Memory(MemoryPassResult result)
    {
        Console.WriteLine();
        Console.WriteLine(Invariant(
            $"LarkPS memory: {result.Messages} messages streamed through one Send-LarkMessage (quotas off, no latency) in {result.Elapsed.TotalSeconds:0.0} s ({result.Results / result.Elapsed.TotalSeconds:0} msg/s): {result.Results} results, {result.Errors.Count} errors."));
        if (result.Errors.Count > 0)
        {
            Console.WriteLine("  first error: " + LarkPSContender.Describe(result.Errors[0]));
        }

        Console.WriteLine(Invariant(
            $"Whole process (PowerShell engine, module, and the in-process sandbox, whose inbox and request log were cleared {result.InboxClears} times on the way):"));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, MemoryRowFormat, "stream", "delivered", "managed heap", "working set"));
        foreach (var sample in result.Samples)
        {
            Console.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                MemoryRowFormat,
                sample.Label,
                sample.Label is "start" or "100%" ? sample.Delivered.ToString(CultureInfo.InvariantCulture) : "≈" + sample.Delivered.ToString(CultureInfo.InvariantCulture),
                Invariant($"{sample.ManagedBytes / 1048576.0:0.0} MB"),
                Invariant($"{sample.WorkingSetBytes / 1048576.0:0.0} MB")));
        }
    }

    private static string Line(params object[] cells) => string.Format(CultureInfo.InvariantCulture, RowFormat, cells);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
