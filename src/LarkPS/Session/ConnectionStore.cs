using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace LarkPS.Session;

/// <summary>
/// The current connection of each PowerShell session (runspace), in memory only: a new runspace (a new window,
/// a ForEach-Object -Parallel worker, a job) starts unconnected, and the connection dies with its runspace.
/// </summary>
public static class ConnectionStore
{
    private static readonly ConditionalWeakTable<object, Holder> Connections = new();
    private static readonly object NoRunspace = new();

    /// <summary>The current runspace's connection, or null.</summary>
    public static LarkConnection? Current
    {
        get => Connections.TryGetValue(Key, out var holder) ? holder.Connection : null;
        set
        {
            var holder = Connections.GetValue(Key, _ => new Holder());
            var previous = holder.Connection;
            holder.Connection = value;
            if (previous is not null && !ReferenceEquals(previous, value))
            {
                previous.Dispose();
            }
        }
    }

    // A runspace is the unit PowerShell users think of as "my session"; the fallback serves hosts without one.
    private static object Key => (object?)Runspace.DefaultRunspace ?? NoRunspace;

    private sealed class Holder
    {
        public LarkConnection? Connection { get; set; }
    }
}
