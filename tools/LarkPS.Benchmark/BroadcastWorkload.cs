using System.Diagnostics;
using System.Globalization;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>
/// Issue 23's workload (--only broadcast): one text to 10,000 users, side by side in one run on sandboxes that count
/// Lark's quotas on arrival, with the given round trip, jitter and handshake. Send-LarkBroadcast: the time until every
/// batch_send request is accepted (50 requests of 200). Send-LarkMessage: a smaller count is measured (one message a
/// user), printed as measured, then extrapolated to 10,000 beside the floor Lark's 1000-a-minute app limit sets.
/// </summary>
internal static class BroadcastWorkload
{
    public const int Receivers = 10_000;

    public static async Task<int> RunAsync(PowerShellHost powerShell, BenchmarkSettings settings, int messageCount)
    {
        var latencyMs = settings.LatenciesMs[0];
        var directory = SandboxDirectory.CreateWithManyUsers(Receivers);
        var ids = directory.Users.Where(u => u.Name.StartsWith("User ", StringComparison.Ordinal)).Select(u => u.OpenId).Take(Receivers).ToArray();
        var quotas = new SandboxOptions().Quotas;
        string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Broadcast: one text to {ids.Length:N0} users; sandbox counts quotas on arrival, round trip {latencyMs} ms, jitter {settings.JitterMs} ms, handshake {settings.HandshakeMs} ms."));

        // Untimed: JIT of the broadcast path and the sandbox's first requests.
        await using (var warm = await Start(directory, latencyMs, settings))
        {
            LarkPSContender.Connect(powerShell, warm, quotasOff: false);
            powerShell.Invoke("Send-LarkBroadcast -UserId $args[0] -Text 'warm up' | Out-Null", (object)ids.Take(400).ToArray());
        }

        // 1. Send-LarkBroadcast: 10,000 -UserId, one object out.
        double broadcastSeconds;
        await using (var sandbox = await Start(directory, latencyMs, settings))
        {
            LarkPSContender.Connect(powerShell, sandbox, quotasOff: false);
            var watch = Stopwatch.StartNew();
            var (output, errors) = powerShell.Invoke("Send-LarkBroadcast -UserId $args[0] -Text 'Security reminder'", (object)ids);
            watch.Stop();
            var sends = sandbox.Requests.Where(r => r.PathAndQuery.StartsWith("/open-apis/message/v4/batch_send", StringComparison.Ordinal)).ToList();
            var accepted = sends.Where(r => r.Code == 0).ToList();
            var batches = sandbox.BatchMessages;
            var reached = batches.SelectMany(b => b.ValidOpenIds).ToList();
            broadcastSeconds = watch.Elapsed.TotalSeconds;
            var broadcast = output.Count == 1 ? output[0] : null;
            Console.WriteLine();
            Console.WriteLine("Send-LarkBroadcast, 10,000 users:");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  time until every request was accepted (the cmdlet's start to its object out): {F(broadcastSeconds)} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  batch_send requests arrived: {sends.Count}, accepted (code 0): {accepted.Count}, refused: {sends.Count - accepted.Count}; first to last arrival {F(accepted.Count > 1 ? (accepted.Max(r => r.Time) - accepted.Min(r => r.Time)).TotalSeconds : 0)} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  users in accepted batches: {reached.Count}, distinct: {reached.Distinct(StringComparer.Ordinal).Count()}; the object: Requests {broadcast?.Properties["Requests"]?.Value}, Accepted {broadcast?.Properties["Accepted"]?.Value}, ReceiversAsked {broadcast?.Properties["ReceiversAsked"]?.Value}; {errors.Count} error(s)"));
            if (errors.Count > 0)
            {
                Console.WriteLine("  first error: " + LarkPSContender.Describe(errors[0]));
            }
        }

        // 2. Send-LarkMessage: messageCount users, one message each, with the module's default pacing.
        await using (var sandbox = await Start(directory, latencyMs, settings))
        {
            var receivers = ids.Take(messageCount).Select(id => new BenchReceiver("user", "open_id", id)).ToList();
            var outcome = LarkPSContender.Run(powerShell, sandbox, receivers);
            var floor = Workloads.LimitSeconds(ids.Select(id => new BenchReceiver("user", "open_id", id)).ToList(), quotas, latencyMs / 1000.0);
            var measuredFloor = Workloads.LimitSeconds(receivers, quotas, latencyMs / 1000.0);
            var extrapolated = outcome.Seconds * Receivers / messageCount;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Send-LarkMessage, {messageCount:N0} users (MEASURED):"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {F(outcome.Seconds)} s for {outcome.Delivered} delivered of {messageCount} ({outcome.ClientReport}); Lark's windows allow no less than {F(measuredFloor)} s for {messageCount:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Send-LarkMessage, 10,000 users (EXTRAPOLATED, not measured):"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  linear from the measurement: {F(extrapolated)} s; but Lark's app limit ({quotas.AppPerMinute}/min, {quotas.AppPerSecond}/s) sets a floor of {F(floor)} s for 10,000 (the issue's 600 s: ten minutes of 1,000)"));
            var expected = Math.Max(extrapolated, floor);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Broadcast {F(broadcastSeconds)} s vs Send-LarkMessage at least {F(expected)} s for 10,000: {F(expected / broadcastSeconds)} times faster (goal: broadcast <= 3 s, > 100 times faster)"));
            return outcome.Delivered == messageCount ? 0 : 1;
        }
    }

    private static async Task<SandboxServer> Start(SandboxDirectory directory, int latencyMs, BenchmarkSettings settings)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Directory = directory });
        sandbox.Faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
        sandbox.Faults.Jitter = TimeSpan.FromMilliseconds(settings.JitterMs);
        sandbox.Faults.HandshakeDelay = TimeSpan.FromMilliseconds(settings.HandshakeMs);
        return sandbox;
    }
}
