namespace LarkPS.Api;

/// <summary>One department of the tenant as the app sees it (Get-LarkDepartment): names, ids, parent, member counts.</summary>
public sealed class LarkDepartment
{
    internal LarkDepartment(string name, string openDepartmentId, string? departmentId, string parentId, int memberCount, int primaryMemberCount)
    {
        Name = name;
        OpenDepartmentId = openDepartmentId;
        DepartmentId = departmentId;
        ParentId = parentId;
        MemberCount = memberCount;
        PrimaryMemberCount = primaryMemberCount;
        Path = name;
    }

    public string Name { get; }

    /// <summary>od-…: what Send-LarkBroadcast -Department sends.</summary>
    public string OpenDepartmentId { get; }

    /// <summary>The tenant's own department id, where it has one.</summary>
    public string? DepartmentId { get; }

    /// <summary>The parent's open_department_id; "0" directly under the root.</summary>
    public string ParentId { get; }

    /// <summary>Members of the whole subtree (what a broadcast to the department reaches).</summary>
    public int MemberCount { get; }

    /// <summary>Direct members only.</summary>
    public int PrimaryMemberCount { get; }

    /// <summary>The names from the top down, separated by '/': Engineering/Platform.</summary>
    public string Path { get; internal set; }

    /// <summary>0 directly under the root.</summary>
    public int Depth { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => Path + " (" + OpenDepartmentId + ")";
}
