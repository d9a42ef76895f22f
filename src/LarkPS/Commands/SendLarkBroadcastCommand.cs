using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using LarkPS.Api;
using LarkPS.Broadcast;
using LarkPS.Commands.Support;
using LarkPS.Journal;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Send-LarkBroadcast: one message to departments and many users with Lark's batch messages (up to 200 ids a request,
/// fanned out by Lark): receivers de-duplicated (a user a department given reaches is left out), e-mail addresses and
/// phone numbers resolved 50 to a call, requests of at most 200, and
/// no blind retries (a batch has no uuid): what may have been sent is reported, never resent by itself.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "LarkBroadcast", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LarkBroadcast))]
public sealed partial class SendLarkBroadcastCommand : LarkCmdlet
{
    private readonly List<LarkBroadcastReceiver> _receivers = new();
    private int _pipedItems;
    private LarkConnection? _connection;
    private PreparedItem? _content;

    /// <summary>Receivers from the pipeline: Get-LarkUser or Get-LarkDepartment output, CSV rows with an OpenId or Email column, ids or addresses.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Departments by name, path (Engineering/Platform), open_department_id (od-…) or custom id: each reaches its whole subtree.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DepartmentCompleter))]
    public string[]? Department { get; set; }

    /// <summary>Users by open_id (ou_…), union_id (on_…) or user_id.</summary>
    [Parameter]
    [Alias("OpenId")]
    public string[]? UserId { get; set; }

    /// <summary>Users by e-mail address (resolved to open_ids, 50 to a call).</summary>
    [Parameter]
    public string[]? Email { get; set; }

    /// <summary>Users by phone number (mainland China bare or +86, elsewhere + and the country code; resolved to open_ids, 50 to a call).</summary>
    [Parameter]
    [Alias("Mobile")]
    public string[]? Phone { get; set; }

    /// <summary>text (default), post, image, interactive or share_chat: the types Lark's batch messages take.</summary>
    [Parameter]
    [Alias("msg_type", "MsgType")]
    [ArgumentCompleter(typeof(ContentTypeCompleter))]
    public string? ContentType { get; set; }

    /// <summary>The content: its JSON string, a hashtable or object, or for text a plain string (as Send-LarkMessage takes it).</summary>
    [Parameter(Position = 0)]
    public object? Content { get; set; }

    /// <summary>A shortcut for a text message: the text itself.</summary>
    [Parameter]
    public string? Text { get; set; }

    /// <summary>An image to upload and send as an image message.</summary>
    [Parameter]
    public string? ImagePath { get; set; }

