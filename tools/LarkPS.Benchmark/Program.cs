// The LarkPS benchmark (issue 5): LarkPS's Send-LarkMessage and the official Lark Node SDK send the same messages to a
// fresh Lark-compatible sandbox each, with Lark's quotas on and a fixed latency, and the figures print side by side.
// A measurement, not a test: it exits 0 whatever the figures, and 1 only when a contender could not run at all.
//
//   dotnet run --project tools/LarkPS.Benchmark -c Release [-- --messages 300 --receivers 20 --latency-ms 100 --parallel 20 --stream 20000]
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

var (directory, receivers) = BenchReceivers.Create(settings.Receivers);
var quotas = new SandboxOptions().Quotas;
Report.Header(settings, quotas, receivers);
Console.WriteLine($"(PowerShell {PowerShellHost.EngineVersion} hosted in this process; every contender gets a fresh sandbox on 127.0.0.1, so each starts with empty quota windows; the sandbox's code is warmed up first)");
Console.WriteLine();

var rows = new List<(string Name, ContenderOutcome? Outcome, string? Problem)>();
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
await SandboxWarmUp.RunAsync(directory, receivers);

// Each contender against its own sandbox: Lark's 1000/min window would otherwise still hold the previous run's sends.
async Task<SandboxServer> FreshSandboxAsync()
{
    var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Directory = directory });
    sandbox.Faults.Latency = TimeSpan.FromMilliseconds(settings.LatencyMs);
    return sandbox;
}

async Task RunAsync(string name, Func<SandboxServer, Task<ContenderOutcome>> contender)
{
    Console.WriteLine($"running: {name} …");
    await using var sandbox = await FreshSandboxAsync();
    try
    {
        rows.Add((name, await contender(sandbox), null));
    }
    catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
    {
        rows.Add((name, null, ex.Message));
    }
}

await RunAsync(LarkPSContender.Name, sandbox => Task.FromResult(LarkPSContender.Run(powerShell, sandbox, receivers, settings.Messages)));

const string NodeOneByOne = "Node SDK, one by one";
var nodeInParallel = $"Node SDK, {settings.Parallel} in parallel";
var (node, nodeProblem) = await NodeContender.PrepareAsync(root);
if (node is null)
{
    rows.Add((NodeOneByOne, null, nodeProblem));
    rows.Add((nodeInParallel, null, nodeProblem));
}
else
{
    await RunAsync(NodeOneByOne, sandbox => node.RunAsync(NodeOneByOne, sandbox, receivers, settings.Messages, parallelism: 1));
    await RunAsync(nodeInParallel, sandbox => node.RunAsync(nodeInParallel, sandbox, receivers, settings.Messages, settings.Parallel));
}

Console.WriteLine();
Report.Header(settings, quotas, receivers);
Report.Table(rows, quotas);
Report.Notes(rows, settings, quotas);

if (settings.Stream > 0)
{
    Console.WriteLine();
    Console.WriteLine($"running: LarkPS memory pass, {settings.Stream} messages …");
    Report.Memory(await MemoryPass.RunAsync(powerShell, directory, receivers, settings.Stream));
}

var failed = rows.Where(r => r.Outcome is null).ToList();
if (failed.Count > 0)
{
    Console.Error.WriteLine();
    foreach (var (name, _, problem) in failed)
    {
        Console.Error.WriteLine($"{name} could not run: {problem}");
    }

    return 1;
}

return 0;

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
