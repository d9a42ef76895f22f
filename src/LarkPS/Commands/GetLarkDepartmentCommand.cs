using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Get-LarkDepartment: the departments the app sees (name, ids, parent, member count), read as Lark pages them
/// (children of the root with fetch_child, 50 a page) and kept on the connection for five minutes. Without -Recurse
/// one level: the top departments, or the children of -Department; with it the whole tree below.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LarkDepartment")]
[OutputType(typeof(LarkDepartment))]
public sealed class GetLarkDepartmentCommand : LarkCmdlet
{
    /// <summary>Departments by name, path, open_department_id or custom id: lists them (with -Recurse, and their subtree).</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(DepartmentCompleter))]
    [Alias("Name")]
    public string[]? Department { get; set; }

    /// <summary>Every level below (without -Department: the whole tree).</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Reads the tree from Lark again instead of the connection's copy.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void EndProcessing()
    {
        var connection = RequireAppConnection(Connection, "lists departments (GET /open-apis/contact/v3/departments/0/children)");
        IReadOnlyList<LarkDepartment> tree;
        try
        {
            tree = RunAsync(connection, ct => connection.Departments.GetTreeAsync(Force, ct));
        }
        catch (LarkApiException ex)
        {
            ThrowTerminatingError(SendErrors.For(ex, null, "the department tree", "list"));
            return;
        }

        if (Department is not { Length: > 0 } names)
        {
            WriteObject(Recurse ? tree : tree.Where(d => d.Depth == 0), enumerateCollection: true);
            return;
        }

        foreach (var department in BroadcastInputs.ResolveDepartments(names, tree, WriteError))
        {
            WriteObject(department);
            if (Recurse)
            {
                WriteObject(DepartmentDirectory.Below(tree, department), enumerateCollection: true);
            }
        }
    }
}
