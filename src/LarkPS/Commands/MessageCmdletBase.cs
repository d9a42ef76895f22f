using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using LarkPS.Session;
using LarkPS.Api;

namespace LarkPS.Commands;

/// <summary>
/// The input both Send-LarkMessage and Test-LarkMessage take: pipeline objects (bound by property name, hashtables,
/// DataRows, the seed's JSON body as text) or one message given as parameters.
/// </summary>
public abstract class MessageCmdletBase : LarkCmdlet
{
    public const string PipelineSet = "Pipeline";
    public const string MessageSet = "Message";

    /// <summary>
    /// An object with receiveType, receiveId, contentType, content and uuid properties (also Lark's receive_id_type,
    /// receive_id, msg_type, and the names people's data has: Email, Phone, ChatId, OpenId, Message…), a hashtable
    /// with those keys, or the seed's JSON message body as a string. The other parameters fill what an item lacks.
    /// </summary>
    // Nothing is mandatory: with pipeline input nothing may ever be prompted for (a scheduled task would hang);
    // a missing field is that item's InvalidMessage error instead.
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>user (open_id), email, phone, chat (chat_id), or Lark's open_id, union_id, user_id, email, chat_id; default: inferred from the id.</summary>
    [Parameter]
    [Alias("receive_id_type")]
    [ArgumentCompleter(typeof(ReceiveTypeCompleter))]
    public string? ReceiveType { get; set; }

    /// <summary>
    /// The receiver(s): open_ids (ou_…), e-mail addresses, phone numbers or chat_ids (oc_…); with -ReceiveType chat also
    /// a chat's exact name. One message to each; none on a webhook connection.
    /// </summary>
    [Parameter(Position = 0)]
    [Alias("receive_id")]
    [ArgumentCompleter(typeof(ReceiveIdCompleter))]
    public string[]? ReceiveId { get; set; }

    /// <summary>An image to upload and send as an image message (a PowerShell path: relative, PSDrive, wildcards resolving to one file); a default for items without content.</summary>
    [Parameter]
    public string? ImagePath { get; set; }

    /// <summary>A file to upload and send: .opus as audio, .mp4 as media, anything else as a file (file_type from the extension); a default for items without content.</summary>
    [Parameter]
    public string? FilePath { get; set; }

    /// <summary>A file taken literally (no wildcards): sent as an image when its bytes are one, else as a file; a default for items without content.</summary>
    [Parameter]
    public string? LiteralPath { get; set; }

    /// <summary>text (default), post, image, interactive, share_chat, share_user, audio, media, file, sticker.</summary>
    [Parameter]
    [Alias("msg_type", "MsgType")]
    [ArgumentCompleter(typeof(ContentTypeCompleter))]
    public string? ContentType { get; set; }

    /// <summary>The content: its JSON string, a hashtable or object (sent as JSON), or for text a plain string.</summary>
    [Parameter(Position = 1)]
    public object? Content { get; set; }

    /// <summary>A shortcut for a text message: the text itself.</summary>
    [Parameter]
    public string? Text { get; set; }

    /// <summary>An idempotency key (≤ 50 characters): Lark delivers one message per uuid within an hour.</summary>
    [Parameter]
    public string? Uuid { get; set; }

    /// <summary>Answers this message (om_…, Send-LarkMessage's MessageId) instead of sending to a receiver: the reply lands in its chat.</summary>
    [Parameter]
    [Alias("ParentId", "parent_id")]
    public string? ReplyTo { get; set; }

    /// <summary>With -ReplyTo: answers in the message's thread (opening one where there is none).</summary>
    [Parameter]
    public SwitchParameter ReplyInThread { get; set; }

    /// <summary>Sends cards shared (config.update_multi:true), so Set-LarkMessage can update them later: Lark updates only cards sent so.</summary>
    [Parameter]
    [Alias("UpdateMulti")]
    public SwitchParameter Updatable { get; set; }

    /// <summary>
    /// Markdown sent as a post (Lark's md node; headings, tables and HTML are not shown by Lark and are reported by
    /// Test-LarkMessage); a default for items without content. An item's markdown or md property does the same.
    /// </summary>
    [Parameter]
    [Alias("md")]
    public string? Markdown { get; set; }

    /// <summary>The title of the post -Markdown (or an item's markdown) makes.</summary>
    [Parameter]
    public string? Title { get; set; }

    /// <summary>
    /// People to mention in every message: e-mail addresses (looked up once, 50 a request, cached), open_ids (ou_…),
    /// users from Get-LarkUser, or 'all'. Written as each type needs: text, post (and -Markdown) and cards.
    /// </summary>
    [Parameter]
    public object[]? Mention { get; set; }

    private MessageItemReader? _reader;

    private MessageItemReader Reader => _reader ??= new MessageItemReader(MyInvocation.MyCommand.Name, WriteItemError, WriteVerbose);

    /// <summary>The number of the input last read ("item N"): its position in the run.</summary>
    private protected int ItemNumber => Reader.ItemNumber;

