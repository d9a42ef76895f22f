using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Broadcast;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Get-LarkBroadcast: the progress and read counts of a broadcast (get_progress and read_user of each of its batch
/// messages, summed); -Wait asks again every second, with Write-Progress, until Lark reports it done.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LarkBroadcast")]
[OutputType(typeof(LarkBroadcastProgress))]
public sealed class GetLarkBroadcastCommand : LarkCmdlet
{
    /// <summary>The batch message ids (bm-…): Send-LarkBroadcast's output binds by its MessageIds.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("MessageIds", "BatchMessageId", "batch_message_id")]
    public string[] MessageId { get; set; } = Array.Empty<string>();

    /// <summary>Asks again every second (Write-Progress) until every batch is scheduled and pushed to all its valid users.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: the longest wait, in seconds (users outside the bot's contact scope never succeed, so done may never come).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 300;

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    private LarkConnection? _connection;

    protected override void BeginProcessing() =>
        _connection = RequireAppConnection(Connection, "reads batch message progress (GET /open-apis/im/v1/batch_messages/{id}/get_progress)");

    protected override void ProcessRecord()
    {
        var ids = MessageId.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var started = DateTimeOffset.UtcNow;
        var first = ids[0];
        var progress = Read(ref ids);
        while (progress is not null && Wait && !progress.Done)
        {
            WriteProgress(new ProgressRecord(1, "Broadcast " + ids[0] + (ids.Length > 1 ? " (+" + (ids.Length - 1).ToString(CultureInfo.InvariantCulture) + ")" : string.Empty),
                $"{progress.Succeeded} of {progress.Valid} pushed, {progress.Read} read, {progress.Scheduled} of {ids.Length} batch(es) scheduled")
            { PercentComplete = progress.PercentComplete });
            if (DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(TimeoutSec))
            {
                WriteWarning($"Lark did not report the broadcast done within {TimeoutSec} s ({progress.Succeeded} of {progress.Valid} pushed). Users outside the bot's contact scope count as valid but never succeed; ask again later with Get-LarkBroadcast.");
                break;
            }

            RunAsync<bool>(async ct =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                return true;
            });
            progress = Read(ref ids);
        }

        if (Wait)
        {
            WriteProgress(new ProgressRecord(1, "Broadcast " + first, "done") { RecordType = ProgressRecordType.Completed });
        }

        if (progress is not null)
        {
            WriteObject(progress);
        }
    }

    // Every batch of the broadcast, summed. A batch Lark does not know (230030) is its own error once, counts for
    // nothing and is left out of the ids (and of Done: it is never scheduled, so -Wait would wait out -TimeoutSec).
    private LarkBroadcastProgress? Read(ref string[] ids)
    {
        var answered = new List<BatchProgress>();
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            try
            {
                answered.Add(RunAsync(_connection!, ct => _connection!.BatchMessages.GetProgressAsync(id, ct)));
            }
            catch (LarkApiException ex)
            {
                WriteError(SendErrors.For(ex, id, "batch message " + id, "read"));
                if (ex.ErrorId == ErrorIds.BroadcastNotFound)
                {
                    unknown.Add(id);
                }
            }
        }

        ids = ids.Where(i => !unknown.Contains(i)).ToArray();
        if (answered.Count == 0)
        {
            return null;
        }

        var sum = new LarkBroadcastProgress(ids);
        foreach (var one in answered)
        {
            sum.Valid += one.Valid;
            sum.Succeeded += one.Succeeded;
            sum.Read += one.Read;
            sum.Scheduled += one.Valid > 0 ? 1 : 0;
            sum.Recalled |= one.Recalled;
            sum.RecallCount += one.RecallCount;
        }

        return sum;
    }
}
