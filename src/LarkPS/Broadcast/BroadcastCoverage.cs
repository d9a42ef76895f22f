using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;

namespace LarkPS.Broadcast;

/// <summary>What <see cref="BroadcastCoverage"/> found: the receivers to send to, and those a given department already reaches.</summary>
internal sealed class CoverageResult
{
    public CoverageResult(List<LarkBroadcastReceiver> kept, List<LarkBroadcastReceiver> covered, string? warning)
    {
        Kept = kept;
        Covered = covered;
        Warning = warning;
    }

    /// <summary>The receivers to send to, in the order given.</summary>
    public List<LarkBroadcastReceiver> Kept { get; }

    /// <summary>Users and departments left out, each with its Reason naming the department that reaches it.</summary>
    public List<LarkBroadcastReceiver> Covered { get; }

    /// <summary>Why the members could not be read (then users are sent as given); null when they were.</summary>
    public string? Warning { get; }
}

/// <summary>
/// No receiver twice (LARK-API.md: Lark may not de-duplicate a user reached by a department and by an id): a
/// department inside another given department is dropped (the outer one reaches its subtree), and where a run has
/// departments and users, the departments' members (their whole subtrees, read as Get-LarkUser -Department -Recurse
/// reads them) are compared with the user receivers, and the users a department reaches are dropped. Where the
/// directory cannot be read (the app's contact scope), the users stay as given, with a warning.
/// </summary>
internal sealed class BroadcastCoverage
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<LarkDepartment>>> _tree;
    private readonly Func<LarkDepartment, CancellationToken, Task<IReadOnlyList<LarkUser>>> _members;

    public BroadcastCoverage(DepartmentDirectory departments)
        : this(ct => departments.GetTreeAsync(false, ct), departments.GetUsersAsync)
    {
    }

    /// <summary>For tests: any tree and member source.</summary>
    public BroadcastCoverage(Func<CancellationToken, Task<IReadOnlyList<LarkDepartment>>> tree, Func<LarkDepartment, CancellationToken, Task<IReadOnlyList<LarkUser>>> members)
    {
        _tree = tree ?? throw new ArgumentNullException(nameof(tree));
        _members = members ?? throw new ArgumentNullException(nameof(members));
    }

    /// <summary>
    /// The receivers without overlap. Reads the tree only where there are departments, and members only where there
    /// are departments and users too.
    /// </summary>
    public async Task<CoverageResult> PruneAsync(IReadOnlyList<LarkBroadcastReceiver> ready, CancellationToken cancellationToken)
    {
        var departments = ready.Where(r => r.Kind == BroadcastRun.Department).ToList();
        var users = ready.Where(r => r.Kind != BroadcastRun.Department).ToList();
        var covered = new List<LarkBroadcastReceiver>();
        if (departments.Count == 0)
        {
            return new CoverageResult(ready.ToList(), covered, null);
        }

        IReadOnlyList<LarkDepartment> tree;
        try
        {
            tree = await _tree(cancellationToken).ConfigureAwait(false);
        }
        catch (LarkApiException ex)
        {
            return new CoverageResult(ready.ToList(), covered, "could not read the department tree (" + ex.Message + ")");
        }

        var byId = tree.ToDictionary(d => d.OpenDepartmentId, StringComparer.Ordinal);
        var givenIds = new HashSet<string>(departments.Select(d => d.Id), StringComparer.Ordinal);
        foreach (var department in departments)
        {
            if (Ancestor(department.Id, givenIds, byId) is { } outer)
            {
                department.Reason = "inside department " + outer.Path + " (" + outer.OpenDepartmentId + "), which reaches its whole subtree";
                covered.Add(department);
            }
        }

        var outerDepartments = departments.Where(d => d.Reason is null).ToList();
        if (users.Count > 0)
        {
            var reachedBy = new Dictionary<string, LarkDepartment>(StringComparer.Ordinal);
            try
            {
                foreach (var given in outerDepartments)
                {
                    if (!byId.TryGetValue(given.Id, out var top))
                    {
                        continue; // not in the tree the app sees: Lark names it invalid, or it reaches users the app cannot list
                    }

                    foreach (var one in DepartmentDirectory.Below(tree, top).Prepend(top))
                    {
                        foreach (var member in await _members(one, cancellationToken).ConfigureAwait(false))
                        {
                            foreach (var id in new[] { member.OpenId, member.UnionId, member.UserId }.Where(i => !string.IsNullOrEmpty(i)))
                            {
                                if (!reachedBy.ContainsKey(id!))
                                {
                                    reachedBy[id!] = top;
                                }
                            }
                        }
                    }
                }
            }
            catch (LarkApiException ex)
            {
                var kept = ready.Where(r => r.Reason is null).ToList();
                return new CoverageResult(kept, covered, "could not read the departments' members (" + ex.Message + ")");
            }

            foreach (var user in users)
            {
                if (reachedBy.TryGetValue(user.Id, out var by))
                {
                    user.Reason = "reached by department " + by.Path + " (" + by.OpenDepartmentId + ")";
                    covered.Add(user);
                }
            }
        }

        return new CoverageResult(ready.Where(r => r.Reason is null).ToList(), covered, null);
    }

    // The nearest given department above this one, or null.
    private static LarkDepartment? Ancestor(string id, HashSet<string> given, Dictionary<string, LarkDepartment> byId)
    {
        var parent = byId.TryGetValue(id, out var self) ? self.ParentId : null;
        for (var guard = 0; guard < 100 && parent is not null && byId.TryGetValue(parent, out var up); guard++)
        {
            if (given.Contains(up.OpenDepartmentId))
            {
                return up;
            }

            parent = up.ParentId;
        }

        return null;
    }
}
