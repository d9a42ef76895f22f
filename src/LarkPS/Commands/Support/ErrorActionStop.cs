using System;
using System.Management.Automation;

namespace LarkPS.Commands.Support;

/// <summary>
/// Whether a cmdlet runs under -ErrorAction Stop (or $ErrorActionPreference = 'Stop'), read as PowerShell reads it:
/// the bound -ErrorAction first, else the preference variable in the caller's scope.
/// </summary>
/// <remarks>
/// Send-LarkMessage needs to know before it writes its first error: under Stop PowerShell ends the pipeline at that
/// WriteError, and nothing written after it is reliably delivered (Windows PowerShell 5.1 and 7 differ). So the first
/// error is held, what is in flight is awaited and written, and only then is the error written.
/// </remarks>
internal static class ErrorActionStop
{
    public static bool IsRequested(PSCmdlet cmdlet)
    {
        if (cmdlet is null)
        {
            throw new ArgumentNullException(nameof(cmdlet));
        }

        return cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound)
            ? IsStop(bound)
            : IsStop(CallerVariable(cmdlet, "ErrorActionPreference"));
    }

    /// <summary>
    /// A preference variable as the caller's scope has it. GetVariableValue reads the module's own session state, which
    /// sees only the global scope: `& { $ErrorActionPreference = 'Stop'; ... }` would go unseen. A script block not bound
    /// to the module runs in the caller's scope, as PowerShell's own runtime reads the preference.
    /// </summary>
    internal static object? CallerVariable(PSCmdlet cmdlet, string name)
    {
        try
        {
            var read = ScriptBlock.Create("$" + name);
            var values = cmdlet.InvokeCommand.InvokeScript(false, read, null);
            return values.Count > 0 ? values[0] : null;
        }
        catch (RuntimeException)
        {
            // A restricted language mode, say: the module's view is the next best.
            return cmdlet.GetVariableValue(name);
        }
    }

    private static bool IsStop(object? value)
    {
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        return value switch
        {
            ActionPreference preference => preference == ActionPreference.Stop,
            string text => Enum.TryParse<ActionPreference>(text.Trim(), ignoreCase: true, out var parsed) && parsed == ActionPreference.Stop,
            _ => false,
        };
    }
}

/// <summary>Unwinds Send-LarkMessage's input loop to where the run is stopped after the first error under -ErrorAction Stop.</summary>
internal sealed class StopAtErrorSignal : Exception
{
    public StopAtErrorSignal()
        : base("The first error under -ErrorAction Stop: the run stops here.")
    {
    }
}
