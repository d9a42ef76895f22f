using LarkPS.Api;
using Xunit;

namespace LarkPS.UnitTests.Broadcast;

/// <summary>Get-LarkDepartment -Recurse and Get-LarkUser -Department -Recurse: what lies below a department.</summary>
public class DepartmentTreeTests
{
    private static LarkDepartment Department(string name, string id, string parent, string path)
    {
        var department = new LarkDepartment(name, id, null, parent, 0, 0) { Path = path };
        return department;
    }

    [Fact]
    public void Below_a_department_is_what_its_parent_ids_reach_not_what_its_path_of_names_prefixes()
    {
        // A top department whose name has a slash ("Sales/EMEA Partners") has a path that starts with "Sales/".
        var sales = Department("Sales", "od-1", "0", "Sales");
        var emea = Department("EMEA", "od-2", "od-1", "Sales/EMEA");
        var uk = Department("UK", "od-4", "od-2", "Sales/EMEA/UK");
        var partners = Department("Sales/EMEA Partners", "od-3", "0", "Sales/EMEA Partners");
        var apac = Department("APAC", "od-5", "od-1", "Sales/APAC");
        var tree = new List<LarkDepartment> { sales, emea, uk, apac, partners };

        Assert.Equal(new[] { "od-2", "od-4", "od-5" }, DepartmentDirectory.Below(tree, sales).Select(d => d.OpenDepartmentId));
        Assert.Equal(new[] { "od-4" }, DepartmentDirectory.Below(tree, emea).Select(d => d.OpenDepartmentId));
        Assert.Empty(DepartmentDirectory.Below(tree, partners));
        Assert.Empty(DepartmentDirectory.Below(tree, uk));
    }
}
