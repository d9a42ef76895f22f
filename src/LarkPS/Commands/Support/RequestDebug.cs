using System;
using System.Management.Automation;
using LarkPS.Api;

namespace LarkPS.Commands.Support;

/// <summary>
/// -Debug for one command: while it runs, the choke point gathers every request and answer (secrets masked) into an
/// <see cref="HttpDebugLog"/>, and <see cref="Flush"/> writes them with WriteDebug on the pipeline thread.
/// </summary>
internal sealed class RequestDebug : IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly HttpDebugLog _log = new();
    private readonly HttpDebugLog? _previous;

    private RequestDebug(Cmdlet cmdlet)
    {
        _cmdlet = cmdlet;
        _previous = HttpDebugLog.Current;
        HttpDebugLog.Current = _log;
    }

    /// <summary>Starts gathering when the command's debug output is wanted (-Debug, or $DebugPreference in the caller's scope); else null.</summary>
    /// <remarks>Call on the pipeline thread before anything is sent: the log flows into the tasks started after it.</remarks>
    public static RequestDebug? Begin(PSCmdlet cmdlet)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        return IsWanted(cmdlet) ? new RequestDebug(cmdlet) : null;
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
            HttpDebugLog.Current = _previous;
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