    /// <summary>
    /// The inputs of the current record, each with the object errors should name as TargetObject (a seed body
    /// string yields one input per message in it; -ReceiveId a,b one per receiver).
    /// </summary>
    private protected IEnumerable<InputItem> ReadCurrentInputs()
    {
        var parameters = ReadParameters();
        if (parameters is null)
        {
            return Array.Empty<InputItem>();
        }

        var fromPipeline = MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject));
        return Reader.Read(InputObject, fromPipeline, parameters);
    }

    /// <summary>
    /// The inputs left when the input ends: a JSON document piped line by line whose brackets never closed is one
    /// error (not one per line). Call from EndProcessing.
    /// </summary>
    private protected IEnumerable<InputItem> ReadRemainingInputs()
    {
        var parameters = Reader.HasPendingLines ? ReadParameters() : null;
        return parameters is null ? Array.Empty<InputItem>() : Reader.ReadRemaining(parameters);
    }

    /// <summary>
    /// The item path's preparation for this command: the connection's transport (the app API's rules with none),
    /// chat names looked up through the connection when there is one (read-only, cached), files resolved as
    /// PowerShell resolves paths.
    /// </summary>
    private protected ItemPreparer CreatePreparer(LarkConnection? connection, bool sending)
    {
        var usable = connection is { IsClosed: false } ? connection : null;
        Reader.NoReceiver = usable?.Kind == LarkConnectionKind.Webhook ? "the hook's group" : "no receiveId";
        var chats = usable is { Transport.HasOpenApi: true } app
            ? ChatNameLookup.Online(
                () =>
                {
                    try
                    {
                        return RunAsync(app, ct => app.Chats.GetAsync(false, ct));
                    }
                    finally
                    {
                        ChatNameReceivers.WriteRetries(app, WriteVerbose);
                    }
                },
                WriteVerbose)
            : ChatNameLookup.Offline(null, WriteVerbose);
        return new ItemPreparer(usable?.Transport ?? Transports.OfflineTransport.Instance, chats, ResolveFilePath, sending, ReadMentions(Mention, usable));
    }

    // The message parameters as defaults; null (with the error written) when they cannot be read.
    private MessageParameters? ReadParameters()
    {
        object? content;
        try
        {
            // Nested PSObjects (ConvertFrom-Json, hashtables built in a pipeline) become plain dictionaries and lists.
            content = PSInputReader.UnwrapContent(Content);
        }
        catch (Exception ex) when (ItemIsolation.IsItemFailure(ex))
        {
            WriteItemError(ErrorRecords.WithFix(ex, ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, Content,
                "Give -Content as a JSON string, a hashtable or an object that does not contain itself. Nothing was sent."));
            return null;
        }

        if (Content is not null && Text is not null)
        {
            WriteItemError(ErrorRecords.WithFix(
                new ArgumentException("Give either -Content or -Text, not both."),
                ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, ReceiveId,
                "Use -Text for a plain text message, -Content for any other content. Nothing was sent."));
            return null;
        }

        if (Markdown is not null && (Content is not null || Text is not null))
        {
            WriteItemError(ErrorRecords.WithFix(
                new ArgumentException("Give either -Markdown or " + (Content is not null ? "-Content" : "-Text") + ", not both: -Markdown is the message's content, sent as a post."),
                ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, ReceiveId,
                "Use -Markdown (with -Title) for a post written in markdown, -Text for plain text, -Content for any other content. Nothing was sent."));
            return null;
        }

        var files = new LocalFilePaths { ImagePath = ImagePath, FilePath = FilePath, LiteralPath = LiteralPath };
        if (!files.IsEmpty && (Content is not null || Text is not null || Markdown is not null))
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException("Give either a file (-ImagePath, -FilePath or -LiteralPath) or -Content / -Text, not both: a file is the message's content."),
                ErrorIds.InvalidMessage, ErrorCategory.InvalidArgument, ReceiveId,
                "Send the file and the text as two messages (two Send-LarkMessage calls), or put an image in a post with an img node that carries a path. Nothing was sent."));
            return null;
        }

        if (Title is not null && Markdown is null && !MyInvocation.ExpectingInput && (Content is not null || Text is not null || !files.IsEmpty))
        {
            // Only markdown makes a post with a title: with the content from parameters, -Title would be dropped silently.
            WriteWarning("-Title '" + Title + "' titles only a post made from -Markdown; this message is " + (Text is not null ? "a text (-Text)" : !files.IsEmpty ? "a file" : "-Content") + ", sent without it. Give -Markdown for a titled post, or put the title in the content.");
        }

        return new MessageParameters
        {
            Files = files,
            ReceiveType = ReceiveType,
            ReceiveIds = ReceiveId ?? Array.Empty<string>(),
            ContentType = ContentType,
            Content = content,
            Text = Text,
            Uuid = Uuid,
            ReplyTo = ReplyTo,
            ReplyInThread = ReplyInThread.IsPresent ? "true" : null,
            UpdateMulti = Updatable.IsPresent,
            Markdown = Markdown,
            Title = Title,
        };
    }

    /// <summary>Writes the error of one input item; Send-LarkMessage holds the first under -ErrorAction Stop until what is in flight is written.</summary>
    private protected virtual void WriteItemError(ErrorRecord record) => WriteError(record);

    // Paths resolve as every cmdlet's: relative to the current location, PSDrives, wildcards that match one file.
    private string ResolveFilePath(string path, bool literal)
    {
        if (literal)
        {
            var unresolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var literalProvider, out _);
            if (!string.Equals(literalProvider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"it is on the {literalProvider.Name} provider, not the file system");
            }

            return unresolved;
        }

        var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"it is on the {provider.Name} provider, not the file system");
        }

        if (resolved.Count != 1)
        {
            throw new ArgumentException($"it matches {resolved.Count.ToString(CultureInfo.InvariantCulture)} files; give one (or use -LiteralPath)");
        }

        return resolved[0];
    }
}

/// <summary>Tab completion of -ReceiveType.</summary>
public sealed class ReceiveTypeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
    {
        foreach (var type in ReceiveTypes.All)
        {
            if (type.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(type);
            }
        }
    }
}

/// <summary>Tab completion of -ContentType.</summary>
public sealed class ContentTypeCompleter : IArgumentCompleter
{
    private static readonly string[] Types = { "text", "post", "image", "interactive", "share_chat", "share_user", "audio", "media", "file", "sticker" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
    {
        foreach (var type in Types)
        {
            if (type.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(type);
            }
        }
    }
}
