using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace LarkPS.Sandbox.Tests.Hardening;

/// <summary>
/// Issue 14's reproduction: a flood of large chunked bodies took the sandbox to 6.9 GB resident and made
/// GET /_sandbox/requests throw OutOfMemoryException. Here the sandbox runs as its own process (so its memory is
/// its own), takes 1 GB of chunked bodies (before the fix it kept every byte, twice over), and must answer the log with its peak resident memory bounded.
/// </summary>
[Collection(RunsAloneDefinition.Name)]
public sealed partial class FloodTests
{
    private const int Bodies = 64;
    private const int BodyBytes = 16 * 1024 * 1024;
    private const long PeakLimitBytes = 600L * 1024 * 1024;

    [Fact]
    public async Task A_flood_of_large_chunked_bodies_leaves_the_log_readable_and_memory_bounded()
    {
        Assert.True(OperatingSystem.IsLinux(), "this test reads the sandbox's peak memory from /proc (Linux)");
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "LarkPS.Sandbox.exe" : "LarkPS.Sandbox");
        var info = new ProcessStartInfo(apphost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[] { "--urls", "http://127.0.0.1:0", "--no-quotas" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the sandbox");
        try
        {
            var baseAddress = await ReadBaseAddressAsync(process);

            // Keep reading what it prints, so a full pipe never stalls it.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
            var paths = new[]
            {
                "open-apis/im/v1/messages?receive_id_type=open_id",
                "open-apis/auth/v3/tenant_access_token/internal",
                "_sandbox/faults",
            };

            var next = -1;
            async Task WorkerAsync()
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Bodies)
                {
                    using var content = GeneratedJsonContent.Message(BodyBytes, chunked: true, marker: "flood" + i.ToString(CultureInfo.InvariantCulture));
                    using var response = await http.PostAsync(paths[i % paths.Length], content);
                    Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => WorkerAsync()));

            using var log = await http.GetAsync("_sandbox/requests");
            Assert.Equal(HttpStatusCode.OK, log.StatusCode);
            using var parsed = JsonDocument.Parse(await log.Content.ReadAsStreamAsync());
            var bodies = parsed.RootElement.EnumerateArray().Select(r => r.GetProperty("body").GetString()).ToList();
            Assert.Equal(Bodies, bodies.Count(b => b == $"[application/json; charset=utf-8, {BodyBytes} bytes]"));

            var peak = PeakResidentBytes(process.Id);
            Assert.True(peak < PeakLimitBytes, $"the sandbox peaked at {peak / (1024 * 1024)} MB resident after {Bodies} chunked bodies of {BodyBytes / (1024 * 1024)} MB");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<Uri> ReadBaseAddressAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = Listening().Match(line);
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value + "/");
            }
        }

        Assert.Fail("the sandbox exited before it listened: " + await process.StandardError.ReadToEndAsync());
        return null!;
    }

    // VmHWM: the process's peak resident set since it started.
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(Regex.Match(line, "[0-9]+").Value, CultureInfo.InvariantCulture) * 1024;
    }

    [GeneratedRegex("listening on (http://\\S+)")]
    private static partial Regex Listening();
}

/// <summary>The flood pushes a gigabyte through loopback: it runs alone, so timing-sensitive tests elsewhere are not starved.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneDefinition
{
    public const string Name = "Flood (runs alone)";
}
