using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Get-LarkMessageReader (issue 25): who has read a message the bot sent, with the time each read it (GET
/// /open-apis/im/v1/messages/{id}/read_users, 100 a page, every page, written as they come). Lark keeps read receipts
/// for 7 days and shows them only for the bot's own messages; readers only, never who has not read.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LarkMessageReader")]
[OutputType(typeof(LarkMessageReader))]
public sealed class GetLarkMessageReaderCommand : LarkCmdlet
{
    // A runaway page_token loop must end: 1000 pages is 100,000 readers.
    private const int MaxPages = 1000;

    private LarkConnection? _connection;

    /// <summary>The bot's message (om_…): Send-LarkMessage's or Get-LarkMessage's output pipes in.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("message_id")]
    [AllowEmptyString]
    public string? MessageId { get; set; }

    /// <summary>The id type of the readers: open_id (default), union_id or user_id (needs contact:user.employee_id:readonly).</summary>
    [Parameter]
    [ValidateSet("open_id", "union_id", "user_id")]
    public string UserIdType { get; set; } = "open_id";

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void BeginProcessing() =>
        _connection = RequireAppConnection(Connection, "reads read receipts (GET /open-apis/im/v1/messages/{id}/read_users)");

    protected override void ProcessRecord()
    {
        var id = MessageChangeInput.CheckMessageId(MessageId, MessageId, out var problem);
        if (id is null)
        {
            WriteError(problem!);
            return;
        }

        var connection = _connection!;
        string? token = null;
        var count = 0;
        try
        {
            for (var page = 0; page < MaxPages; page++)
            {
                LarkPage answer;
                try
                {
                    answer = RunAsync(connection, ct => connection.History.ReadersPageAsync(id, UserIdType, token, ct));
                }
                catch (LarkApiException ex)
                {
                    WriteError(GetLarkMessageCommand.LarkFailure(ex, MessageId, "Could not read who read message " + id + ": " + ex.Message));
                    return;
                }

                foreach (var item in answer.Items)
                {
                    count++;
                    WriteObject(LarkMessageReader.Parse(id, item));
                }

                token = answer.PageToken;
                if (!answer.HasMore)
                {
                    break;
                }
            }

            WriteVerbose($"Get-LarkMessageReader: {count} reader(s) of {id}.");
        }
        finally
        {
            while (connection.History.RetryReasons.TryDequeue(out var reason))
            {
                WriteVerbose("Reading receipts: " + reason);
            }
        }
    }
}
