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
/// fanned out by Lark): receivers de-duplicated, e-mail addresses resolved 50 to a call, requests of at most 200, and
/// no blind retries (a batch has no uuid): what may have been sent is reported, never resent by itself.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "LarkBroadcast", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LarkBroadcast))]
public sealed class SendLarkBroadcastCommand : LarkCmdlet
{
    private readonly List<LarkBroadcastReceiver> _receivers = new();
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
    }

    protected override void ProcessRecord()
    {
        if (InputObject is { } piped && (MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))))
        {
            _receivers.AddRange(BroadcastInputs.FromPiped(piped));
        }
    }

    protected override void EndProcessing()
    {
        AddDepartments();
        foreach (var bad in _receivers.Where(r => r.Reason is not null))
        {
            WriteError(ReceiverError(bad));
        }

        var given = BroadcastRun.Distinct(_receivers.Where(r => r.Reason is null));
        if (given.Count == 0)
        {
            WriteError(ErrorRecords.WithFix(new ArgumentException("The broadcast has no receivers."), ErrorIds.BroadcastNoReceivers, ErrorCategory.InvalidArgument, null,
                "Give -Department, -UserId or -Email, or pipe users (Get-LarkUser, Import-Csv rows with an OpenId or Email column). Nothing was sent."));
            return;
        }

        var content = MakeContent(upload: false);
        if (content is null)
        {
            return;
        }

        var requests = given.GroupBy(r => BroadcastRun.ListOf(r.Kind == BroadcastRun.Email ? BroadcastRun.OpenId : r.Kind))
            .Sum(g => (g.Count() + BroadcastRun.MaxPerRequest - 1) / BroadcastRun.MaxPerRequest);
        var target = Count(given.Count, "receiver") + " (" + string.Join(", ", given.GroupBy(r => r.Kind).Select(g => Count(g.Count(), g.Key))) + ")";
        var action = $"Send {ContentTypes.WithArticle(content.MsgType)} broadcast in {Count(requests, "batch request")} of at most {BroadcastRun.MaxPerRequest}"
            + (Journal is null ? string.Empty : " (before -Journal skips what an earlier run sent)");
        if (!ShouldProcess(target, action) || _connection is null)
        {
            return;
        }

        content = MakeContent(upload: true) ?? content;
        using var journal = OpenJournal();
        var run = new BroadcastRun(_connection.BatchMessages, _connection.Users, journal, ThrottleLimit, Force);
        var (ready, invalid) = RunAsync(_connection, ct => run.ResolveAsync(given, ct));
        foreach (var bad in invalid)
        {
            WriteError(ReceiverError(bad));
        }

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

        foreach (var bad in invalid.Where(r => r.Kind is not BroadcastRun.Email))
        {
            WriteVerbose($"Lark named {bad} invalid.");
        }

        WriteObject(new LarkBroadcast(content.MsgType, planned, invalid, skipped, elapsed));
    }

    private PreparedItem PrepareContent()
    {
        var input = new MessageInput
        {
            ReceiveType = ReceiveTypes.User,
            ReceiveId = OutgoingMessage.PlaceholderOpenId,
            ContentType = ContentType,
            Content = PSInputReader.UnwrapContent(Content),
            Text = Text,
            UpdateMulti = Updatable.IsPresent,
            Files = new LocalFilePaths { ImagePath = ImagePath },
        };
        var item = new InputItem(Content ?? Text, input, "the broadcast's content");
        var preparer = new ItemPreparer(_connection?.Transport ?? Transports.OfflineTransport.Instance, ChatNameLookup.Offline(null, WriteVerbose), ResolvePath, sending: true);
        var prepared = preparer.Prepare(item, null);
        if (prepared.Refusal is { } refusal)
        {
            ThrowTerminatingError(refusal);
        }

        if (!prepared.IsValid)
        {
            ThrowTerminatingError(ItemErrors.Invalid(item.Target, item.Description, prepared.Message!.Result));
        }

        return prepared;
    }

    // The content in batch_send's shape; with upload, local images uploaded first (once per content on the connection).
    private BroadcastContent? MakeContent(bool upload)
    {
        var message = _content!.Message!.Message!;
        var bytes = message.ContentUtf8;
        if (upload && _content.Uploads is { } uploads && _connection is not null)
        {
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in uploads.Files)
            {
                keys[file.Key] = RunAsync(_connection, ct => _connection.Uploads.GetKeyAsync(file.Value, ct));
            }

            bytes = Encoding.UTF8.GetBytes(Uploads.ItemUploads.Fill(message.Content, keys));
        }

        try
        {
            return BroadcastContent.From(message.MsgType, bytes);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(new ArgumentException("The broadcast's content cannot be sent as a batch message: " + ex.Message + "."),
                ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidData, Content ?? Text,
                "Change the content as said above, or send it per receiver with Send-LarkMessage. Nothing was sent."));
            return null;
        }
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

        var tree = RunAsync(_connection, ct => _connection.Departments.GetTreeAsync(false, ct));
        foreach (var department in BroadcastInputs.ResolveDepartments(names, tree, WriteError))
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

    private static ErrorRecord ReceiverError(LarkBroadcastReceiver receiver) =>
        ErrorRecords.WithFix(new ArgumentException($"Receiver {receiver.Input} ({receiver.Kind}) gets no broadcast: {receiver.Reason}"),
            ErrorIds.BroadcastReceiverInvalid, ErrorCategory.InvalidArgument, receiver.Source ?? receiver.Input,
            receiver.Reason);

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

    private string ResolvePath(string path, bool literal)
    {
        if (literal)
        {
            return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }

        var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
        return resolved.Count == 1 ? resolved[0] : throw new ArgumentException($"it matches {resolved.Count.ToString(CultureInfo.InvariantCulture)} files; give one");
    }
}
