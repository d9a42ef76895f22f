using System;
using System.Collections.Generic;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Session;

namespace LarkPS.Commands.Support;

/// <summary>
/// -Debug for one command: while it runs, the choke point of each connection it watches gathers every request and
/// answer (secrets masked) into an <see cref="HttpDebugLog"/>, and <see cref="Flush"/> writes them with WriteDebug on
/// the pipeline thread. The log reaches the choke point explicitly, attached to the connection's <see cref="HttpDebugTap"/>.
/// </summary>
internal sealed class RequestDebug : IDisposable
{
    private readonly LarkCmdlet _cmdlet;
    private readonly HttpDebugLog _log = new();
    private readonly List<(LarkConnection Connection, IDisposable Attachment)> _watched = new();

    private RequestDebug(LarkCmdlet cmdlet)
    {
        _cmdlet = cmdlet;
    }

    /// <summary>Starts gathering when the command's debug output is wanted (-Debug, or $DebugPreference in the caller's scope); else null.</summary>
    /// <remarks>Call on the pipeline thread; then <see cref="Watch"/> each connection the command sends through.</remarks>
    public static RequestDebug? Begin(LarkCmdlet cmdlet)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        if (!IsWanted(cmdlet))
        {
            return null;
        }

        // The command keeps it for its whole run (Send-LarkMessage): a RunAsync of the same command adds its connection
        // to it instead of writing every line twice.
        var debug = new RequestDebug(cmdlet);
        cmdlet.RunningDebug = debug;
        return debug;
    }

    /// <summary>
    /// For one call of <paramref name="cmdlet"/> through <paramref name="connection"/>: the command's running log now
    /// watches the connection too (and null is returned: it writes its lines itself), or a log of its own for this call
    /// (dispose it to write them), or null when no debug output is wanted.
    /// </summary>
    public static RequestDebug? Watching(LarkCmdlet cmdlet, LarkConnection connection)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        if (cmdlet.RunningDebug is { } running)
        {
            running.Watch(connection);
            return null;
        }

        var debug = IsWanted(cmdlet) ? new RequestDebug(cmdlet) : null;
        debug?.Watch(connection);
        return debug;
    }

    /// <summary>Gathers what <paramref name="connection"/>'s choke point sends and receives from now on, until disposed.</summary>
    public void Watch(LarkConnection connection)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        foreach (var (watched, _) in _watched)
        {
            if (ReferenceEquals(watched, connection))
            {
                return;
            }
        }

        _watched.Add((connection, connection.Client.Debug.Attach(_log)));
    }

    /// <summary>Writes what was gathered since the last call. Pipeline thread only.</summary>
    public void Flush()
    {
        foreach (var line in _log.Drain())
        {
            _cmdlet.WriteDebug(line);
        }
    }

    /// <summary>Writes what is left when it still can, and stops gathering.</summary>
    public void Dispose()
    {
        try
        {
            Flush();
        }
        catch (PipelineStoppedException)
        {
            // Stopped: nothing can be written any more.
        }
        finally
        {
            _log.Close();
            foreach (var (_, attachment) in _watched)
            {
                attachment.Dispose();
            }

            _watched.Clear();
            if (ReferenceEquals(_cmdlet.RunningDebug, this))
            {
                _cmdlet.RunningDebug = null;
            }
        }
    }

    private static bool IsWanted(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out var bound))
        {
            return bound is SwitchParameter { IsPresent: true } || (bound is bool flag && flag);
        }

        var preference = ErrorActionStop.CallerVariable(cmdlet, "DebugPreference");
        if (preference is PSObject wrapped)
        {
            preference = wrapped.BaseObject;
        }

        var value = preference switch
        {
            ActionPreference p => p,
            string text when Enum.TryParse<ActionPreference>(text.Trim(), ignoreCase: true, out var parsed) => parsed,
            _ => ActionPreference.SilentlyContinue,
        };
        return value is not ActionPreference.SilentlyContinue and not ActionPreference.Ignore;
    }
}
