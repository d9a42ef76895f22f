// The LarkPS benchmark (issue 8): for each workload and latency, LarkPS's Send-LarkMessage and the official Lark Node SDK
// send the same messages to a fresh Lark-compatible sandbox that counts Lark's quotas on ARRIVAL (half the round trip
// after sending, with jitter, and a handshake on every new connection), and the figures print beside the shortest time
// Lark's windows allow. A measurement, not a test: it exits 0 whatever the figures, 1 only when a contender could not run.
//
//   dotnet run --project tools/LarkPS.Benchmark -c Release [-- --quick] [--latencies 20,100,300] [--jitter-ms 20] [--handshake-ms 50]
//   (--help lists the rest: --only a workload, --trace a folder for each send's arrival time)
//   --only events: the long connection's receiving; --only shared: 1, 3 and 5 pwsh processes on one app; --only history: reading 100,000 messages back (quick: 20,000)
//   --only broadcast: 10,000 users by Send-LarkBroadcast vs Send-LarkMessage (issue 23)
using LarkPS.Benchmark;
using LarkPS.Sandbox;

var settings = BenchmarkSettings.Parse(args, Console.Error);
if (settings is null)
{
    return 2;
}

var root = FindRepoRoot();
var manifest = Path.Combine(root, "out", "LarkPS", "LarkPS.psd1");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"The module is not built: {manifest} is missing. Run: dotnet build LarkPS.sln");
    return 1;
}

var (directory, workloads) = Workloads.Create(settings.Quick);
var quotas = new SandboxOptions().Quotas;
Report.Header(settings, quotas);
Console.WriteLine($"(PowerShell {PowerShellHost.EngineVersion} hosted in this process, on {Environment.ProcessorCount} cores; every run gets a fresh sandbox on 127.0.0.1, so each starts with empty quota windows and cold connections)");
Console.WriteLine();

PowerShellHost powerShell;
try
{
    powerShell = new PowerShellHost(manifest);
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine($"LarkPS could not run: {ex.Message}. Rebuild the module: dotnet build LarkPS.sln");
    return 1;
}

using var disposePowerShell = powerShell;

// Issue 21: the long connection's workload runs alone (it measures receiving, not sending).
if (string.Equals(settings.Only, "events", StringComparison.OrdinalIgnoreCase))
{
    return await EventsWorkload.RunAsync(powerShell, 1000);
}

// Issue 24: several real pwsh processes on one app, with and without the machine-wide quota sharing.
if (string.Equals(settings.Only, "shared", StringComparison.OrdinalIgnoreCase))
{
    return await SharedQuotaWorkload.RunAsync(root, manifest, settings.Quick, settings.LatenciesMs.Contains(100) ? 100 : settings.LatenciesMs[0], settings.JitterMs, settings.HandshakeMs, settings.Runs, settings.TraceFolder);
}

// Issue 25: reading back runs alone too (it measures reading, not sending), at the first latency given.
if (string.Equals(settings.Only, "history", StringComparison.OrdinalIgnoreCase))
{
    return await HistoryWorkload.RunAsync(powerShell, settings.Quick ? 20_000 : 100_000, settings.LatenciesMs[0], settings.JitterMs, settings.HandshakeMs);
}

// Issue 23: 10,000 users by Send-LarkBroadcast vs Send-LarkMessage (1,000 measured, extrapolated to 10,000).
if (string.Equals(settings.Only, "broadcast", StringComparison.OrdinalIgnoreCase))
{
    return await BroadcastWorkload.RunAsync(powerShell, settings, settings.Quick ? 300 : 1000);
}

var (memoryDirectory, memoryReceivers) = BenchReceivers.Create(20);
await SandboxWarmUp.RunAsync(memoryDirectory, memoryReceivers);

// LarkPS's own code paths once before anything is timed, as the sandbox's above: its first run in a process otherwise
// pays about 70 ms of JIT compilation (measured: the first send left 75 ms after the start, 6 ms in later runs), a
// cost of starting pwsh, not of pacing. 100 messages to 20 receivers, then 100 to phone numbers (their look-up has
// code paths of its own), with Lark's quotas on, untimed.
await using (var warmSandbox = await SandboxServer.StartAsync(new SandboxOptions { Directory = memoryDirectory }))
{
    LarkPSContender.Run(powerShell, warmSandbox, memoryReceivers, 100);
}

await using (var warmSandbox = await SandboxServer.StartAsync(new SandboxOptions { Directory = directory }))
{
    var phoneWorkload = workloads.First(w => Workloads.NeedsLookUp(w.Messages));
    LarkPSContender.Run(powerShell, warmSandbox, phoneWorkload.Messages.Take(100).ToList(), 100);
    await Task.Delay(TimeSpan.FromSeconds(1));
}

