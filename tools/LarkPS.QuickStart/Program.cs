// The LarkPS quick start: starts the sandbox, runs examples/quickstart.ps1 with the built module in the repository's
// own pwsh (PowerShell 7.6.9, the .NET tool pinned in .config/dotnet-tools.json, restored here on first run), prints
// what happened, and leaves the sandbox's inbox page up to look at. Only when that pwsh cannot be had does it fall
// back to PowerShell 7.6 hosted in this process, and it says why. Ctrl+C and SIGTERM stop it alike.
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using LarkPS.Sandbox;

var urls = "http://127.0.0.1:5300";
var wait = !Console.IsInputRedirected;
var forceHosted = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--urls" when i + 1 < args.Length:
            urls = args[++i];
            break;
        case "--no-wait":
            wait = false;
            break;
        case "--wait":
            wait = true;
            break;
        case "--hosted":
            forceHosted = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: dotnet run --project tools/LarkPS.QuickStart [-- --urls http://127.0.0.1:5300] [--no-wait|--wait] [--hosted]");
            return 2;
    }
}

var root = FindRepoRoot();
var script = Path.Combine(root, "examples", "quickstart.ps1");
var manifest = Path.Combine(root, "out", "LarkPS", "LarkPS.psd1");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"The module is not built: {manifest} is missing. Run: dotnet build LarkPS.sln");
    return 1;
}

if (FindUnusableAddress(urls) is { } unusable)
{
    Console.Error.WriteLine(unusable);
    return 1;
}

// Ctrl+C (SIGINT) and SIGTERM (docker stop, systemd, kill) end the quick start the same way: whatever is running stops,
// the sandbox shuts down, and the process exits on its own rather than being torn down mid-write.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var sandbox = await StartSandboxAsync(urls);
if (sandbox is null)
{
    return 1;
}

var baseUri = sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');
Console.WriteLine($"LarkPS sandbox listening on {baseUri}  (App ID {sandbox.Options.AppId}, App Secret {sandbox.Options.AppSecret}: a throwaway sandbox credential)");
Console.WriteLine();

var pwsh = forceHosted ? new RestoredPwsh(null, null, "--hosted was given") : RestoredPwsh.Find(root);
var exitCode = pwsh.Dotnet is not null
    ? await RunWithPwshAsync(pwsh, root, script, baseUri, stop.Token)
    : RunHosted(script, baseUri, pwsh.WhyNot!, stop.Token);
if (stop.IsCancellationRequested)
{
    Console.WriteLine();
    Console.WriteLine("Stopped before the examples finished; the sandbox stops now.");
    return 1;
}

Console.WriteLine();
Console.WriteLine($"Inbox page: {baseUri}/   (JSON: {baseUri}/_sandbox/inbox) — {sandbox.Inbox.Count} message(s) delivered.");
if (wait)
{
    Console.WriteLine("The sandbox stays up so you can look at the inbox and try your own scripts; press Ctrl+C to stop.");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping the sandbox.");
    }
}
else
{
    Console.WriteLine("The sandbox stops now (input is not a terminal). Run the same command in a terminal to keep it up, or pass --wait.");
}

return exitCode;

