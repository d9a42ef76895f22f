using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;

namespace LarkPS;

/// <summary>
/// Runs when the module is imported. On Windows PowerShell 5.1 (.NET Framework) it resolves the netstandard
/// dependencies (System.Text.Json and friends) from the module's own folder, whatever version the caller asks
/// for, and makes sure TLS 1.2 is offered; PowerShell 7 binds them to its own runtime and needs neither.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

    /// <summary>The oldest PowerShell (Core) engine LarkPS runs on: 7.4, on .NET 8.</summary>
    internal static readonly Version MinimumCoreEngine = new(7, 4);

    /// <summary>True on .NET Framework, where the resolver is needed.</summary>
    internal static bool IsNetFramework =>
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void OnImport()
    {
        if (!IsNetFramework && typeof(PSObject).Assembly.GetName().Version is { } engine && engine < MinimumCoreEngine)
        {
            // PowerShell 7.0-7.3 run on .NET 5-7, whose System.Text.Json is older than the 8.0 this module needs.
            throw new PlatformNotSupportedException(
                $"LarkPS needs PowerShell 7.4 or later (or Windows PowerShell 5.1); this is PowerShell {engine.ToString(2)}. Update PowerShell: https://aka.ms/powershell-release?tag=stable");
        }

        if (IsNetFramework)
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;

            // Windows PowerShell 5.1 may still offer only TLS 1.0/1.1, which Lark's hosts refuse; add TLS 1.2
            // unless the process leaves the choice to the OS (SystemDefault, 0).
            if (ServicePointManager.SecurityProtocol != 0)
            {
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            }
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsNetFramework)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
        }
    }

    /// <summary>The file in <paramref name="folder"/> that satisfies <paramref name="requestedName"/>, by simple name; null if none.</summary>
    internal static string? FindDependency(string folder, string requestedName)
    {
        var simpleName = new AssemblyName(requestedName).Name;
        if (string.IsNullOrEmpty(simpleName) || string.Equals(simpleName, "LarkPS", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var candidate = Path.Combine(folder, simpleName + ".dll");
        return File.Exists(candidate) ? candidate : null;
    }

    private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
    {
        // .NET Framework has no binding redirects for a module DLL: System.Text.Json 8 asks for System.Memory 4.0.1.2
        // while the folder may carry 4.0.1.x; matching on the simple name is what a redirect would do.
        var path = FindDependency(ModuleFolder, args.Name);
        return path is null ? null : Assembly.LoadFrom(path);
    }
}
