using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Events;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Get-LarkMessage (issue 25): a chat's messages (-ChatId, or a chat's exact name), a thread's (-ThreadId), the
/// replies of a piped message (-Replies), or one message (-MessageId), read back as Lark pages them (50 a page) and
/// written page by page as they come, so memory stays flat however long the history. -After / -Before select by
/// create time; -First stops paging once it has enough.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LarkMessage", DefaultParameterSetName = IdSet, SupportsPaging = true)]
[OutputType(typeof(LarkMessage))]
public sealed class GetLarkMessageCommand : LarkCmdlet
{
    public const string IdSet = "MessageId";
    public const string ChatSet = "Chat";
    public const string ThreadSet = "Thread";
    public const string RepliesSet = "Replies";

    private LarkConnection? _connection;

    /// <summary>The chat (oc_…), or the exact name of a chat the bot is in; Get-LarkChat's output pipes in.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ChatSet, ValueFromPipelineByPropertyName = true)]
    [Alias("chat_id")]
    [ArgumentCompleter(typeof(ChatNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ChatId { get; set; }

    /// <summary>A thread (omt_…): its root and replies. With -Replies, taken from the piped message where it has one.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ThreadSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = RepliesSet, ValueFromPipelineByPropertyName = true)]
    [Alias("thread_id")]
    [AllowNull]
    [AllowEmptyString]
    public string? ThreadId { get; set; }

    /// <summary>One message (om_…), or with -Replies the message whose replies to list; Send-LarkMessage's and events' output pipe in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = RepliesSet, ValueFromPipelineByPropertyName = true)]
    [Alias("message_id")]
    [AllowEmptyString]
    public string? MessageId { get; set; }

    /// <summary>The replies of -MessageId: its thread's messages, or the replies to it in its chat.</summary>
    [Parameter(ParameterSetName = RepliesSet)]
    public SwitchParameter Replies { get; set; }

    /// <summary>Messages created at or after this time (local unless the DateTime says UTC).</summary>
    [Parameter(ParameterSetName = ChatSet)]
    [Parameter(ParameterSetName = ThreadSet)]
    [Parameter(ParameterSetName = RepliesSet)]
    public DateTime After { get; set; }

    /// <summary>Messages created before this time.</summary>
    [Parameter(ParameterSetName = ChatSet)]
    [Parameter(ParameterSetName = ThreadSet)]
    [Parameter(ParameterSetName = RepliesSet)]
    public DateTime Before { get; set; }

    /// <summary>Newest first (Lark's ByCreateTimeDesc); oldest first without it.</summary>
    [Parameter(ParameterSetName = ChatSet)]
    [Parameter(ParameterSetName = ThreadSet)]
    [Parameter(ParameterSetName = RepliesSet)]
    public SwitchParameter Descending { get; set; }

    /// <summary>The newest this many messages, written oldest first (as a chat shows them); not with -Descending, -First or -Skip.</summary>
    [Parameter(ParameterSetName = ChatSet)]
    [Parameter(ParameterSetName = ThreadSet)]
    [Parameter(ParameterSetName = RepliesSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void BeginProcessing() =>
        _connection = RequireAppConnection(Connection, "reads messages back (GET /open-apis/im/v1/messages)");

    protected override void ProcessRecord()
    {
        var connection = _connection!;
        DateTimeOffset? after = MyInvocation.BoundParameters.ContainsKey(nameof(After)) ? new DateTimeOffset(After) : null;
        DateTimeOffset? before = MyInvocation.BoundParameters.ContainsKey(nameof(Before)) ? new DateTimeOffset(Before) : null;
        if (after is { } from && before is { } to && from >= to)
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException($"-After ({from:u}) is not before -Before ({to:u}): no message can be in between."),
                ErrorIds.InvalidTimeRange, ErrorCategory.InvalidArgument, (object?)ChatId ?? ThreadId ?? MessageId,
                "Give -After an earlier time than -Before, e.g. -After (Get-Date).AddDays(-7) -Before (Get-Date)."));
            return;
        }

        if (LastGiven && (Descending || PagingParameters.First != ulong.MaxValue || PagingParameters.Skip != 0))
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException("-Last " + Last + " reads the newest messages and writes them oldest first: it does not go with -Descending, -First or -Skip."),
                ErrorIds.LastWithPaging, ErrorCategory.InvalidArgument, (object?)ChatId ?? ThreadId ?? MessageId,
                "Give -Last alone (the newest " + Last + ", oldest first), or -Descending -First " + Last + " (the newest first)."));
            return;
        }

