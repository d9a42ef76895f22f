using System.Diagnostics;
using System.Management.Automation;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>The process's memory at one point of the stream: managed heap after a full collection, and working set.</summary>
internal sealed record MemorySample(string Label, long Delivered, long ManagedBytes, long WorkingSetBytes);

/// <summary>What the memory pass saw.</summary>
internal sealed record MemoryPassResult(
    int Messages, long Results, IReadOnlyList<ErrorRecord> Errors, TimeSpan Elapsed, int InboxClears, IReadOnlyList<MemorySample> Samples);

/// <summary>
/// Streams many messages through one Send-LarkMessage (quotas off, no latency) and samples the process's memory at
/// 25/50/75/100 % of the stream, to show it stays flat. The sandbox keeps every message and request it sees, which
/// would grow the same heap, so the sampler clears it every <see cref="ClearEvery"/> deliveries.
/// </summary>
internal static class MemoryPass
{
    private const int ClearEvery = 1000;
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(10);

    public static async Task<MemoryPassResult> RunAsync(
        PowerShellHost ps, SandboxDirectory directory, IReadOnlyList<BenchReceiver> receivers, int count)
    {
        var options = new SandboxOptions { Directory = directory };
        options.Quotas.Enabled = false;
        await using var sandbox = await SandboxServer.StartAsync(options);
        LarkPSContender.Connect(ps, sandbox, quotasOff: true);

        var samples = new List<MemorySample> { Sample("start", 0) };
        var clears = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            // Counted across clears; a message stored between reading the count and the clear is missed, so positions
            // are approximate (to a message or two), which is all a sampling point needs.
            long cleared = 0;
            var quarter = 1;
            while (!done.IsCancellationRequested)
            {
                var sent = sandbox.Stats.Sent;
                var delivered = cleared + sent;
                while (quarter <= 3 && delivered >= (long)count * quarter / 4)
                {
                    lock (samples)
                    {
                        samples.Add(Sample($"{quarter * 25}%", delivered));
                    }

                    quarter++;
                }

                if (sent >= ClearEvery)
                {
                    sandbox.Reset();
                    cleared += sent;
                    clears++;
                }

                try
                {
                    await Task.Delay(SampleInterval, done.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var (results, errors, elapsed) = LarkPSContender.Stream(ps, receivers, count);
        await done.CancelAsync();
        await sampler;
        samples.Add(Sample("100%", results));
        return new MemoryPassResult(count, results, errors, elapsed, clears, samples);
    }

    private static MemorySample Sample(string label, long delivered)
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new MemorySample(label, delivered, managed, process.WorkingSet64);
    }
}