    /// <summary>Sends cards shared (config.update_multi:true), as Send-LarkMessage -Updatable does.</summary>
    [Parameter]
    [Alias("UpdateMulti")]
    public SwitchParameter Updatable { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    /// <summary>How many batch requests may be in flight at once (paced by Lark's 50/s and 1000/min for batch_send).</summary>
    [Parameter]
    [ValidateRange(1, 16)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>
    /// A file recording each request's receivers (salted hashes) and Lark's answer. Run the same command again with it:
    /// only receivers whose request was never accepted, and never left without an answer, are sent.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Journal { get; set; }

    /// <summary>With -Journal: also send to receivers whose earlier request left without an answer (after you checked they did not get it).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        var whatIf = MessageChangeInput.IsWhatIf(this);
        var connection = whatIf ? Connection ?? ConnectionStore.Current : RequireAppConnection(Connection, "sends batch messages (POST /open-apis/message/v4/batch_send/)");
        _connection = connection is { IsClosed: false, Kind: LarkConnectionKind.App } ? connection : null;
        _content = PrepareContent();
        foreach (var id in UserId ?? Array.Empty<string>())
        {
            _receivers.Add(BroadcastInputs.FromString(id, id));
        }

        foreach (var email in Email ?? Array.Empty<string>())
        {
            _receivers.Add(new LarkBroadcastReceiver(BroadcastRun.Email, email.Trim(), email, email));
        }

        foreach (var phone in Phone ?? Array.Empty<string>())
        {
            _receivers.Add(BroadcastInputs.FromPhone(phone, phone));
        }
    }

    protected override void ProcessRecord()
    {
        if (InputObject is { } piped && (MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))))
        {
            _receivers.AddRange(BroadcastInputs.FromPiped(piped, ++_pipedItems));
        }
    }

    protected override void EndProcessing()
    {
        AddDepartments();
        // Receivers that cannot be sent to as given: an error each, and listed in the result's Invalid with the rest.
        var rejected = _receivers.Where(r => r.Reason is not null).ToList();
        foreach (var bad in rejected)
        {
            WriteError(ReceiverError(bad));
        }

        var given = BroadcastRun.Distinct(_receivers.Where(r => r.Reason is null));
        if (given.Count == 0)
        {
            // Receivers were given but none can get it (each said why above), or none were given at all.
            WriteError(rejected.Count > 0 || Department is { Length: > 0 }
                ? NoneCanGetIt()
                : ErrorRecords.WithFix(new ArgumentException("The broadcast has no receivers."), ErrorIds.BroadcastNoReceivers, ErrorCategory.InvalidArgument, null,
                    "Give -Department, -UserId, -Email or -Phone, or pipe users (Get-LarkUser, Import-Csv rows with an OpenId, Email or Phone column). Nothing was sent."));
            return;
        }

        var content = MakeContent(upload: false);
        if (content is null)
        {
            return;
        }

        // -WhatIf shows the content a send would carry (local images as placeholders until uploaded).
        WriteVerbose($"Content ({content.MsgType}, batch_send's {content.Field}): {Encoding.UTF8.GetString(content.Json)}");
        var (ready, invalid, covered) = Resolve(given);
        if (ready.Count == 0)
        {
            // Every address and number was one Lark does not show (each said so above): no request, as when none was given.
            WriteError(NoneCanGetIt());
            return;
        }

        var requests = ready.GroupBy(r => BroadcastRun.ListOf(r.Kind))
            .Sum(g => (g.Count() + BroadcastRun.MaxPerRequest - 1) / BroadcastRun.MaxPerRequest);
        var target = Count(ready.Count, "receiver") + " (" + string.Join(", ", ready.GroupBy(r => r.Kind).Select(g => Count(g.Count(), g.Key))) + ")"
            + (covered.Count == 0 ? string.Empty : $"; {Count(covered.Count, "receiver")} left out, reached by a department given");
        var action = $"Send {ContentTypes.WithArticle(content.MsgType)} broadcast in {Count(requests, "batch request")} of at most {BroadcastRun.MaxPerRequest}"
            + (Journal is null ? string.Empty : " (before -Journal skips what an earlier run sent)");
        if (!ShouldProcess(target, action) || _connection is null)
        {
            return;
        }

        content = MakeContent(upload: true) ?? content;
        using var journal = OpenJournal();
        var run = new BroadcastRun(_connection.BatchMessages, _connection.Users, journal, ThrottleLimit, Force);
        var planned = run.Plan(content, ready, out var skipped, out var unconfirmed);
        if (skipped > 0)
        {
            WriteVerbose($"Journal {journal!.Path}: {Count(skipped, "receiver")} already sent by an earlier run" + (unconfirmed > 0 ? $" ({unconfirmed} of them may have been sent; -Force sends to those too)" : string.Empty) + ".");
        }

        var elapsed = RunAsync(_connection, ct => run.SendAsync(content, planned, invalid, ct));
        foreach (var reason in Drain(_connection.BatchMessages.RetryReasons))
        {
            WriteVerbose(reason);
        }

        foreach (var request in planned.Where(r => r.Status != "Accepted"))
        {
            WriteError(RequestError(request));
        }

        foreach (var bad in invalid.Where(r => r.Kind is not (BroadcastRun.Email or BroadcastRun.Phone)))
        {
            WriteVerbose($"Lark named {bad} invalid.");
        }

        WriteObject(new LarkBroadcast(content.MsgType, planned, rejected.Concat(invalid).ToList(), skipped, elapsed) { Covered = covered.ToArray() });
    }

    // With a connection (a send, or -WhatIf with one: read-only look-ups, so it counts what a send would): e-mail
    // addresses and phone numbers to open_ids, then no receiver twice (BroadcastCoverage). Without one: as given.
    private (List<LarkBroadcastReceiver> Ready, List<LarkBroadcastReceiver> Invalid, List<LarkBroadcastReceiver> Covered) Resolve(List<LarkBroadcastReceiver> given)
    {
        if (_connection is null)
        {
            return (given, new List<LarkBroadcastReceiver>(), new List<LarkBroadcastReceiver>());
        }

        var resolver = new BroadcastRun(_connection.BatchMessages, _connection.Users, null, ThrottleLimit, Force);
        var (ready, invalid) = RunAsync(_connection, ct => resolver.ResolveAsync(given, BroadcastInputs.LookupValueOf, ct));
        foreach (var bad in invalid)
        {
            WriteError(ReceiverError(bad));
        }

        var coverage = RunAsync(_connection, ct => new BroadcastCoverage(_connection.Departments).PruneAsync(ready, ct));
        if (coverage.Warning is { } warning)
        {
            WriteWarning($"Send-LarkBroadcast {warning}: the users are sent as given, so one a department also reaches may get the message twice. Give the app the contact scope of the departments (contact:department.base:readonly, contact:user.base:readonly) to have them left out.");
        }

        foreach (var left in coverage.Covered)
        {
            WriteVerbose($"Left out {left}: {left.Reason}.");
        }

        if (coverage.Covered.Count > 0)
        {
            WriteVerbose($"{Count(coverage.Covered.Count, "receiver")} left out: a department given already reaches them (Lark might deliver a second copy).");
        }

        return (coverage.Kept, invalid, coverage.Covered);
    }

    private void AddDepartments()
    {
        if (Department is not { Length: > 0 } names)
        {
            return;
        }

        if (_connection is null)
        {
            // -WhatIf without a connection: ids as given, names counted as given.
            _receivers.AddRange(names.Select(n => new LarkBroadcastReceiver(BroadcastRun.Department, n, n, n)));
            return;
        }

        IReadOnlyList<LarkDepartment> tree;
        try
        {
            tree = RunAsync(_connection, ct => _connection.Departments.GetTreeAsync(false, ct));
        }
        catch (LarkApiException ex)
        {
            // Names cannot be resolved without the tree: nothing is sent, so nobody gets a part of the broadcast.
            ThrowTerminatingError(SendErrors.For(ex, names, "the department tree (to resolve -Department; nothing was sent)", "list"));
            return;
        }

        foreach (var department in BroadcastInputs.ResolveDepartments(names, tree, WriteError, sending: true))
        {
            WriteVerbose($"Department {department.Path} ({department.OpenDepartmentId}): {department.MemberCount} member(s) in its subtree.");
            _receivers.Add(new LarkBroadcastReceiver(BroadcastRun.Department, department.OpenDepartmentId, department.Path, department));
        }
    }

    private BroadcastJournal? OpenJournal()
    {
        if (Journal is null)
        {
            return null;
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Journal);
        try
        {
            var journal = BroadcastJournal.Open(path);
            WriteVerbose($"Journal {path}: {journal.Count} receiver(s) recorded by earlier runs.");
            return journal;
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException or System.IO.InvalidDataException)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, ErrorIds.InvalidMessage, ErrorCategory.OpenError, Journal,
                "Give -Journal a new file, or the file an earlier Send-LarkBroadcast wrote. Nothing was sent."));
            return null;
        }
    }

    private static ErrorRecord NoneCanGetIt() =>
        ErrorRecords.WithFix(new ArgumentException("None of the receivers given can get the broadcast: nothing was sent."), ErrorIds.BroadcastNoReceivers, ErrorCategory.InvalidArgument, null,
            "Correct the receivers the errors before this one name, and run the command again.");

    // The problem in the message, what to do in the recommendation (the other receivers are sent either way).
    private static ErrorRecord ReceiverError(LarkBroadcastReceiver receiver) =>
        ErrorRecords.WithFix(new ArgumentException($"Receiver {receiver.Input} ({receiver.Kind}) gets no broadcast: {receiver.Reason}."),
            ErrorIds.BroadcastReceiverInvalid, ErrorCategory.InvalidArgument, receiver.Source ?? receiver.Input,
            (receiver.Fix ?? "Correct or remove it.") + " The other receivers are sent.");

    private static ErrorRecord RequestError(LarkBroadcastRequest request)
    {
        var what = $"Batch request {request.Index} ({Count(request.Receivers.Count, "receiver")}, {request.Kind})";
        if (request.Status == "MayHaveBeenSent")
        {
            return ErrorRecords.WithFix(new TimeoutException($"{what} may have been sent: {request.Reason}. LarkPS does not send it again by itself (a batch request has no uuid: Lark would deliver it twice)."),
                ErrorIds.BroadcastMayHaveBeenSent, ErrorCategory.OperationTimeout, request,
                "Lark gave no batch message id for it, so Get-LarkBroadcast cannot follow it: ask one or two of its receivers (the broadcast's MayHaveBeenSent lists them) whether it arrived. If it did not, run the same command with the same -Journal and -Force to send to exactly them.");
        }

        if (request.Error is LarkApiException lark)
        {
            return SendErrors.For(lark, request, what, "send");
        }

        return ErrorRecords.WithFix(new OperationCanceledException($"{what} was not sent: {request.Reason}."), ErrorIds.BroadcastRefused, ErrorCategory.OperationStopped, request,
            "Run the same command again with the same -Journal: only receivers not yet sent are sent.");
    }

    private static IEnumerable<string> Drain(System.Collections.Concurrent.ConcurrentQueue<string> queue)
    {
        while (queue.TryDequeue(out var item))
        {
            yield return item;
        }
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");


}
