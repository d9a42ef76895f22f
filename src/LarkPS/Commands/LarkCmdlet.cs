using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Session;
using LarkPS.Api;

namespace LarkPS.Commands;

/// <summary>What every LarkPS cmdlet shares: a stop token that Ctrl+C cancels, and a way to wait on async work.</summary>
public abstract class LarkCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private bool? _verboseAsDebug;

    /// <summary>The -Debug log this command keeps for its whole run, where it keeps one (Send-LarkMessage); null otherwise.</summary>
    internal Support.RequestDebug? RunningDebug { get; set; }

    /// <summary>Cancelled by StopProcessing (Ctrl+C); every await honours it.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>PowerShell calls this when the pipeline ends, however it ends: normally, by Ctrl+C, or by an error elsewhere.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the cmdlet holds; overrides must call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>
    /// Writes a verbose line; under -Debug without -Verbose, as a debug line instead. PowerShell makes a compiled
    /// cmdlet's VerbosePreference Inquire under -Debug alone: every verbose line would ask "Continue with this
    /// operation?", and fail outright in a non-interactive session (a scheduled task).
    /// </summary>
    protected new void WriteVerbose(string text)
    {
        _verboseAsDebug ??= MyInvocation.BoundParameters.TryGetValue("Debug", out var debug)
            && debug is SwitchParameter { IsPresent: true }
            && !MyInvocation.BoundParameters.ContainsKey("Verbose");
        if (_verboseAsDebug == true)
        {
            WriteDebug(text);
        }
        else
        {
            base.WriteVerbose(text);
        }
    }

    /// <summary>Cancels <see cref="StopToken"/> as Ctrl+C would, for a pipeline that ended without this cmdlet's EndProcessing.</summary>
    protected void CancelWork() => _stopping.Cancel();

    /// <summary>The connection to use: the one given, else this session's, else a terminating NotConnected error.</summary>
    protected LarkConnection RequireConnection(LarkConnection? given)
    {
        var connection = given ?? ConnectionStore.Current;
        if (connection is { IsClosed: true })
        {
            var closed = new ErrorRecord(
                new InvalidOperationException($"The Lark connection for {connection.Describe()} was closed by Disconnect-Lark. Run Connect-Lark again, and pass the new connection."),
                ErrorIds.NotConnected, ErrorCategory.ConnectionError, connection);
            ThrowTerminatingError(closed);
        }

        if (connection is null)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new InvalidOperationException("Not connected to Lark. Run Connect-Lark first (in this PowerShell session), or pass -Connection."),
                ErrorIds.NotConnected, ErrorCategory.ConnectionError, null,
                "Connect-Lark -AppId <cli_…> -AppSecret (Read-Host -AsSecureString), or set LARK_APP_ID and LARK_APP_SECRET and run Connect-Lark."));
        }

        return connection!;
    }

    /// <summary>
    /// As <see cref="RequireConnection"/>, for what only an app can do (list chats, look users up, upload): a webhook
    /// connection is a terminating NeedsAppConnection error that names the fix.
    /// </summary>
    private protected LarkConnection RequireAppConnection(LarkConnection? given, string what)
    {
        var connection = RequireConnection(given);
        if (connection.Kind == LarkConnectionKind.Webhook)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new InvalidOperationException($"{MyInvocation.MyCommand.Name} {what}, which a webhook connection ({connection.WebhookUri}) cannot do: a group's custom bot has no access to Lark's Open API."),
                ErrorIds.NeedsAppConnection, ErrorCategory.InvalidOperation, connection,
                "Connect with an app instead: Connect-Lark -AppId <cli_…> -AppSecret (Read-Host -AsSecureString) (an app with the bot capability), or pass such a connection with -Connection."));
        }

        return connection;
    }

    /// <summary>Runs async work on the pipeline thread's behalf; Ctrl+C turns into PipelineStoppedException.</summary>
    /// <remarks>No -Debug of its own: the overload that names the connection gathers that connection's requests.</remarks>
    protected T RunAsync<T>(Func<CancellationToken, Task<T>> work)
    {
        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        try
        {
            return work(StopToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>As <see cref="RunAsync{T}(Func{CancellationToken, Task{T}})"/>, sending through <paramref name="connection"/>.</summary>
    /// <remarks>
    /// -Debug: the requests this call makes and their answers, written here on the pipeline thread when it returns. A
    /// command already gathering its own (Send-LarkMessage) gathers this connection's too.
    /// </remarks>
    private protected T RunAsync<T>(LarkConnection connection, Func<CancellationToken, Task<T>> work)
    {
        using var debug = Support.RequestDebug.Watching(this, connection);
        return RunAsync(work);
    }

    // -Mention (Send-LarkMessage, Test-LarkMessage, Send-LarkBroadcast), read and looked up once per run: a value that is no mention ends the command before any item (nobody
    // is left out unnoticed); with no connection to ask, e-mail addresses are left for the send, never invented.
    private protected Support.ItemAuthoring ReadMentions(object[]? mention, LarkConnection? connection, bool markdownAsCard = false)
    {
        if (mention is not { Length: > 0 })
        {
            return markdownAsCard ? new Support.ItemAuthoring(Array.Empty<Authoring.Mention>(), Array.Empty<string>(), markdownAsCard) : Support.ItemAuthoring.None;
        }

        var requests = Support.MentionLookup.Read(mention);
        var emails = Support.MentionLookup.EmailsOf(requests);
        IReadOnlyDictionary<string, (string? OpenId, string? Problem)>? resolved = null;
        var lookedUpWhenSent = new List<string>();
        if (emails.Count > 0)
        {
            if (connection is null)
            {
                lookedUpWhenSent.AddRange(emails);
            }
            else
            {
                var app = RequireAppConnection(connection, "looks the e-mail addresses of -Mention up (POST /open-apis/contact/v3/users/batch_get_id)");
                try
                {
                    resolved = RunAsync(app, ct => Support.MentionLookup.ResolveAsync(app, emails, ct));
                }
                catch (LarkApiException ex)
                {
                    ThrowTerminatingError(ErrorRecords.WithFix(ex, ex.Row.ErrorId, ex.Row.Category, emails, ex.Row.Fix,
                        "Could not look up the e-mail addresses of -Mention: " + ex.Message + " Nothing was sent."));
                }
            }
        }

        var problems = new List<(object? Given, string Problem)>();
        var mentions = Support.MentionLookup.Complete(requests.Where(r => !(r.Input.Email is { } e && lookedUpWhenSent.Contains(e, StringComparer.OrdinalIgnoreCase))), resolved, problems);
        if (problems.Count > 0)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new ArgumentException("-Mention " + string.Join("; ", problems.Select(p => p.Problem.TrimEnd('.'))) + "."),
                AuthoringErrorIds.InvalidMention, ErrorCategory.InvalidArgument, problems.Count == 1 ? problems[0].Given : problems.Select(p => p.Given).ToArray(),
                "Give 'all', an open_id (ou_…), the user's own e-mail address, or a Found user from Get-LarkUser. Nothing was sent, so that nobody is left out unnoticed."));
        }

        return new Support.ItemAuthoring(mentions, lookedUpWhenSent, markdownAsCard);
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();
}
