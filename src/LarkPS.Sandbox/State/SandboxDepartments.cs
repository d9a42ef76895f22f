namespace LarkPS.Sandbox;

/// <summary>
/// A department of the sandbox tenant (issue 23): its open_department_id (od-…), its custom department_id, its
/// name and its parent's open_department_id ("0" directly under the root).
/// </summary>
public sealed record SandboxDepartment(string OpenDepartmentId, string DepartmentId, string Name, string ParentOpenDepartmentId);

/// <summary>The tree questions the department and batch endpoints ask of a directory.</summary>
internal static class DepartmentTree
{
    public const string Root = "0";

    /// <summary>The department with this id of <paramref name="idType"/> (open_department_id or department_id); null for none or the root.</summary>
    public static SandboxDepartment? Find(SandboxDirectory directory, string id, string idType) =>
        directory.Departments.Find(d => idType == "department_id"
            ? string.Equals(d.DepartmentId, id, StringComparison.Ordinal)
            : string.Equals(d.OpenDepartmentId, id, StringComparison.Ordinal));

    /// <summary>The direct children of <paramref name="openId"/> ("0" for the root), in the directory's order.</summary>
    public static List<SandboxDepartment> Children(SandboxDirectory directory, string openId) =>
        directory.Departments.FindAll(d => string.Equals(d.ParentOpenDepartmentId, openId, StringComparison.Ordinal));

    /// <summary>Every department below <paramref name="openId"/>, breadth first (what fetch_child=true lists).</summary>
    public static List<SandboxDepartment> Descendants(SandboxDirectory directory, string openId)
    {
        var result = new List<SandboxDepartment>();
        var queue = new Queue<string>([openId]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { openId };
        while (queue.Count > 0)
        {
            foreach (var child in Children(directory, queue.Dequeue()))
            {
                if (seen.Add(child.OpenDepartmentId))
                {
                    result.Add(child);
                    queue.Enqueue(child.OpenDepartmentId);
                }
            }
        }

        return result;
    }

    /// <summary>The users directly in <paramref name="openId"/> (a user without departments is directly under the root).</summary>
    public static IEnumerable<SandboxUser> DirectMembers(SandboxDirectory directory, string openId) =>
        directory.Users.Where(u => u.DepartmentIds is { Count: > 0 } ids
            ? ids.Contains(openId, StringComparer.Ordinal)
            : openId == Root);

    /// <summary>The users of the department and its whole subtree, each once.</summary>
    public static List<SandboxUser> SubtreeMembers(SandboxDirectory directory, string openId)
    {
        var departments = new HashSet<string>(Descendants(directory, openId).Select(d => d.OpenDepartmentId), StringComparer.Ordinal) { openId };
        return directory.Users.Where(u => u.DepartmentIds is { Count: > 0 } ids ? ids.Any(departments.Contains) : openId == Root).ToList();
    }
}
