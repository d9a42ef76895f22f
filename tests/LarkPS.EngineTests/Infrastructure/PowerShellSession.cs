using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace LarkPS.EngineTests.Infrastructure;

/// <summary>
/// A real PowerShell 7.6 session (runspace) with the built module imported from out/LarkPS, driven the way a user's
/// script drives it. Each instance is one "PowerShell window".
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        var import = Invoke("Import-Module $args[0] -ErrorAction Stop; Get-Module LarkPS", RepoPaths.ModuleManifest);
        if (import.Terminating is not null || import.Output.Count != 1)
        {
            throw new InvalidOperationException("Could not import " + RepoPaths.ModuleManifest + ": " + import.AllText());
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="args"/> as $args; never throws for script failures. The
    /// script runs inside try/catch, as in a user's script: a terminating error ends it and lands in
    /// <see cref="InvocationResult.Terminating"/>, while non-terminating errors go to <see cref="InvocationResult.Errors"/>.
    /// </summary>
    public InvocationResult Invoke(string script, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("try {\n" + script + "\n} catch { throw }");
        foreach (var arg in args)
        {
            ps.AddArgument(arg);
        }

        var result = new InvocationResult(ps);
        try
        {
            var output = ps.Invoke();
            result.Output = output;
        }
        catch (RuntimeException ex)
        {
            result.Terminating = ex;
        }

        result.Capture(ps);
        return result;
    }

    /// <summary>Runs <paramref name="script"/> on another thread and stops it after <paramref name="stopAfter"/>, as Ctrl+C does.</summary>
    public async Task<(InvocationResult Result, TimeSpan StopTook)> InvokeAndStopAsync(string script, TimeSpan stopAfter, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var arg in args)
        {
            ps.AddArgument(arg);
        }

        var result = new InvocationResult(ps);
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        await Task.Delay(stopAfter);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Factory.FromAsync(ps.BeginStop(null, null), ps.EndStop);
        watch.Stop();
        try
        {
            ps.EndInvoke(running);
        }
        catch (RuntimeException ex)
        {
            result.Terminating = ex;
        }

        result.Output = new Collection<PSObject>(output.ToList());
        result.Capture(ps);
        return (result, watch.Elapsed);
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>Everything one invocation produced, stream by stream.</summary>
public sealed class InvocationResult
{
    internal InvocationResult(PowerShell ps)
    {
        _ = ps;
    }

    public Collection<PSObject> Output { get; internal set; } = new();

    public RuntimeException? Terminating { get; internal set; }

    public List<ErrorRecord> Errors { get; } = new();

    public List<string> Verbose { get; } = new();

    public List<string> Debug { get; } = new();

    public List<string> Warnings { get; } = new();

    public List<string> Information { get; } = new();

    public List<ProgressRecord> Progress { get; } = new();

    /// <summary>The terminating error's record, if there was one.</summary>
    public ErrorRecord? TerminatingRecord => Terminating?.ErrorRecord;

    internal void Capture(PowerShell ps)
    {
        Errors.AddRange(ps.Streams.Error);
        Verbose.AddRange(ps.Streams.Verbose.Select(v => v.Message));
        Debug.AddRange(ps.Streams.Debug.Select(v => v.Message));
        Warnings.AddRange(ps.Streams.Warning.Select(v => v.Message));
        Information.AddRange(ps.Streams.Information.Select(v => v.MessageData?.ToString() ?? string.Empty));
        Progress.AddRange(ps.Streams.Progress);
    }

    /// <summary>Every word any stream carried, error details and exception chains included: what a secret must never be in.</summary>
    public string AllText()
    {
        var text = new StringBuilder();
        foreach (var item in Output)
        {
            text.AppendLine(item?.ToString());
            if (item is not null)
            {
                foreach (var property in item.Properties)
                {
                    object? value;
                    try
                    {
                        value = property.Value;
                    }
                    catch (GetValueException)
                    {
                        continue;
                    }

                    text.Append(property.Name).Append('=').AppendLine(Flatten(value));
                }
            }
        }

        var records = Errors.ToList();
        if (TerminatingRecord is not null)
        {
            records.Add(TerminatingRecord);
        }

        foreach (var record in records)
        {
            text.AppendLine(record.ToString());
            text.AppendLine(record.FullyQualifiedErrorId);
            text.AppendLine(record.ErrorDetails?.Message);
            text.AppendLine(record.ErrorDetails?.RecommendedAction);
            text.AppendLine(record.CategoryInfo.ToString());
            text.AppendLine(record.Exception?.ToString());
            text.AppendLine(Flatten(record.TargetObject));
        }

        text.AppendLine(Terminating?.ToString());
        Verbose.ForEach(v => text.AppendLine(v));
        Debug.ForEach(v => text.AppendLine(v));
        Warnings.ForEach(v => text.AppendLine(v));
        Information.ForEach(v => text.AppendLine(v));
        foreach (var progress in Progress)
        {
            text.AppendLine(progress.Activity).AppendLine(progress.StatusDescription).AppendLine(progress.CurrentOperation);
        }

        return text.ToString();
    }

    private static string Flatten(object? value) => value switch
    {
        null => string.Empty,
        PSObject pso => pso.BaseObject is PSCustomObject ? string.Join(";", pso.Properties.Select(p => p.Name + "=" + p.Value)) : pso.ToString(),
        IDictionary dictionary => string.Join(";", dictionary.Keys.Cast<object>().Select(k => k + "=" + dictionary[k])),
        _ => value.ToString() ?? string.Empty,
    };
}
