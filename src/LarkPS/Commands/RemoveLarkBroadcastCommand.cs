using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Remove-LarkBroadcast: recalls a broadcast (DELETE of each of its batch messages). Lark recalls asynchronously:
/// Get-LarkBroadcast shows Recalled and the RecallCount growing.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LarkBroadcast", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveLarkBroadcastCommand : LarkCmdlet
{
    /// <summary>The batch message ids (bm-…): Send-LarkBroadcast's output binds by its MessageIds.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("MessageIds", "BatchMessageId", "batch_message_id")]
    public string[] MessageId { get; set; } = Array.Empty<string>();

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    private LarkConnection? _connection;

    protected override void BeginProcessing()
    {
        if (!MessageChangeInput.IsWhatIf(this))
        {
            _connection = RequireAppConnection(Connection, "recalls batch messages (DELETE /open-apis/im/v1/batch_messages/{id})");
        }
    }

    protected override void ProcessRecord()
    {
        var ids = MessageId.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var target = "broadcast " + ids[0] + (ids.Length > 1 ? " and " + (ids.Length - 1).ToString(CultureInfo.InvariantCulture) + " more batch message(s)" : string.Empty);
        if (!ShouldProcess(target, "Recall for every receiver") || _connection is null)
        {
            return;
        }

        foreach (var id in ids)
        {
            try
            {
                RunAsync(_connection, async ct =>
                {
                    await _connection.BatchMessages.RecallAsync(id, ct).ConfigureAwait(false);
                    return true;
                });
                WriteVerbose($"Recall of {id} accepted: Lark takes the copies back asynchronously (Get-LarkBroadcast shows RecallCount).");
            }
            catch (LarkApiException ex)
            {
                WriteError(SendErrors.For(ex, id, "batch message " + id, "recall"));
            }
        }
    }
}