NodeContender? node = null;
string? nodeProblem = "--no-node";
if (settings.Node)
{
    (node, nodeProblem) = await NodeContender.PrepareAsync(root);
}

var nodeName = $"Node SDK, {settings.Parallel} in parallel";
var rows = new List<Row>();
foreach (var latencyMs in settings.LatenciesMs)
{
    foreach (var workload in workloads)
    {
        if (settings.Only is { } only && !workload.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
        {
            continue;
        }

        // Quick: the minute-window workload runs at one latency only; it alone takes over a minute.
        if (settings.Quick && !workload.WithNode && latencyMs != 100 && settings.LatenciesMs.Contains(100))
        {
            continue;
        }

        var limit = Workloads.LimitSeconds(workload.Messages, quotas, latencyMs / 1000.0)
            + (Workloads.NeedsLookUp(workload.Messages) ? latencyMs / 1000.0 : 0);
        rows.Add(await RunAsync(workload, latencyMs, limit, LarkPSContender.Name, sandbox => Task.FromResult(LarkPSContender.Run(powerShell, sandbox, workload.Messages))));
        if (workload.WithNode)
        {
            rows.Add(node is null
                ? new Row(workload, latencyMs, limit, nodeName, null, nodeProblem)
                : await RunAsync(workload, latencyMs, limit, nodeName, sandbox => node.RunAsync(nodeName, sandbox, workload.Messages, workload.Count, settings.Parallel)));
        }
    }
}

Console.WriteLine();
Report.Header(settings, quotas);
Report.Table(rows);
Report.Notes(rows, settings);

if (settings.Stream > 0)
{
    Console.WriteLine();
    Console.WriteLine($"running: LarkPS memory pass, {settings.Stream} messages …");
    Report.Memory(await MemoryPass.RunAsync(powerShell, memoryDirectory, memoryReceivers, settings.Stream));
}

var failed = rows.Where(r => r.Outcome is null && r.Problem != "--no-node").ToList();
if (failed.Count > 0)
{
    Console.Error.WriteLine();
    foreach (var row in failed)
    {
        Console.Error.WriteLine($"{row.Contender} ({row.Workload.Name}, {row.LatencyMs} ms) could not run: {row.Problem}");
    }

    return 1;
}

return 0;

// Each run against its own sandbox: Lark's 1000/min window would otherwise still hold the previous run's sends.
async Task<Row> RunAsync(Workload workload, int latencyMs, double limit, string name, Func<SandboxServer, Task<ContenderOutcome>> contender)
{
    Console.WriteLine($"running: {workload.Name} at {latencyMs} ms, {name} …");
    await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Directory = directory });
    sandbox.Faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
    sandbox.Faults.Jitter = TimeSpan.FromMilliseconds(settings.JitterMs);
    sandbox.Faults.HandshakeDelay = TimeSpan.FromMilliseconds(settings.HandshakeMs);
    try
    {
        var outcome = await contender(sandbox);
        if (settings.TraceFolder is { } traceDir)
        {
            // Diagnosis: when each send reached the sandbox (before its inbound latency) and what it answered.
            var sends = sandbox.Requests.Where(ContenderOutcome.IsSend).OrderBy(r => r.Time).ToList();
            var file = Path.Combine(traceDir, $"{name.Split(' ')[0]}-{latencyMs}ms-{new string(workload.Name.Where(char.IsLetterOrDigit).ToArray())}.tsv");
            var first = sends.Count > 0 ? sends[0].Time : DateTimeOffset.UtcNow;
            await File.WriteAllLinesAsync(file, sends.Select(r => $"{(r.Time - first).TotalMilliseconds:F1}\t{r.StatusCode}\t{r.Code}\t{TraceReceiver(r.Body)}"));
        }

        return new Row(workload, latencyMs, limit, name, outcome, null);
    }
    catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
    {
        return new Row(workload, latencyMs, limit, name, null, ex.Message);
    }
}

// The receive_id of a send's body, for the trace; empty when the body is not a send's.
static string TraceReceiver(string body)
{
    try
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("receive_id", out var id) ? id.GetString() ?? string.Empty : string.Empty;
    }
    catch (System.Text.Json.JsonException)
    {
        return string.Empty;
    }
}

static string FindRepoRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LarkPS.sln")))
            {
                return dir.FullName;
            }
        }
    }

    throw new InvalidOperationException("Run this from the LarkPS repository (no LarkPS.sln found above the current folder).");
}
