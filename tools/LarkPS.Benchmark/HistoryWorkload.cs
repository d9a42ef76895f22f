using System.Globalization;
using System.Net.Http.Json;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>
/// Issue 25's workload (--only history): the sandbox holds N messages in one chat (100,000; --quick 20,000) and
/// Get-LarkMessage (in the hosted PowerShell) reads them back in pages of 50 under Lark's quota for the call, counted
/// on arrival (1000/min, 50/s), with the run's latency. Prints messages per second read, pages, quota refusals, and the
/// managed heap after a full collection at points through the run: flat means the cmdlet streams page by page.
/// </summary>
internal static class HistoryWorkload
{
    public static async Task<int> RunAsync(PowerShellHost powerShell, int count, int latencyMs, int jitterMs, int handshakeMs)
    {
        var options = new SandboxOptions();
        await using var sandbox = await SandboxServer.StartAsync(options);
        using (var http = new HttpClient { BaseAddress = sandbox.BaseAddress })
        {
            using var seeded = await http.PostAsJsonAsync("_sandbox/history", new { chat_id = SandboxSeed.OpsChatId, count, interval_ms = 10 });
            seeded.EnsureSuccessStatusCode();
        }

        sandbox.Faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
        sandbox.Faults.Jitter = TimeSpan.FromMilliseconds(jitterMs);
        sandbox.Faults.HandshakeDelay = TimeSpan.FromMilliseconds(handshakeMs);
        powerShell.Invoke($"Connect-Lark -BaseUri '{sandbox.BaseAddress.AbsoluteUri.TrimEnd('/')}' -AppId '{options.AppId}' -AppSecret (ConvertTo-SecureString '{options.AppSecret}' -AsPlainText -Force) -NoQuotaSharing | Out-Null");
        Console.WriteLine($"History: {count:N0} messages in one chat read back by Get-LarkMessage, pages of 50, quota 1000/min and 50/s counted on arrival, {latencyMs} ms round trip (±{jitterMs / 2} ms), {handshakeMs} ms handshake.");

        // Every tenth of the run: messages so far, seconds since the start, the managed heap after a full collection.
        var every = Math.Max(1, count / 10);
        var (output, errors) = powerShell.Invoke(
            """
            $every = $args[1]; $n = 0; $ids = 0; $last = $null; $ordered = $true
            $clock = [Diagnostics.Stopwatch]::StartNew()
            [GC]::Collect(); $start = [GC]::GetTotalMemory($true)
            [pscustomobject]@{ N = 0; Seconds = 0.0; Heap = $start; Ordered = $true }
            Get-LarkMessage -ChatId $args[0] | ForEach-Object {
                $n++
                if ($null -ne $last -and $_.CreateTime -lt $last) { $ordered = $false }
                $last = $_.CreateTime
                if ($n % $every -eq 0) {
                    [GC]::Collect()
                    [pscustomobject]@{ N = $n; Seconds = $clock.Elapsed.TotalSeconds; Heap = [GC]::GetTotalMemory($true); Ordered = $ordered }
                }
            }
            [pscustomobject]@{ N = $n; Seconds = $clock.Elapsed.TotalSeconds; Heap = [GC]::GetTotalMemory($true); Ordered = $ordered }
            """,
            SandboxSeed.OpsChatId, every);
        var points = output.Select(o => (N: Convert.ToInt32(o.Properties["N"].Value, CultureInfo.InvariantCulture), Seconds: Convert.ToDouble(o.Properties["Seconds"].Value, CultureInfo.InvariantCulture), Heap: Convert.ToInt64(o.Properties["Heap"].Value, CultureInfo.InvariantCulture), Ordered: (bool)o.Properties["Ordered"].Value)).ToList();
        var end = points[^1];
        var lists = sandbox.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/open-apis/im/v1/messages?", StringComparison.Ordinal)).ToList();
        var pages = lists.Count;
        var refused = lists.Count(r => r.Code == 99991400 || r.StatusCode == 429);

        // The fastest Lark's windows allow for the pages: 50 a second and 1000 a minute (the first minute's 1000 at 50/s).
        var needed = (int)Math.Ceiling(count / 50.0);
        var limit = needed <= 1000 ? needed / 50.0 : ((needed - 1) / 1000 * 60.0) + (((needed - 1) % 1000) + 1) / 50.0;
        string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine($"read:      {end.N:N0} of {count:N0} messages, {errors.Count} error(s), in order: {end.Ordered}");
        Console.WriteLine($"requests:  {pages:N0} GET (pages of 50 need {needed:N0}), {refused} refused for the quota");
        // A page walk is sequential (each page needs the previous page's token): at most one page per round trip.
        var walk = needed * latencyMs / 1000.0;
        Console.WriteLine($"time:      {F(end.Seconds, "0.00")} s, {F(end.N / end.Seconds)} messages/s");
        Console.WriteLine($"bounds:    the quota allows {needed:N0} pages in {F(limit, "0.00")} s; one page per {latencyMs} ms round trip needs {F(walk, "0.00")} s; the slower bound, {F(Math.Max(limit, walk), "0.00")} s, is {F(100 * Math.Max(limit, walk) / end.Seconds)}% of the time taken");
        Console.WriteLine("heap after a full collection, by messages read:");
        foreach (var point in points)
        {
            Console.WriteLine($"  {point.N,9:N0}  {F(point.Seconds, "0.0"),7} s  {point.Heap / 1024.0 / 1024.0,8:0.0} MB");
        }

        var growth = points.Count > 2 ? points[^1].Heap - points[1].Heap : 0;
        Console.WriteLine($"growth from the first tenth to the end: {F(growth / 1024.0 / 1024.0, "0.0")} MB over {end.N - points[Math.Min(1, points.Count - 1)].N:N0} messages");
        return end.N == count && errors.Count == 0 ? 0 : 1;
    }
}
