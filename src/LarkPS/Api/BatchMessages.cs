using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Api;

/// <summary>What Lark answered an accepted batch_send: the batch message id and the ids it listed as invalid.</summary>
internal sealed class BatchAnswer
{
    public BatchAnswer(string messageId, IReadOnlyDictionary<string, IReadOnlyList<string>> invalid)
    {
        MessageId = messageId;
        Invalid = invalid;
    }

    /// <summary>bm-…</summary>
    public string MessageId { get; }

    /// <summary>By list: department_ids, open_ids, user_ids, union_ids (Lark's invalid_… fields without the prefix).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Invalid { get; }
}

/// <summary>A batch's progress and reads, as get_progress and read_user report them (a snapshot).</summary>
internal sealed class BatchProgress
{
    public int Valid { get; set; }

    public int Succeeded { get; set; }

    public int Read { get; set; }

    public int PushedTo { get; set; }

    public bool Recalled { get; set; }

    public int RecallCount { get; set; }
}

/// <summary>
/// The batch message operations (issue 23): batch_send, get_progress, read_user and recall, each one request through
/// the choke point. batch_send has no uuid: the retrying caller repeats only what Lark did not accept (a quota or
/// token refusal, a connection that never opened); anything that may have been accepted comes back as the exception.
/// </summary>
internal sealed class BatchMessages
{
    public const string SendPath = "open-apis/message/v4/batch_send/";

    private static readonly string[] Lists = { "department_ids", "open_ids", "user_ids", "union_ids" };
    private readonly LarkApiClient _client;
    private readonly RetryingCaller _caller;

    public BatchMessages(LarkApiClient client, RetryingCaller caller)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _caller = caller ?? throw new ArgumentNullException(nameof(caller));
    }

    /// <summary>Why requests were retried, for the cmdlet to write as verbose lines.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> RetryReasons => _caller.RetryReasons;

    /// <summary>Sends one batch request (its body written by the caller); returns only when Lark accepted it.</summary>
    public async Task<BatchAnswer> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        var request = new LarkRequest(HttpMethod.Post, SendPath, LarkOperation.BatchSend, "send a batch message") { JsonBody = body };
        var response = await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
        var data = response.Data;
        var id = response.RequiredString(data, "message_id", request);
        var invalid = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var list in Lists)
        {
            // Whether empty lists are present is unconfirmed: absent, null and [] all mean none.
            var ids = new List<string>();
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("invalid_" + list, out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(item.GetString()!);
                    }
                }
            }

            invalid[list] = ids;
        }

        return new BatchAnswer(id, invalid);
    }

    /// <summary>get_progress and read_user of one batch.</summary>
    public async Task<BatchProgress> GetProgressAsync(string messageId, CancellationToken cancellationToken)
    {
        var escaped = Uri.EscapeDataString(messageId);
        var progressRequest = new LarkRequest(HttpMethod.Get, "open-apis/im/v1/batch_messages/" + escaped + "/get_progress", LarkOperation.BatchProgress, "read a batch message's progress");
        var progress = await _caller.RunAsync(ct => _client.SendAsync(progressRequest, ct), cancellationToken).ConfigureAwait(false);
        var readRequest = new LarkRequest(HttpMethod.Get, "open-apis/im/v1/batch_messages/" + escaped + "/read_user", LarkOperation.BatchReadUsers, "read a batch message's reads");
        var reads = await _caller.RunAsync(ct => _client.SendAsync(readRequest, ct), cancellationToken).ConfigureAwait(false);

        var send = Child(progress.Data, "batch_message_send_progress");
        var recall = Child(progress.Data, "batch_message_recall_progress");
        var readUser = Child(reads.Data, "read_user");
        return new BatchProgress
        {
            Valid = Number(send, "valid_user_ids_count"),
            Succeeded = Number(send, "success_user_ids_count"),
            Read = Math.Max(Number(send, "read_user_ids_count"), Number(readUser, "read_count")),
            PushedTo = Number(readUser, "total_count"),
            Recalled = recall.ValueKind == JsonValueKind.Object && recall.TryGetProperty("recall", out var r) && r.ValueKind == JsonValueKind.True,
            RecallCount = Number(recall, "recall_count"),
        };
    }

    /// <summary>Recalls a batch (asynchronous at Lark: its recall_count grows afterwards).</summary>
    public async Task RecallAsync(string messageId, CancellationToken cancellationToken)
    {
        var request = new LarkRequest(HttpMethod.Delete, "open-apis/im/v1/batch_messages/" + Uri.EscapeDataString(messageId), LarkOperation.BatchRecall, "recall a batch message");
        await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    private static JsonElement Child(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var child) ? child : default;

    // get_progress answers ints, read_user strings ("10"): both read.
    private static int Number(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return 0;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) => s,
            _ => 0,
        };
    }
}
