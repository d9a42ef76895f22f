using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>
/// The official Lark Node SDK (tests/conformance pins @larksuiteoapi/node-sdk) sending the same messages, one by one or
/// from a pool of concurrent workers, through tools/benchmark-node/send-bench.mjs.
/// </summary>
internal sealed class NodeContender(string repoRoot, string node)
{
    public const string InstallScript = "tools/install-test-deps.sh";

    private string Script => Path.Combine(repoRoot, "tools", "benchmark-node", "send-bench.mjs");

    private static string ConformanceDirectory(string repoRoot) => Path.Combine(repoRoot, "tests", "conformance");

    /// <summary>
    /// Finds node and makes sure the SDK is installed (npm ci in tests/conformance when node_modules lacks it, as the
    /// conformance tests do). Null and a reason when the Node contenders cannot run.
    /// </summary>
    public static async Task<(NodeContender? Contender, string? Problem)> PrepareAsync(string repoRoot)
    {
        var node = ProgramFiles.FindOnPath("node");
        if (node is null)
        {
            return (null, $"node (Node.js 18 or later) is not on PATH; run {InstallScript} to install it and the Lark Node SDK");
        }

        var directory = ConformanceDirectory(repoRoot);
        var sdkManifest = Path.Combine(directory, "node_modules", "@larksuiteoapi", "node-sdk", "package.json");
        if (!File.Exists(sdkManifest))
        {
            var npm = ProgramFiles.FindOnPath("npm");
            if (npm is null)
            {
                return (null, $"the Lark Node SDK is not installed in {directory}/node_modules and npm is not on PATH; run {InstallScript}");
            }

            Console.WriteLine($"Installing the Lark Node SDK: npm ci in {directory}");
            var install = await ProgramFiles.RunAsync(npm, ["ci", "--prefer-offline", "--no-audit", "--no-fund"], directory, TimeSpan.FromMinutes(5));
            if (install.ExitCode != 0 || !File.Exists(sdkManifest))
            {
                return (null, $"'npm ci' in {directory} failed (exit {install.ExitCode}); run {InstallScript}. {install.Stderr.Trim()}");
            }
        }

        return (new NodeContender(repoRoot, node), null);
    }

    /// <summary>Runs one contender against <paramref name="sandbox"/>; throws with the script's words when it cannot run.</summary>
    public async Task<ContenderOutcome> RunAsync(
        string name, SandboxServer sandbox, IReadOnlyList<BenchReceiver> receivers, int count, int parallelism)
    {
        var receiversFile = Path.Combine(Path.GetTempPath(), $"larkps-bench-receivers-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(receiversFile, JsonSerializer.Serialize(receivers.Select(r => new { receiveIdType = r.LarkIdType, receiveId = r.Id })));
        try
        {
            var mode = parallelism > 1 ? "parallel" : "sequential";
            var url = sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');
            // Generous: one by one at the sandbox's latency and jitter, three times over, and never under two minutes.
            var timeout = TimeSpan.FromSeconds(Math.Max(120, count * Math.Max((sandbox.Faults.Latency + sandbox.Faults.Jitter + sandbox.Faults.HandshakeDelay).TotalSeconds, 0.01) * 3));
            var run = await ProgramFiles.RunAsync(
                node,
                [Script, url, mode, count.ToString(CultureInfo.InvariantCulture), receiversFile, parallelism.ToString(CultureInfo.InvariantCulture)],
                repoRoot,
                timeout);
            var line = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (run.ExitCode != 0 || line is null || !line.StartsWith('{'))
            {
                throw new InvalidOperationException($"node {Path.GetFileName(Script)} failed (exit {run.ExitCode}): {run.Stderr.Trim()} {run.Stdout.Trim()}");
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            int Count(string property) => root.GetProperty(property).GetInt32();
            var report = string.Create(
                CultureInfo.InvariantCulture,
                $"SDK {root.GetProperty("sdk_version").GetString()}: {Count("sent_ok")} ok, {Count("failed")} failed ({Count("refused_429")} × 429, {Count("refused_230020")} × 230020, {Count("other_errors")} other), none retried, {Count("lookups")} phone look-up calls");
            return ContenderOutcome.Read(name, count, sandbox, root.GetProperty("seconds").GetDouble(), report);
        }
        finally
        {
            File.Delete(receiversFile);
        }
    }
}

/// <summary>Outside programs: finding them on PATH and running them to completion.</summary>
internal static class ProgramFiles
{
    public static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows()
                ? new[] { Path.Combine(directory, name + ".exe"), Path.Combine(directory, name + ".cmd") }
                : new[] { Path.Combine(directory, name) })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Runs a program, capturing its output; kills it and its children at the timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout, $"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s. {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