        try
        {
            switch (ParameterSetName)
            {
                case ChatSet:
                    if (ResolveChat(connection, ChatId!) is { } chatId)
                    {
                        var (start, end) = HistoryWalk.Seconds(after, before);
                        Walk(connection, new HistoryWalk(new HistoryQuery("chat", chatId, start, end, NewestFirst), after, before, Skip, First), chatId);
                    }

                    break;
                case ThreadSet:
                    Walk(connection, new HistoryWalk(new HistoryQuery("thread", ThreadId!.Trim(), null, null, NewestFirst), after, before, Skip, First), ThreadId);
                    break;
                case RepliesSet:
                    WriteReplies(connection, after, before);
                    break;
                default:
                    WriteOne(connection);
                    break;
            }
        }
        finally
        {
            while (connection.History.RetryReasons.TryDequeue(out var reason))
            {
                WriteVerbose("Reading messages: " + reason);
            }

            ChatNameReceivers.WriteRetries(connection, WriteVerbose);
        }
    }

    private ulong Skip => PagingParameters.Skip;

    // -Last N: the newest N (newest first from Lark, so paging stops at N), written oldest first at the end.
    // ValidateRange keeps a given -Last at 1 or more: 0 is its default, not given.
    private bool LastGiven => Last > 0;

    private ulong First => LastGiven ? (ulong)Last : PagingParameters.First;

    private bool NewestFirst => Descending || LastGiven;

    private void WriteOne(LarkConnection connection)
    {
        var id = MessageChangeInput.CheckMessageId(MessageId, MessageId, out var problem);
        if (id is null)
        {
            WriteError(problem!);
            return;
        }

        if (Fetch(connection, id) is { } items)
        {
            foreach (var message in items)
            {
                WriteObject(message);
            }
        }
    }

    private void WriteReplies(LarkConnection connection, DateTimeOffset? after, DateTimeOffset? before)
    {
        var id = MessageChangeInput.CheckMessageId(MessageId, MessageId, out var problem);
        if (id is null)
        {
            WriteError(problem!);
            return;
        }

        var root = Fetch(connection, id)?.FirstOrDefault(m => m.MessageId == id);
        if (root is null)
        {
            return;
        }

        var thread = string.IsNullOrWhiteSpace(ThreadId) ? root.ThreadId : ThreadId!.Trim();
        if (thread is not null)
        {
            // A thread lists its root too: the replies are the rest.
            Walk(connection, new HistoryWalk(new HistoryQuery("thread", thread, null, null, NewestFirst), after, before, Skip, First, m => m.MessageId != id), thread);
            return;
        }

        // Replies outside a thread stay in the chat, after their root: walk from the root's second, keep its chain.
        var start = root.CreateTime is { } created && (after is null || created > after) ? created : after;
        var (startSeconds, endSeconds) = HistoryWalk.Seconds(start, before);
        Walk(connection, new HistoryWalk(new HistoryQuery("chat", root.ChatId ?? string.Empty, startSeconds, endSeconds, NewestFirst), after, before, Skip, First, m => m.RootId == id), root.ChatId);
    }

    private List<LarkMessage>? Fetch(LarkConnection connection, string id)
    {
        try
        {
            return RunAsync(connection, ct => connection.History.GetAsync(id, ct)).Select(HistoryItemParser.Parse).ToList();
        }
        catch (LarkApiException ex)
        {
            WriteError(LarkFailure(ex, id, "Could not get message " + id + ": " + ex.Message));
            return null;
        }
    }

    private void Walk(LarkConnection connection, HistoryWalk walk, object? target)
    {
        var newest = LastGiven ? new List<LarkMessage>() : null;
        var read = WalkPages(connection, walk, target, newest);

        // What was read is written even when a later page failed; oldest first, as the chat shows it.
        for (var i = (newest?.Count ?? 0) - 1; i >= 0; i--)
        {
            WriteObject(newest![i]);
        }

        if (!read)
        {
            return;
        }

        WriteVerbose($"Get-LarkMessage: {walk.Written} messages from {walk.Pages} page(s) of {walk.Query.ContainerType} {walk.Query.ContainerId}" +
            (walk.StoppedAtFirst ? (LastGiven ? " (stopped at -Last)." : " (stopped at -First).") : "."));
        if (PagingParameters.IncludeTotalCount && !walk.StoppedAtFirst)
        {
            WriteObject(PagingParameters.NewTotalCount(walk.Written + Skip, 1.0));
        }
    }

    // False when a page could not be read (the error is written).
    private bool WalkPages(LarkConnection connection, HistoryWalk walk, object? target, List<LarkMessage>? newest)
    {
        while (walk.WantsPage)
        {
            LarkPage page;
            try
            {
                page = RunAsync(connection, ct => connection.History.ListPageAsync(walk.Query, walk.PageToken, ct));
            }
            catch (LarkApiException ex)
            {
                WriteError(LarkFailure(ex, target, "Could not read the messages of " + walk.Query.ContainerType + " " + walk.Query.ContainerId + ": " + ex.Message));
                return false;
            }

            foreach (var message in walk.Take(page))
            {
                if (newest is null)
                {
                    WriteObject(message);
                }
                else
                {
                    newest.Add(message);
                }
            }
        }

        return true;
    }

    // A chat given by name is the one chat of the bot with exactly that name.
    private string? ResolveChat(LarkConnection connection, string given)
    {
        var name = given.Trim();
        if (name.StartsWith("oc_", StringComparison.Ordinal))
        {
            return name;
        }

        IReadOnlyList<LarkChat> chats;
        try
        {
            chats = RunAsync(connection, ct => connection.Chats.GetAsync(false, ct));
        }
        catch (LarkApiException ex)
        {
            WriteError(LarkFailure(ex, given, "Could not list the bot's chats to find '" + name + "': " + ex.Message));
            return null;
        }

        var (matches, candidates) = ChatNames.Find(chats, name);
        if (matches.Count == 1)
        {
            return matches[0].ChatId;
        }

        WriteError(matches.Count > 1
            ? ErrorRecords.WithFix(
                new ArgumentException($"{matches.Count} of the bot's chats are named '{name}': {ChatNames.List(matches)}."),
                ErrorIds.ChatNameAmbiguous, ErrorCategory.InvalidArgument, given,
                "Give one of them by its chat_id (oc_…); Get-LarkChat -Name '" + name + "' lists them.")
            : ErrorRecords.WithFix(
                new ItemNotFoundException($"The bot is in no chat named '{name}' (names must match exactly)." + (candidates.Count == 0 ? string.Empty : " Similar names: " + ChatNames.List(candidates) + ".")),
                ErrorIds.ChatNotFound, ErrorCategory.ObjectNotFound, given,
                "Check the name with Get-LarkChat (or Get-LarkChat -Force after adding the bot to the chat), or give the chat_id (oc_…)."));
        return null;
    }

    internal static ErrorRecord LarkFailure(LarkApiException ex, object? target, string message) =>
        ErrorRecords.WithFix(ex, ex.Row.ErrorId, ex.Row.Category, target, ex.Row.Fix + (ex.LogId is null ? string.Empty : " (log id " + ex.LogId + ")"), message);
}
