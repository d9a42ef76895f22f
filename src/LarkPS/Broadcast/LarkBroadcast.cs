using System;
using System.Collections.Generic;
using System.Linq;

namespace LarkPS.Broadcast;

/// <summary>One receiver of a broadcast as the user gave it and as it was sent: kind, id, input, and why not, where not.</summary>
public sealed class LarkBroadcastReceiver
{
    internal LarkBroadcastReceiver(string kind, string id, string input, object? source)
    {
        Kind = kind;
        Id = id;
        Input = input;
        Source = source;
    }

    /// <summary>open_id, user_id, union_id or department (what the request carries); email or phone before they are resolved.</summary>
    public string Kind { get; internal set; }

    /// <summary>The id sent (an open_id for a resolved e-mail address).</summary>
    public string Id { get; internal set; }

    /// <summary>What was given: the e-mail address, the department's name, the id.</summary>
    public string Input { get; }

    /// <summary>Why it did not (or may not have) become a message; null when sent.</summary>
    public string? Reason { get; internal set; }

    /// <summary>What to do so that it gets the next broadcast, where something can be done; null otherwise.</summary>
    public string? Fix { get; internal set; }

    /// <summary>The pipeline object (a CSV row, a Get-LarkUser result) it came from, for error records.</summary>
    internal object? Source { get; }

    /// <inheritdoc />
    public override string ToString() => Input == Id ? Kind + " " + Id : Kind + " " + Id + " (" + Input + ")";
}

/// <summary>One batch_send request of a broadcast and what became of it.</summary>
public sealed class LarkBroadcastRequest
{
    internal LarkBroadcastRequest(int index, string kind, IReadOnlyList<LarkBroadcastReceiver> receivers)
    {
        Index = index;
        Kind = kind;
        Receivers = receivers;
    }

    /// <summary>1 for the first request of the run.</summary>
    public int Index { get; }

    /// <summary>Which list it carries: open_ids, user_ids, union_ids or department_ids.</summary>
    public string Kind { get; }

    /// <summary>At most 200.</summary>
    public IReadOnlyList<LarkBroadcastReceiver> Receivers { get; }

    /// <summary>Accepted, Refused (Lark said no: nothing sent), MayHaveBeenSent (no answer after the request left), NotSent (stopped first).</summary>
    public string Status { get; internal set; } = "NotSent";

    /// <summary>bm-… where Lark accepted it.</summary>
    public string? MessageId { get; internal set; }

    /// <summary>Lark's refusal, or why the answer is missing.</summary>
    public string? Reason { get; internal set; }

    /// <summary>1 once the request was handed to Lark (refusals that mean "not accepted" are retried within it; -Verbose names each retry).</summary>
    public int Attempts { get; internal set; }

    /// <summary>The failure, for the error record.</summary>
    internal Exception? Error { get; set; }
}

/// <summary>
/// What Send-LarkBroadcast did: the batch message ids (for Get-LarkBroadcast and Remove-LarkBroadcast), how many
/// receivers were asked, the ones Lark named invalid, and any that may have been sent without an answer.
/// </summary>
public sealed class LarkBroadcast
{
    internal LarkBroadcast(string msgType, IReadOnlyList<LarkBroadcastRequest> requests, IReadOnlyList<LarkBroadcastReceiver> invalid, int skippedByJournal, TimeSpan elapsed)
    {
        MsgType = msgType;
        RequestResults = requests;
        Invalid = invalid;
        SkippedByJournal = skippedByJournal;
        Elapsed = elapsed;
    }

    public string MsgType { get; }

    /// <summary>The bm-… id of every accepted request.</summary>
    public string[] MessageIds => RequestResults.Where(r => r.MessageId is not null).Select(r => r.MessageId!).ToArray();

    /// <summary>batch_send requests this run made (at most 200 receivers each).</summary>
    public int Requests => RequestResults.Count(r => r.Attempts > 0);

    /// <summary>Requests Lark accepted.</summary>
    public int Accepted => RequestResults.Count(r => r.Status == "Accepted");

    /// <summary>Receivers (users and departments) in the requests of this run, each once.</summary>
    public int ReceiversAsked => RequestResults.Sum(r => r.Receivers.Count);

    /// <summary>Receivers in accepted requests (Lark's invalid ones included: they are listed in <see cref="Invalid"/>).</summary>
    public int ReceiversAccepted => RequestResults.Where(r => r.Status == "Accepted").Sum(r => r.Receivers.Count);

    /// <summary>Receivers that did not become a message: given in a shape no broadcast takes, not found by e-mail address or phone number, or named invalid by Lark; each with its Reason and Fix.</summary>
    public IReadOnlyList<LarkBroadcastReceiver> Invalid { get; }

    /// <summary>Receivers of requests that left without an answer: they may have been sent; never resent by themselves.</summary>
    public LarkBroadcastReceiver[] MayHaveBeenSent => RequestResults.Where(r => r.Status == "MayHaveBeenSent").SelectMany(r => r.Receivers).ToArray();

    /// <summary>Receivers of requests Lark refused or the run never sent: sending again reaches them (with -Journal, only them).</summary>
    public LarkBroadcastReceiver[] NotSent => RequestResults.Where(r => r.Status is "Refused" or "NotSent").SelectMany(r => r.Receivers).ToArray();

    /// <summary>
    /// Receivers left out because a department given already reaches them (a user in its subtree, a department inside
    /// it): Lark might deliver them a second copy. Each Reason names the department.
    /// </summary>
    public LarkBroadcastReceiver[] Covered { get; internal set; } = Array.Empty<LarkBroadcastReceiver>();

    /// <summary>How many receivers were left out as <see cref="Covered"/>.</summary>
    public int CoveredByDepartment => Covered.Length;

    /// <summary>Receivers an earlier run of the same -Journal already sent to (or may have): not sent again.</summary>
    public int SkippedByJournal { get; }

    /// <summary>From the first request until every request was answered.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Every request of the run, in order.</summary>
    public IReadOnlyList<LarkBroadcastRequest> RequestResults { get; }
}

/// <summary>Progress and reads of one broadcast (Get-LarkBroadcast): Lark's counts summed over its batch messages.</summary>
public sealed class LarkBroadcastProgress
{
    internal LarkBroadcastProgress(string[] messageIds) => MessageIds = messageIds;

    public string[] MessageIds { get; }

    /// <summary>Users the batches reach (Lark's valid_user_ids_count; 0 until a batch is scheduled).</summary>
    public int Valid { get; internal set; }

    /// <summary>Users the message was pushed to so far.</summary>
    public int Succeeded { get; internal set; }

    /// <summary>Users who read it.</summary>
    public int Read { get; internal set; }

    /// <summary>Batches Lark has scheduled (valid count above 0).</summary>
    public int Scheduled { get; internal set; }

    public bool Recalled { get; internal set; }

    /// <summary>Copies taken back so far (a recall is asynchronous).</summary>
    public int RecallCount { get; internal set; }

    /// <summary>
    /// True when every batch is scheduled and pushed to all its valid users. Users outside the bot's contact scope are
    /// counted valid but never succeed, so a broadcast can stay short of done for good.
    /// </summary>
    public bool Done => Scheduled == MessageIds.Length && Succeeded >= Valid;

    /// <summary>Percent pushed of valid (0 before scheduling).</summary>
    public int PercentComplete => Valid == 0 ? 0 : (int)Math.Min(100, Succeeded * 100L / Valid);
}