static async Task<int> RunWithPwshAsync(RestoredPwsh pwsh, string root, string script, string baseUri, CancellationToken stop)
{
    Console.WriteLine($"Running {Path.GetRelativePath(root, script)} in pwsh {pwsh.Version} (the repository's .NET tool: dotnet pwsh, pinned in .config/dotnet-tools.json)");
    Console.WriteLine();

    // Bypass for this one process only: a clone downloaded as a zip on Windows marks the examples as from the internet.
    var start = new ProcessStartInfo(pwsh.Dotnet!, ["pwsh", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", script, "-BaseUri", baseUri])
    {
        UseShellExecute = false,
        WorkingDirectory = root,
    };
    using var process = Process.Start(start)!;
    try
    {
        await process.WaitForExitAsync(stop);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C reached pwsh too (same console); SIGTERM did not: either way it is not to outlive the quick start.
        if (!process.WaitForExit(2000))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return 1;
    }

    Console.WriteLine();
    Console.WriteLine($"Ran {Path.GetRelativePath(root, script)} in pwsh {pwsh.Version} ({(process.ExitCode == 0 ? "no errors" : "exit code " + process.ExitCode)}).");
    return process.ExitCode;
}

static int RunHosted(string script, string baseUri, string whyNotPwsh, CancellationToken stop)
{
    var state = InitialSessionState.CreateDefault2();

    // The SDK's default policy on Windows is Restricted, which would refuse the examples: lift it for this runspace
    // only. (Execution policies exist only on Windows; setting one elsewhere throws.)
    if (OperatingSystem.IsWindows())
    {
        state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
    }

    using var runspace = RunspaceFactory.CreateRunspace(state);
    runspace.Open();
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    var version = ps.AddScript("$PSVersionTable.PSVersion.ToString()").Invoke<string>().FirstOrDefault();
    ps.Commands.Clear();
    Console.WriteLine($"Not running in pwsh: {whyNotPwsh}.");
    Console.WriteLine($"Falling back to PowerShell {version} hosted in this process to run {Path.GetFileName(script)}.");
    Console.WriteLine();
    using var stopping = stop.Register(() => ps.BeginStop(null, null));

    // Formatting happens inside PowerShell, so objects print as they would at a pwsh prompt.
    ps.AddCommand(script).AddParameter("BaseUri", baseUri).AddCommand("Out-String").AddParameter("Stream").AddParameter("Width", 160);
    ps.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine(FormatError(ps.Streams.Error[e.Index]));
    ps.Streams.Warning.DataAdded += (_, e) => Console.WriteLine("WARNING: " + ps.Streams.Warning[e.Index].Message);
    ps.Streams.Information.DataAdded += (_, e) => Console.WriteLine(ps.Streams.Information[e.Index].MessageData);
    var output = new PSDataCollection<PSObject>();
    output.DataAdded += (_, e) => Console.WriteLine(output[e.Index]);
    try
    {
        ps.Invoke<PSObject, PSObject>(null, output, new PSInvocationSettings());
    }
    catch (PipelineStoppedException)
    {
        return 1;
    }
    catch (RuntimeException ex)
    {
        Console.Error.WriteLine(FormatError(ex.ErrorRecord));
        return 1;
    }

    return ps.HadErrors && ps.Streams.Error.Count > 0 ? 1 : 0;
}

static string FormatError(ErrorRecord record)
{
    var text = $"ERROR: {record.ErrorDetails?.Message ?? record.Exception.Message}  [{record.FullyQualifiedErrorId}]";
    if (!string.IsNullOrEmpty(record.ErrorDetails?.RecommendedAction))
    {
        text += Environment.NewLine + "       Fix: " + record.ErrorDetails.RecommendedAction;
    }

    return text;
}

static async Task<SandboxServer?> StartSandboxAsync(string urls)
{
    try
    {
        return await SandboxServer.StartAsync(new SandboxOptions(), urls);
    }
    catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
    {
        // Taken between the check and the bind.
        Console.Error.WriteLine(PortInUseMessage(urls));
    }
    catch (ArgumentException)
    {
        // The sandbox refuses anything but loopback (its own command line has --allow-remote; the quick start does not).
        Console.Error.WriteLine($"Cannot start the sandbox on {urls}: the quick start listens on this machine only. Use a loopback address, e.g. --urls http://127.0.0.1:5301");
    }

    return null;
}

// Why the first address in --urls cannot be listened on (in use, or a privileged port), checked before starting
// Kestrel, which would otherwise log its own stack trace first; null when all can.
static string? FindUnusableAddress(string urls)
{
    foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port == 0)
        {
            continue;
        }

        var address = uri.IsLoopback && !System.Net.IPAddress.TryParse(uri.Host, out _) ? System.Net.IPAddress.Loopback
            : System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null;
        if (address is null)
        {
            continue;
        }

        var listener = new System.Net.Sockets.TcpListener(address, uri.Port);
        try
        {
            listener.Start();
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            return PortInUseMessage(url);
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied)
        {
            return $"Cannot start the sandbox on {url}: not allowed to listen on port {uri.Port} (ports below 1024 need administrator rights). Use, e.g., --urls http://127.0.0.1:5301";
        }
        finally
        {
            listener.Stop();
        }
    }

    return null;
}

static string PortInUseMessage(string url) =>
    $"Cannot start the sandbox on {url}: the port is already in use (is another quick start or sandbox still running?)."
    + Environment.NewLine + "Stop that one, or use another port: dotnet run --project tools/LarkPS.QuickStart -- --urls http://127.0.0.1:5301";

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

/// <summary>
/// The repository's pwsh: `dotnet tool restore` (a no-op once restored) and a first run that tells its version. When
/// either fails, <see cref="WhyNot"/> says why in words, and the quick start falls back to the hosted engine.
/// </summary>
internal sealed record RestoredPwsh(string? Dotnet, string? Version, string? WhyNot)
{
    public static RestoredPwsh Find(string root)
    {
        var dotnet = FindDotnet();
        if (dotnet is null)
        {
            return new RestoredPwsh(null, null, "the dotnet command was not found to run the repository's pwsh");
        }

        var restore = Run(dotnet, root, "tool", "restore");
        if (restore.ExitCode != 0)
        {
            return new RestoredPwsh(null, null, "'dotnet tool restore' could not bring the repository's pwsh 7.6.9 (.config/dotnet-tools.json): " + LastLine(restore.Output));
        }

        var probe = Run(dotnet, root, "pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()");
        if (probe.ExitCode != 0 || string.IsNullOrWhiteSpace(probe.Output))
        {
            return new RestoredPwsh(null, null, "the repository's pwsh did not start ('dotnet pwsh' exit code " + probe.ExitCode + "): " + LastLine(probe.Output));
        }

        return new RestoredPwsh(dotnet, probe.Output.Trim(), null);
    }

    // The dotnet that runs this program (dotnet run sets DOTNET_HOST_PATH), else the one on PATH.
    private static string? FindDotnet()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in new[] { Path.Combine(dir, "dotnet"), Path.Combine(dir, "dotnet.exe") })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static (int ExitCode, string Output) Run(string dotnet, string root, params string[] arguments)
    {
        var start = new ProcessStartInfo(dotnet, arguments)
        {
            UseShellExecute = false,
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out after 5 minutes");
            }

            return (process.ExitCode, process.ExitCode == 0 ? output.Result : error.Result + output.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
