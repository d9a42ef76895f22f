using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LarkPS.Benchmark;

/// <summary>
/// One PowerShell 7.6 session hosted in this process, with the built module imported from out/LarkPS exactly as a user
/// imports it (the pattern of tools/LarkPS.QuickStart and the engine tests).
/// </summary>
internal sealed class PowerShellHost : IDisposable
{
    private readonly Runspace runspace;

    public PowerShellHost(string manifest)
    {
        runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        var (output, errors) = Invoke("Import-Module $args[0] -ErrorAction Stop; Get-Module LarkPS", manifest);
        if (output.Count != 1 || errors.Count > 0)
        {
            throw new InvalidOperationException($"Could not import {manifest}: {string.Join("; ", errors)}");
        }

        ModuleVersion = output[0].Properties["Version"]?.Value?.ToString() ?? "?";
    }

    public static string EngineVersion => typeof(PSObject).Assembly.GetName().Version?.ToString(3) ?? "?";

    public string ModuleVersion { get; }

    /// <summary>Runs a script with <paramref name="args"/> as its arguments; a terminating error throws with PowerShell's message.</summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Invoke(string script, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        foreach (var arg in args)
        {
            ps.AddArgument(arg);
        }

        try
        {
            var output = ps.Invoke();
            return (output, ps.Streams.Error.ToList());
        }
        catch (RuntimeException ex)
        {
            var record = ex.ErrorRecord;
            throw new InvalidOperationException(
                $"{record.ErrorDetails?.Message ?? record.Exception.Message} [{record.FullyQualifiedErrorId}]", ex);
        }
    }

    public void Dispose() => runspace.Dispose();
}
