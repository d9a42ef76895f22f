using System.Globalization;

namespace LarkPS.Sandbox;

/// <summary>
/// <c>LarkPS.Sandbox [--urls URL] [--directory FILE] [--latency-ms N] [--jitter-ms N] [--handshake-ms N] [--no-quotas] [--app-id ID] [--app-secret S] [--allow-remote]
/// [--extra-users N] [--batch-rate N] [--batch-delay-ms N]</c>.
/// </summary>
internal static class SandboxCommandLine
{
    private const string DefaultUrl = "http://127.0.0.1:5300";

    public static async Task<int> RunAsync(string[] args)
    {
        SandboxOptions options;
        string url;
        TimeSpan latency;
        try
        {
            (options, url, latency) = Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync("Could not read the directory file: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        SandboxServer server;
        try
        {
            server = await SandboxServer.StartAsync(options, url).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("Could not start the sandbox: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            server.Faults.Latency = latency;
            server.Faults.Jitter = options.Network.Jitter;
            server.Faults.HandshakeDelay = options.Network.Handshake;
            PrintBanner(server);

            // The host already turns Ctrl+C and SIGTERM into a stop request; wait for it.
            try
            {
                await Task.Delay(Timeout.Infinite, server.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping the sandbox.");
            }
        }

        return 0;
    }

    private static string Usage =>
        "Usage: LarkPS.Sandbox [--urls http://127.0.0.1:5300] [--directory directory.json] [--latency-ms N] [--jitter-ms N] [--handshake-ms N] "
        + "[--no-quotas] [--app-id ID] [--app-secret SECRET] [--allow-remote] [--extra-users N] [--batch-rate N] [--batch-delay-ms N]";

    /// <summary>Null options mean --help was asked for.</summary>
    private static (SandboxOptions Options, string Url, TimeSpan Latency) Parse(string[] args)
    {
        var options = new SandboxOptions();
        var url = DefaultUrl;
        var latency = TimeSpan.Zero;
        int WholeNumber(string name, string text) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new ArgumentException($"{name} needs a whole number.");

        TimeSpan Milliseconds(string name, string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? TimeSpan.FromMilliseconds(n)
                : throw new ArgumentException($"{name} needs a whole number of milliseconds.");
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--urls": url = Value(); break;
                case "--directory": options.Directory = SandboxDirectory.Load(Value()); break;
                case "--latency-ms":
                    latency = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                        ? TimeSpan.FromMilliseconds(ms)
                        : throw new ArgumentException("--latency-ms needs a whole number of milliseconds.");
                    break;
                case "--jitter-ms": options.Network.Jitter = Milliseconds(name, Value()); break;
                case "--handshake-ms": options.Network.Handshake = Milliseconds(name, Value()); break;
                case "--no-quotas": options.Quotas.Enabled = false; break;
                case "--extra-users": options.Directory = SandboxDirectory.CreateWithManyUsers(WholeNumber(name, Value())); break;
                case "--batch-rate": options.Batch.FanOutPerSecond = WholeNumber(name, Value()); break;
                case "--batch-delay-ms": options.Batch.ScheduleDelay = Milliseconds(name, Value()); break;
                case "--app-id": options.AppId = Value(); break;
                case "--app-secret": options.AppSecret = Value(); break;
                case "--allow-remote": options.AllowRemote = true; break;
                case "--help" or "-h" or "-?": return (null!, url, latency);
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return (options, url, latency);
    }

    private static void PrintBanner(SandboxServer server)
    {
        var options = server.Options;
        var root = server.BaseAddress.ToString().TrimEnd('/');
        Console.WriteLine($"LarkPS Sandbox listening on {root}");
        Console.WriteLine($"  App ID:     {options.AppId}");

        // A throwaway sandbox credential: printing it is the point.
        Console.WriteLine($"  App Secret: {options.AppSecret}");
        Console.WriteLine($"  Inbox page: {root}/");
        Console.WriteLine($"  Quotas:     {(options.Quotas.Enabled ? "on" : "off")}; latency {server.Faults.Latency.TotalMilliseconds} ms, jitter {server.Faults.Jitter.TotalMilliseconds} ms, handshake {server.Faults.HandshakeDelay.TotalMilliseconds} ms (quotas count on arrival)");
        foreach (var hook in options.Directory.Hooks)
        {
            // Sandbox hooks and their secrets are throwaways too.
            var security = string.IsNullOrEmpty(hook.Secret) ? "" : $", secret {hook.Secret}";
            security += hook.Keywords is { Count: > 0 } k ? $", keyword {string.Join(" or ", k)}" : "";
            Console.WriteLine($"  Hook:       {server.HookUri(hook.Token)} ({hook.DisplayName}{security})");
        }

        Console.WriteLine("Connect from PowerShell:");
        Console.WriteLine(
            $"  Connect-Lark -BaseUri {root} -AppId {options.AppId} -AppSecret (ConvertTo-SecureString {options.AppSecret} -AsPlainText -Force)");
        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
