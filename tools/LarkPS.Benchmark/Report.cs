using System.Globalization;
using System.Text;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>Prints the benchmark's figures: the side-by-side table, what each client said, and the memory pass.</summary>
internal static class Report
{
    private static readonly CompositeFormat RowFormat = CompositeFormat.Parse("{0,-25} {1,6} {2,7} {3,10} {4,5} {5,11} {6,20} {7,8}");
    private static readonly CompositeFormat MemoryRowFormat = CompositeFormat.Parse("{0,-8} {1,12} {2,16} {3,14}");

    public static void Header(BenchmarkSettings settings, SandboxQuotas quotas, IReadOnlyList<BenchReceiver> receivers)
    {
        var users = receivers.Count(r => r.ReceiveType == "user");
        Console.WriteLine(Invariant(
            $"LarkPS benchmark: {settings.Messages} messages to {receivers.Count} receivers ({users} users, {receivers.Count - users} chats), {settings.LatencyMs} ms latency, quota {quotas.AppPerSecond}/s · {quotas.AppPerMinute}/min per app, {quotas.ReceiverPerSecond}/s per receiver"));
    }

    public static void Table(IReadOnlyList<(string Name, ContenderOutcome? Outcome, string? Problem)> rows, SandboxQuotas quotas)
    {
        Console.WriteLine(Row("contender", "msg/s", "quota%", "delivered", "lost", "duplicated", "refused(429/230020)", "seconds"));
        foreach (var (name, outcome, problem) in rows)
        {
            if (outcome is null)
            {
                Console.WriteLine($"{name,-25} could not run: {problem}");
                continue;
            }

            Console.WriteLine(Row(
                name,
                Invariant($"{outcome.MessagesPerSecond:0.0}"),
                Invariant($"{outcome.MessagesPerSecond / quotas.AppPerSecond:0%}"),
                Invariant($"{outcome.Delivered}"),
                Invariant($"{outcome.Lost}"),
                Invariant($"{outcome.Duplicated}"),
                Invariant($"{outcome.Refused429}/{outcome.Refused230020}"),
                Invariant($"{outcome.Seconds:0.0}")));
        }
    }

    public static void Notes(IReadOnlyList<(string Name, ContenderOutcome? Outcome, string? Problem)> rows, BenchmarkSettings settings, SandboxQuotas quotas)
    {
        var best = FastestPossible(settings, quotas);
        Console.WriteLine();
        Console.WriteLine(Invariant(
            $"msg/s = messages delivered (distinct 'bench #n' in the sandbox inbox) / seconds from the first send to the last answer; quota% = msg/s / {quotas.AppPerSecond}."));
        Console.WriteLine(Invariant(
            $"The fastest any client could go under these quotas: {settings.Messages} messages in {best:0.0} s ({settings.Messages / best:0.0} msg/s): Lark's 1 s window is sliding, so the first {quotas.AppPerSecond} may go at once and a short run can read above 100%."));
        foreach (var (name, outcome, _) in rows)
        {
            if (outcome is null)
            {
                continue;
            }

            var refusals = outcome.Refused429 + outcome.Refused230020;
            var fate = refusals == 0
                ? "no request refused by quota"
                : Invariant($"{refusals} requests refused by quota, for {outcome.RefusedMessages} messages: {outcome.RefusedThenDelivered} of those delivered on a retry, {outcome.RefusedMessages - outcome.RefusedThenDelivered} lost");
            var order = outcome.Reordered == 0
                ? "every receiver got its messages in order"
                : Invariant($"{outcome.Reordered} messages reached their receiver after a later one to the same receiver");
            Console.WriteLine($"  {name}: {outcome.ClientReport}; {fate}; {order}.");
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

    /// <summary>
    /// Seconds from the first send to the last answer for a client that sends each message the moment the quotas allow
    /// (round robin over the receivers) and waits one latency for the last answer.
    /// </summary>
    private static double FastestPossible(BenchmarkSettings settings, SandboxQuotas quotas)
    {
        var last = settings.Messages - 1;
        var receivers = Math.Min(settings.Receivers, settings.Messages);
        var perSecond = Math.Min(quotas.AppPerSecond, quotas.ReceiverPerSecond * receivers);
        var lastSecond = (last / quotas.AppPerMinute * 60) + (last % quotas.AppPerMinute / perSecond);
        return lastSecond + (settings.LatencyMs / 1000.0);
    }

    private static string Row(params object[] cells) => string.Format(CultureInfo.InvariantCulture, RowFormat, cells);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
