// The LarkPS quick start: starts the sandbox, runs examples/quickstart.ps1 with the built module in a real
// PowerShell engine (pwsh where installed, else PowerShell 7.6 hosted in this process), prints what happened,
// and leaves the sandbox's inbox page up to look at.
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
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

await using var sandbox = await StartSandboxAsync(urls);
if (sandbox is null)
{
    return 1;
}

var baseUri = sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');
Console.WriteLine($"LarkPS sandbox listening on {baseUri}  (App ID {sandbox.Options.AppId}, App Secret {sandbox.Options.AppSecret}: a throwaway sandbox credential)");
Console.WriteLine();

var pwsh = forceHosted ? null : FindOnPath("pwsh");
var exitCode = pwsh is not null ? RunWithPwsh(pwsh, script, baseUri) : RunHosted(script, baseUri);

Console.WriteLine();
Console.WriteLine($"Inbox page: {baseUri}/   (JSON: {baseUri}/_sandbox/inbox) — {sandbox.Inbox.Count} message(s) delivered.");
if (wait)
{
    Console.WriteLine("The sandbox stays up so you can look at the inbox and try your own scripts; press Ctrl+C to stop.");
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
    await stop.Task;
}
else
{
    Console.WriteLine("The sandbox stops now (input is not a terminal). Run the same command in a terminal to keep it up, or pass --wait.");
}

return exitCode;

static int RunWithPwsh(string pwsh, string script, string baseUri)
{
    Console.WriteLine($"Running {script} in {pwsh}");
    // Bypass for this one process only: a clone downloaded as a zip on Windows marks the examples as from the internet.
    using var process = Process.Start(new ProcessStartInfo(pwsh, ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", script, "-BaseUri", baseUri]) { UseShellExecute = false })!;
    process.WaitForExit();
    return process.ExitCode;
}

static int RunHosted(string script, string baseUri)
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
    Console.WriteLine($"pwsh is not installed: running {Path.GetFileName(script)} in PowerShell {version} hosted in this process.");
    Console.WriteLine();

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

static string? FindOnPath(string name)
{
    foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
    {
        foreach (var candidate in new[] { Path.Combine(dir, name), Path.Combine(dir, name + ".exe") })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    return null;
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
