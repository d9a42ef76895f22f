using System.Diagnostics;
using System.Globalization;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>
/// Issue 24's workload (--only shared): N real pwsh processes on one app at once (the sandbox counts the app's quota
/// across all of them, on arrival), each sending 300 messages to the same 20 receivers with Send-LarkMessage, for N =
/// 1, 3 and 5, with the machine-wide quota sharing (the default) and without it (-NoQuotaSharing). Prints per run:
/// delivered (each message once?), quota refusals, errors, the slowest process's time, and the shortest time Lark's
/// windows allow for all N x 300 messages (the goal: the slowest within that limit / 0.90).
/// </summary>
internal static class SharedQuotaWorkload
{
    private const string Script = """
        param([string]$Manifest, [string]$Url, [string]$AppId, [string]$Secret, [string]$Types, [string]$Ids, [int]$Count, [string]$Tag, [string]$NoSharing, [long]$StartAt)
        $ErrorActionPreference = 'Stop'
        Import-Module $Manifest
        $sharing = @{}; if ($NoSharing -eq 'true') { $sharing.NoQuotaSharing = $true }
        Connect-Lark -BaseUri $Url -AppId $AppId -AppSecret (ConvertTo-SecureString $Secret -AsPlainText -Force) @sharing | Out-Null
        $t = $Types -split ','; $r = $Ids -split ','
        $items = foreach ($i in 1..$Count) { $k = ($i - 1) % $r.Count; [pscustomobject]@{ receiveType = $t[$k]; receiveId = $r[$k]; content = '{"text":"' + $Tag + ' #' + $i + '"}' } }
        $late = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() - $StartAt
        while ([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() -lt $StartAt) { Start-Sleep -Milliseconds 2 }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $sent = @($items | Send-LarkMessage -ErrorAction SilentlyContinue -ErrorVariable failed)
        $clock.Stop()
        $ids = @($failed | ForEach-Object FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object -Unique) -join '+'
        'RESULT {0} {1} {2} {3} {4}' -f $sent.Count, $failed.Count, $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture), [Math]::Max(0, $late), $(if ($ids) { $ids } else { '-' })
        """;

