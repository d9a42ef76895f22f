using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace LarkPS.Session;

/// <summary>
/// The current connection of each PowerShell session (runspace), in memory only: a new runspace (a new window,
/// a ForEach-Object -Parallel worker, a job) starts unconnected, and the connection dies with its runspace.
/// </summary>
internal static class ConnectionStore
{
    private static readonly ConditionalWeakTable<object, Holder> Connections = new();
    private static readonly object NoRunspace = new();

    /// <summary>The current runspace's connection, or null.</summary>
    public static LarkConnection? Current
    {
        get => Connections.TryGetValue(Key, out var holder) ? holder.Connection : null;
        set
        {
            // The previous connection is not closed here: a script may still hold it (Connect-Lark -PassThru) and
            // pass it with -Connection. Disconnect-Lark closes the current one explicitly.
            Connections.GetValue(Key, _ => new Holder()).Connection = value;
        }
    }

    // A runspace is the unit PowerShell users think of as "my session"; the fallback serves hosts without one.
    private static object Key => (object?)Runspace.DefaultRunspace ?? NoRunspace;

    private sealed class Holder
    {
        public LarkConnection? Connection { get; set; }
    }
}
