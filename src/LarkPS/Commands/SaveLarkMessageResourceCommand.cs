using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Save-LarkMessageResource (issue 25): the images and files of piped messages (Get-LarkMessage, events) saved into a
/// folder, each streamed to disk as it downloads (never whole in memory), under a name that cannot leave the folder
/// (whatever name Lark reports), never over an existing file without -Force, with Write-Progress as bytes arrive.
/// Writes a FileInfo per saved file, with MessageId, FileKey and ResourceType added.
/// </summary>
[Cmdlet(VerbsData.Save, "LarkMessageResource", SupportsShouldProcess = true, DefaultParameterSetName = MessageSet)]
[OutputType(typeof(FileInfo))]
public sealed class SaveLarkMessageResourceCommand : LarkCmdlet
{
    public const string MessageSet = "Message";
    public const string KeySet = "FileKey";

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(200);

    private LarkConnection? _connection;
    private string? _folder;
    private int _saved;

    /// <summary>The message (om_…) whose resources to save; Get-LarkMessage's and events' output pipe in.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("message_id")]
    [AllowEmptyString]
    public string? MessageId { get; set; }

    /// <summary>The message's type (image, file, audio, media, post), by property name; other types have no resources.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    [Alias("msg_type", "message_type")]
    [AllowNull]
    [AllowEmptyString]
    public string? MessageType { get; set; }

    /// <summary>The message's parsed content (a hashtable, or its JSON), by property name: the keys are read from it.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public object? Content { get; set; }

    /// <summary>One key of the message to save (img_… or file_…), instead of reading them from its content.</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeySet)]
    [Alias("file_key", "image_key")]
    [ValidateNotNullOrEmpty]
    public string? FileKey { get; set; }

    /// <summary>With -FileKey: image or file (default: image for an img_ key, file otherwise).</summary>
    [Parameter(ParameterSetName = KeySet)]
    [ValidateSet("image", "file")]
    public string? Type { get; set; }

