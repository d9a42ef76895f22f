using System;
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

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();
}
