using System.Management.Automation;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>Disconnect-Lark: forgets this session's connection, its token and its secret.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Lark")]
[OutputType(typeof(void))]
public sealed class DisconnectLarkCommand : LarkCmdlet
{
    protected override void EndProcessing()
    {
        var current = ConnectionStore.Current;
        if (current is null)
        {
            WriteVerbose("Not connected to Lark: nothing to forget.");
            return;
        }

        ConnectionStore.Current = null;
        current.Dispose();
        WriteVerbose($"Disconnected {current.Describe()} from {current.BaseUri.Host}; its token and secret are forgotten.");
    }
}
