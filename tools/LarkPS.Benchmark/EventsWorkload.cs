using System.Globalization;
using System.Net.Http.Json;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>
/// Issue 21's workload (--only events): the sandbox pushes N message events over the long connection as fast as it
/// can; Receive-LarkEvent (in the hosted PowerShell) takes them. Prints events per second received and acknowledged,
/// and the time from the sandbox sending an event to the object leaving the cmdlet (median, 99th percentile), both
/// read on one clock (the sandbox runs in this process).
/// </summary>
internal static class EventsWorkload
{
    public static async Task<int> RunAsync(PowerShellHost powerShell, int count)
    {
        Console.WriteLine($"Events: {count} message events pushed by the sandbox over the long connection, taken by Receive-LarkEvent.");
        await RunOnceAsync(powerShell, 100, print: false);    // untimed: JIT and the first connection
        return await RunOnceAsync(powerShell, count, print: true);
    }

    private static async Task<int> RunOnceAsync(PowerShellHost powerShell, int count, bool print)
    {
        var options = new SandboxOptions();
        options.Quotas.Enabled = false;
        options.Events.ReconnectNonce = 0;
        options.Events.ReconnectInterval = 1;
        options.Events.RetryDelays = [TimeSpan.FromSeconds(1)];
        await using var sandbox = await SandboxServer.StartAsync(options);
        powerShell.Invoke($"Connect-Lark -BaseUri '{sandbox.BaseAddress.AbsoluteUri.TrimEnd('/')}' -AppId '{options.AppId}' -AppSecret (ConvertTo-SecureString '{options.AppSecret}' -AsPlainText -Force) | Out-Null");

        // Each object's exit time is taken by the command right after Receive-LarkEvent, on the pipeline thread.
        var receiving = Task.Run(() => powerShell.Invoke(
            "Receive-LarkEvent -Count $args[0] -Timeout 600 | ForEach-Object { [pscustomobject]@{ EventId = $_.EventId; Out = [DateTimeOffset]::UtcNow } }", count));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (sandbox.Events.OpenConnections == 0)
        {
            if (receiving.IsCompleted || DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine("Receive-LarkEvent did not connect: " + string.Join("; ", (await receiving).Errors));
                return 1;
            }

            await Task.Delay(20);
        }

        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        using var posted = await http.PostAsJsonAsync("_sandbox/events/message", new { sender_id = SandboxSeed.AliceOpenId, chat_id = SandboxSeed.OpsChatId, text = "event", count });
        posted.EnsureSuccessStatusCode();
        var (output, errors) = await receiving;
        if (!print)
        {
            return 0;
        }

        var sent = sandbox.Events.Deliveries.ToDictionary(d => d.EventId, d => d.Attempts[0]);
        var outs = output.Select(o => (Id: (string)o.Properties["EventId"].Value, Out: (DateTimeOffset)o.Properties["Out"].Value)).ToList();
        var firstSent = sent.Values.Min(a => a.SentAt);
        var lastAck = sent.Values.Max(a => a.AckedAt ?? DateTimeOffset.MaxValue);
        var lastOut = outs.Max(o => o.Out);
        var latencies = outs.Where(o => sent.ContainsKey(o.Id)).Select(o => (o.Out - sent[o.Id].SentAt).TotalMilliseconds).Order().ToList();
        var acks = sent.Values.Where(a => a.AckedAt is not null).Select(a => (a.AckedAt!.Value - a.SentAt).TotalMilliseconds).Order().ToList();
        var redelivered = sandbox.Events.Deliveries.Count(d => d.Attempts.Count > 1);
        var late = sandbox.Events.Deliveries.Count(d => d.Attempts.Any(a => a.Outcome is "late" or "no-ack"));

        string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine($"received (out of the cmdlet): {outs.Count} of {count}, {errors.Count} error(s), {outs.Select(o => o.Id).Distinct().Count()} distinct");
        Console.WriteLine($"acknowledged:                 {acks.Count} of {count}; late or missing: {late}; redelivered: {redelivered}");
        Console.WriteLine($"events/s received and acked:  {F(count / (lastAck - firstSent).TotalSeconds)} (first push to last acknowledgement, {F((lastAck - firstSent).TotalMilliseconds)} ms)");
        Console.WriteLine($"events/s out of the cmdlet:   {F(count / (lastOut - firstSent).TotalSeconds)} (first push to last object out, {F((lastOut - firstSent).TotalMilliseconds)} ms)");
        Console.WriteLine($"push -> object out, ms:       median {F(Percentile(latencies, 0.5))}, p99 {F(Percentile(latencies, 0.99))}, max {F(latencies[^1])}");
        Console.WriteLine($"push -> acknowledgement, ms:  median {F(Percentile(acks, 0.5))}, p99 {F(Percentile(acks, 0.99))}, max {F(acks[^1])}");
        return outs.Count == count && errors.Count == 0 ? 0 : 1;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