    /// <summary>The folder to save into (created if missing).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Overwrite a file of the same name; without it, an existing file is an error and is kept.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void BeginProcessing()
    {
        _folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!MessageChangeInput.IsWhatIf(this))
        {
            _connection = RequireAppConnection(Connection, "downloads messages' resources (GET /open-apis/im/v1/messages/{id}/resources/{key})");
        }
    }

    protected override void ProcessRecord()
    {
        var id = MessageChangeInput.CheckMessageId(MessageId, MessageId, out var problem);
        if (id is null)
        {
            WriteError(problem!);
            return;
        }

        var messageType = MessageType;
        IReadOnlyList<MessageResource> resources;
        if (ParameterSetName == KeySet)
        {
            resources = new[] { new MessageResource(FileKey!.Trim(), Type ?? (FileKey!.Trim().StartsWith("img_", StringComparison.Ordinal) ? "image" : "file"), null) };
        }
        else if (string.IsNullOrEmpty(MessageType) && Content is null)
        {
            // Only the id came (Send-LarkMessage's output, a bare MessageId): its content says what to save, so read it.
            if (MessageChangeInput.IsWhatIf(this))
            {
                ShouldProcess($"the images and files of message {id} (read first)", "Save into " + _folder);
                return;
            }

            var message = Read(id);
            if (message is null)
            {
                return;
            }

            messageType = message.Deleted ? message.MessageType + ", recalled" : message.MessageType;
            resources = ResourceFiles.Of(message.MessageType, message.Content);
        }
        else
        {
            resources = ResourceFiles.Of(MessageType, Content is PSObject p ? p.BaseObject : Content);
        }

        if (resources.Count == 0)
        {
            WriteVerbose($"Message {id} ({messageType ?? "no type"}) has no image or file to save.");
            return;
        }

        foreach (var resource in resources)
        {
            if (ShouldProcess($"{resource.Type} {resource.Key} of message {id}", "Save into " + _folder))
            {
                Save(id, resource);
            }
        }
    }

    protected override void EndProcessing()
    {
        WriteProgress(new ProgressRecord(1, "Save-LarkMessageResource", "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Save-LarkMessageResource: {_saved} file(s) saved into {_folder}.");
    }

    // GET /open-apis/im/v1/messages/{id}: the message whose content names its images and files; null after an error.
    private LarkPS.Events.LarkMessage? Read(string id)
    {
        var connection = _connection ??= RequireAppConnection(Connection, "downloads messages' resources");
        try
        {
            using var debug = RequestDebug.Watching(this, connection);
            return RunAsync(connection, ct => connection.History.GetAsync(id, ct)).Select(LarkPS.Events.HistoryItemParser.Parse).FirstOrDefault();
        }
        catch (LarkApiException ex)
        {
            WriteError(GetLarkMessageCommand.LarkFailure(ex, MessageId, "Could not read message " + id + " to find its images and files: " + ex.Message));
            return null;
        }
    }

    private void Save(string id, MessageResource resource)
    {
        var connection = _connection ??= RequireAppConnection(Connection, "downloads messages' resources");
        try
        {
            Directory.CreateDirectory(_folder!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, ErrorIds.ResourceFileFailed, ErrorCategory.WriteError, _folder, "Give -Path a folder you may write to."));
        }

        var sink = new PartFileSink(_folder!);
        var what = $"{resource.Type} {resource.Key} of message {id}";
        try
        {
            Download(connection, id, resource, sink, what);
            var name = ResourceFiles.SafeName(sink.Headers?.FileName, resource.ContentFileName, resource.Key, sink.Headers?.ContentType);
            var target = System.IO.Path.Combine(_folder!, name);
            if (!ResourceFiles.IsInside(_folder!, target))
            {
                // SafeName keeps one path segment: this is a second line of defence.
                throw new InvalidOperationException("The file name '" + name + "' would leave " + _folder + ".");
            }

            if (File.Exists(target) && !Force)
            {
                sink.Discard();
                WriteError(ErrorRecords.WithFix(
                    new IOException($"'{target}' already exists: the {what} was not saved over it."),
                    ErrorIds.ResourceExists, ErrorCategory.ResourceExists, MessageId,
                    "Add -Force to overwrite it, or save into another -Path."));
                return;
            }

            if (File.Exists(target))
            {
                File.Delete(target);
            }

            File.Move(sink.PartPath, target);
            _saved++;
            var file = Saved(target);
            file.Properties.Add(new PSNoteProperty("MessageId", id));
            file.Properties.Add(new PSNoteProperty("FileKey", resource.Key));
            file.Properties.Add(new PSNoteProperty("ResourceType", resource.Type));
            WriteObject(file);
        }
        catch (LarkApiException ex)
        {
            sink.Discard();
            WriteError(GetLarkMessageCommand.LarkFailure(ex, MessageId, "Could not save the " + what + ": " + ex.Message));
        }
        catch (Exception ex) when (ex is AnswerSinkException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            sink.Discard();
            WriteError(ErrorRecords.WithFix(ex, ErrorIds.ResourceFileFailed, ErrorCategory.WriteError, MessageId,
                "Check that -Path is a folder you may write to, with room for the file."));
        }
        finally
        {
            while (connection.History.RetryReasons.TryDequeue(out var reason))
            {
                WriteVerbose("Downloading: " + reason);
            }
        }
    }

    // The file as Get-Item writes it (PSPath, PSParentPath, the provider's Unix mode and size), so the default
    // FileSystem view shows its mode, size and folder; a bare FileInfo shows those columns empty.
    private PSObject Saved(string target)
    {
        try
        {
            var items = InvokeProvider.Item.Get(new[] { "Microsoft.PowerShell.Core\\FileSystem::" + target }, false, true);
            if (items.Count == 1 && items[0].BaseObject is FileInfo)
            {
                return items[0];
            }
        }
        catch (Exception ex) when (ex is ProviderNotFoundException or ItemNotFoundException or ProviderInvocationException or NotSupportedException or ArgumentException)
        {
            // Kept as a bare FileInfo below: the file is saved either way.
        }

        return PSObject.AsPSObject(new FileInfo(target));
    }

    // The download runs on its own; the pipeline thread shows its bytes as they arrive (only it may write progress).
    private void Download(LarkConnection connection, string id, MessageResource resource, PartFileSink sink, string what)
    {
        using var debug = RequestDebug.Watching(this, connection);
        var task = Task.Run(() => connection.History.DownloadAsync(id, resource.Key, resource.Type, sink, StopToken));
        try
        {
            while (!task.Wait(ProgressEvery))
            {
                var total = sink.Headers?.Length;
                var record = new ProgressRecord(1, "Save-LarkMessageResource", "Saving " + what)
                {
                    CurrentOperation = sink.Written.ToString("N0", CultureInfo.InvariantCulture) + " bytes" + (total is { } t ? " of " + t.ToString("N0", CultureInfo.InvariantCulture) : string.Empty),
                    PercentComplete = total is > 0 ? (int)Math.Min(100, sink.Written * 100 / total.Value) : -1,
                };
                WriteProgress(record);
            }
        }
        catch (AggregateException)
        {
            // Rethrown below with its own type.
        }

        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            sink.Discard();
            throw new PipelineStoppedException();
        }
    }
}
