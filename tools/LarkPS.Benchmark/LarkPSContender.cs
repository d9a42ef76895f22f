using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>LarkPS as its users drive it: Connect-Lark, then pipeline objects into Send-LarkMessage with default settings.</summary>
internal static class LarkPSContender
{
    public const string Name = "LarkPS Send-LarkMessage";

    // The quotas LarkPS is told about when the sandbox enforces none (the memory pass): high enough never to wait.
    private const string NoQuotas = "-QuotaPerSecond 100000 -QuotaPerMinute 6000000 -QuotaPerReceiverPerSecond 10000";

    private const string BuildItems = """
        param([int]$Count, [string[]]$Types, [string[]]$Ids)
        $global:LarkBenchItems = foreach ($i in 1..$Count) {
            $k = ($i - 1) % $Ids.Count
            [pscustomobject]@{
                receiveType = $Types[$k]
                receiveId   = $Ids[$k]
                content     = '{"text":"bench #' + $i + '"}'
                uuid        = [guid]::NewGuid().ToString('N')
            }
        }
        """;

    // Items are made on the fly and results counted, not kept: what a script streaming a large CSV does.
    private const string StreamItems = """
        param([int]$Count, [string[]]$Types, [string[]]$Ids)
        & {
            for ($i = 1; $i -le $Count; $i++) {
                $k = ($i - 1) % $Ids.Count
                [pscustomobject]@{
                    receiveType = $Types[$k]
                    receiveId   = $Ids[$k]
                    content     = '{"text":"bench #' + $i + '"}'
                    uuid        = [guid]::NewGuid().ToString('N')
                }
            }
        } | Send-LarkMessage | Measure-Object | ForEach-Object Count
        """;

    public static void Connect(PowerShellHost ps, SandboxServer sandbox, bool quotasOff)
    {
        var url = sandbox.BaseAddress.AbsoluteUri.TrimEnd('/');
        ps.Invoke(
            "param($Url, $AppId, $Secret) Connect-Lark -BaseUri $Url -AppId $AppId -AppSecret (ConvertTo-SecureString $Secret -AsPlainText -Force) " + (quotasOff ? NoQuotas : string.Empty),
            url,
            sandbox.Options.AppId,
            sandbox.Options.AppSecret);
    }

    /// <summary>Sends <paramref name="count"/> messages; the time runs from the first send to the last result.</summary>
    public static ContenderOutcome Run(PowerShellHost ps, SandboxServer sandbox, IReadOnlyList<BenchReceiver> receivers, int? count = null)
    {
        var messages = count ?? receivers.Count;
        Connect(ps, sandbox, quotasOff: false);
        ps.Invoke(BuildItems, messages, Types(receivers), Ids(receivers));

        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var (output, errors) = ps.Invoke("$global:LarkBenchItems | Send-LarkMessage");
        watch.Stop();
        var sendTimes = sandbox.Requests.Where(ContenderOutcome.IsSend).Select(r => r.Time).ToList();

        var (summary, _) = ps.Invoke("(Get-LarkConnection).LastDelivery; Remove-Variable LarkBenchItems -Scope Global");
        var retries = summary.Count > 0 ? summary[0].Properties["Retries"]?.Value : null;
        var lookups = sandbox.Requests.Count(r => r.PathAndQuery.StartsWith("/open-apis/contact/v3/users/batch_get_id", StringComparison.Ordinal));
        var report = string.Create(CultureInfo.InvariantCulture, $"{output.Count} results, {errors.Count} errors, {retries ?? "?"} retried attempts, {lookups} phone look-up calls");
        if (sendTimes.Count > 0)
        {
            // Where the time outside the sends goes: before the first reached the sandbox, and after the last did.
            var first = (sendTimes.Min() - started).TotalMilliseconds;
            var last = (sendTimes.Max() - started).TotalMilliseconds;
            report += string.Create(CultureInfo.InvariantCulture, $"; first send read {first:F0} ms after the start, last {watch.Elapsed.TotalMilliseconds - last:F0} ms before the end");
        }

        if (errors.Count > 0)
        {
            report += "; first error: " + Describe(errors[0]);
        }

        return ContenderOutcome.Read(Name, messages, sandbox, watch.Elapsed.TotalSeconds, report);
    }

    /// <summary>Streams <paramref name="count"/> messages through one Send-LarkMessage; returns how many results came back and the errors.</summary>
    public static (long Results, IReadOnlyList<ErrorRecord> Errors, TimeSpan Elapsed) Stream(
        PowerShellHost ps, IReadOnlyList<BenchReceiver> receivers, int count)
    {
        var watch = Stopwatch.StartNew();
        var (output, errors) = ps.Invoke(StreamItems, count, Types(receivers), Ids(receivers));
        watch.Stop();
        var results = output.Count == 1 && output[0].BaseObject is int n ? n : -1;
        return (results, errors, watch.Elapsed);
    }

    public static string Describe(ErrorRecord error) =>
        $"{error.ErrorDetails?.Message ?? error.Exception.Message} [{error.FullyQualifiedErrorId}]";

    private static string[] Types(IReadOnlyList<BenchReceiver> receivers) => receivers.Select(r => r.ReceiveType).ToArray();

    private static string[] Ids(IReadOnlyList<BenchReceiver> receivers) => receivers.Select(r => r.Id).ToArray();
}