    public static async Task<int> RunAsync(string root, string manifest, bool quick, int latencyMs, int jitterMs, int handshakeMs, string? runs = null, string? traceFolder = null)
    {
        var (directory, receivers) = BenchReceivers.Create(20);
        var perProcess = quick ? 100 : 300;
        var scriptPath = Path.Combine(Path.GetTempPath(), "larkps-bench-shared-" + Guid.NewGuid().ToString("N") + ".ps1");
        await File.WriteAllTextAsync(scriptPath, Script);
        var quotas = new SandboxOptions().Quotas;
        Console.WriteLine($"Shared quota: N pwsh processes on one app at once, {perProcess} messages each to the same {receivers.Count} receivers; the sandbox counts the app's quota across them on arrival (50/s, 1000/min, 5/s per receiver), {latencyMs} ms round trip (±{jitterMs / 2} ms), {handshakeMs} ms handshake.");
        Console.WriteLine();
        Console.WriteLine($"{"processes",9} {"sharing",-8} {"delivered",13} {"once",5} {"refused",8} {"errors",7} {"slowest s",10} {"limit s",8} {"limit/slowest",14} {"late start",11}");
        var failedRuns = 0;
        try
        {
            var chosen = runs?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var (n, sharing) in new[] { (1, true), (3, true), (3, false), (5, true), (5, false) })
            {
                if (chosen is not null && !chosen.Contains(n + (sharing ? "on" : "off"), StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var row = await RunOnceAsync(root, manifest, scriptPath, directory, receivers, quotas, n, sharing, perProcess, latencyMs, jitterMs, handshakeMs, traceFolder);
                Console.WriteLine(row.Line);
                failedRuns += row.Ok ? 0 : 1;
            }
        }
        finally
        {
            File.Delete(scriptPath);
        }

        Console.WriteLine();
        Console.WriteLine("once: every message delivered exactly once (distinct texts = N x messages, no second copy). refused: sends Lark answered 429/99991400 or 230020, across processes. limit: the shortest time Lark's windows allow for all N x messages plus one latency; the goal is limit/slowest >= 0.90, 0 refusals with sharing. late start: how long after the common start time the slowest process was ready.");
        return failedRuns == 0 ? 0 : 1;
    }

    private static async Task<(string Line, bool Ok)> RunOnceAsync(
        string root, string manifest, string scriptPath, SandboxDirectory directory, IReadOnlyList<BenchReceiver> receivers, SandboxQuotas quotas,
        int processes, bool sharing, int perProcess, int latencyMs, int jitterMs, int handshakeMs, string? traceFolder)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Directory = directory });
        sandbox.Faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
        sandbox.Faults.Jitter = TimeSpan.FromMilliseconds(jitterMs);
        sandbox.Faults.HandshakeDelay = TimeSpan.FromMilliseconds(handshakeMs);
        var url = sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');
        var types = string.Join(",", receivers.Select(r => r.ReceiveType));
        var ids = string.Join(",", receivers.Select(r => r.Id));

        // Started together: each process waits for a common moment after its start-up (pwsh and the module's import).
        var startAt = DateTimeOffset.UtcNow.AddSeconds(6 + (2 * processes)).ToUnixTimeMilliseconds();
        var runs = Enumerable.Range(1, processes).Select(p => RunProcessAsync(root, scriptPath, new[]
        {
            manifest, url, sandbox.Options.AppId, sandbox.Options.AppSecret, types, ids,
            perProcess.ToString(CultureInfo.InvariantCulture), $"p{p}", sharing ? "false" : "true", startAt.ToString(CultureInfo.InvariantCulture),
        })).ToList();
        var results = await Task.WhenAll(runs);

        var total = processes * perProcess;
        if (traceFolder is not null)
        {
            // Diagnosis: when each send reached the sandbox, what it answered, and which process's message it was.
            var sends = sandbox.Requests.Where(ContenderOutcome.IsSend).OrderBy(r => r.Time).ToList();
            var first = sends.Count > 0 ? sends[0].Time : DateTimeOffset.UtcNow;
            var file = Path.Combine(traceFolder, $"shared-{processes}-{(sharing ? "on" : "off")}.tsv");
            await File.WriteAllLinesAsync(file, sends.Select(r => string.Create(CultureInfo.InvariantCulture, $"{(r.Time - first).TotalMilliseconds:F1}\t{r.StatusCode}\t{r.Code}\t{TraceTag(r.Body)}")));
        }

        var texts = sandbox.Inbox.Select(m => m.Content).ToList();
        var once = texts.Count == total && texts.Distinct(StringComparer.Ordinal).Count() == total;
        var refused = sandbox.Requests.Count(r => ContenderOutcome.IsSend(r) && r.Code is 99991400 or 230020);
        var errors = results.Sum(r => r.Errors);
        var slowest = results.Max(r => r.Seconds);
        var all = Enumerable.Range(0, total).Select(i => receivers[i % perProcess % receivers.Count]).ToList();
        var limit = Workloads.LimitSeconds(all, quotas, latencyMs / 1000.0);
        var late = results.Max(r => r.LateMs);
        var problems = results.Where(r => r.Problem is not null).Select(r => r.Problem).ToList();
        string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        var line = $"{processes,9} {(sharing ? "on" : "off"),-8} {texts.Count + " of " + total,13} {(once ? "yes" : "NO"),5} {refused,8} {errors,7} {F(slowest, "0.00"),10} {F(limit, "0.00"),8} {F(limit / slowest, "0.000"),14} {late + " ms",11}"
            + (results.Any(r => r.ErrorIds != "-") ? "  error ids: " + string.Join(" ", results.Select(r => r.ErrorIds).Distinct()) : string.Empty)
            + (problems.Count > 0 ? "  could not run: " + problems[0] : string.Empty);
        return (line, problems.Count == 0);
    }

    // The process tag and number of a send's text ("p2 #17"), for the trace.
    private static string TraceTag(string body)
    {
        var at = body.IndexOf("\\\"text\\\":\\\"p", StringComparison.Ordinal);
        if (at < 0)
        {
            return string.Empty;
        }

        var start = at + 11;
        var end = body.IndexOf('\\', start);
        return end > start ? body[start..end] : string.Empty;
    }

    private static async Task<(int Sent, int Errors, double Seconds, long LateMs, string ErrorIds, string? Problem)> RunProcessAsync(string root, string scriptPath, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", scriptPath }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet pwsh did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = (await output).Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (line is null)
        {
            var why = (await error).Trim();
            return (0, 0, 0, 0, "-", "exit " + process.ExitCode + ": " + (why.Length > 300 ? why[..300] : why));
        }

        var parts = line.Split(' ');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture),
            double.Parse(parts[3], CultureInfo.InvariantCulture), long.Parse(parts[4], CultureInfo.InvariantCulture), parts[5], null);
    }
}
