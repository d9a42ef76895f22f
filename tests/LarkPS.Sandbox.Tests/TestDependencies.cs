using System.Diagnostics;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Finds the repository and the outside programs the outside-in tests drive (node, npm, headless Chromium),
/// and runs them. A missing program fails the test with the command that installs it: these tests never skip.
/// </summary>
internal static class TestDependencies
{
    public const string InstallScript = "tools/install-test-deps.sh";

    private static readonly SemaphoreSlim NpmInstallGate = new(1, 1);

    /// <summary>The folder that holds LarkPS.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ConformanceDirectory => Path.Combine(RepoRoot, "tests", "conformance");

    public static string RequireNode() =>
        FindOnPath("node") ?? throw Missing("node (Node.js 18 or later) is not on PATH");

    public static string RequireNpm() =>
        FindOnPath("npm") ?? throw Missing("npm is not on PATH");

    /// <summary>CHROMIUM_PATH if set, else Debian's /usr/bin/chromium, else chromium on PATH.</summary>
    public static string RequireChromium()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : throw Missing($"CHROMIUM_PATH is '{configured}', which does not exist");
        }

        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return FindOnPath("chromium") ?? FindOnPath("chromium-browser") ?? throw Missing("Chromium is not installed (looked for CHROMIUM_PATH, /usr/bin/chromium, chromium on PATH)");
    }

    /// <summary>Installs tests/conformance/node_modules from the lock file when the SDK is not there yet.</summary>
    public static async Task EnsureConformanceModulesAsync()
    {
        await NpmInstallGate.WaitAsync();
        try
        {
            var sdkManifest = Path.Combine(ConformanceDirectory, "node_modules", "@larksuiteoapi", "node-sdk", "package.json");
            if (File.Exists(sdkManifest))
            {
                return;
            }

            var npm = RequireNpm();
            var result = await RunAsync(npm, ["ci", "--prefer-offline", "--no-audit", "--no-fund"], ConformanceDirectory, null, TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0 || !File.Exists(sdkManifest))
            {
                Assert.Fail($"'npm ci' in {ConformanceDirectory} failed (exit {result.ExitCode}); run {InstallScript}.\n{result.Stderr}\n{result.Stdout}");
            }
        }
        finally
        {
            NpmInstallGate.Release();
        }
    }

    /// <summary>
    /// Runs headless Chromium once against <paramref name="url"/> with a throwaway profile and returns what it printed.
    /// Virtual time lets the page's timers and polling run without the test waiting in real time.
    /// </summary>
    public static async Task<ProcessResult> RunHeadlessChromiumAsync(string url, IEnumerable<string> extraArguments, TimeSpan timeout)
    {
        var chromium = RequireChromium();
        var profile = Directory.CreateTempSubdirectory("larkps-chromium-");
        try
        {
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                $"--user-data-dir={profile.FullName}",
                .. extraArguments,
                url,
            ];
            return await RunAsync(chromium, arguments, RepoRoot, null, timeout);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may still hold a file for a moment; a leftover temp folder is harmless.
            }
        }
    }

    /// <summary>Runs a program to completion, capturing its output; kills it (and its children) at the timeout.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout)
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

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
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
            Assert.Fail($"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static InvalidOperationException Missing(string what) =>
        new($"{what}. Run {InstallScript} (as root on Debian/Ubuntu) to install the test dependencies.");

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe"))
            {
                return candidate + ".exe";
            }

            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".cmd"))
            {
                return candidate + ".cmd";
            }
        }

        return null;
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LarkPS.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LarkPS.sln above {AppContext.BaseDirectory}: the tests must run from inside the repository.");
    }
}

/// <summary>What a finished program printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);
