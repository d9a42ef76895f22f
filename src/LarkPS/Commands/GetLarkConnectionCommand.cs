using System.Management.Automation;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>Get-LarkConnection: shows this session's connection (App ID, host, region, token expiry; never secrets).</summary>
[Cmdlet(VerbsCommon.Get, "LarkConnection")]
[OutputType(typeof(LarkConnection))]
public sealed class GetLarkConnectionCommand : LarkCmdlet
{
    protected override void EndProcessing()
    {
        var current = ConnectionStore.Current;
        if (current is null)
        {
            WriteVerbose("Not connected to Lark in this session: run Connect-Lark.");
            return;
        }

        WriteObject(current);
    }
}
