using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Threading;

namespace LarkPS.Api;

/// <summary>
/// The department tree (children of the root 0 with fetch_child=true, 50 a page, as Lark pages it) and the users of a
/// department (find_by_department: direct members, 50 a page). The tree is kept on the connection for
/// <see cref="CacheLifetime"/>: Get-LarkDepartment, -Department names and their Tab completion share it.
/// </summary>
internal sealed class DepartmentDirectory : IDisposable
{
    public static readonly TimeSpan CacheLifetime = CachedList<LarkDepartment>.Lifetime;

    public const int PageSize = 50;

    // A runaway page_token loop must end: 2000 pages is 100,000 departments or users.
    private const int MaxPages = 2000;

    private readonly LarkApiClient _client;
    private readonly RetryingCaller _caller;
    private readonly CachedList<LarkDepartment> _tree;

    public DepartmentDirectory(LarkApiClient client, RetryingCaller caller, IClock clock)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _caller = caller ?? throw new ArgumentNullException(nameof(caller));
        _tree = new CachedList<LarkDepartment>(ReadTreeAsync, clock ?? throw new ArgumentNullException(nameof(clock)));
    }

    /// <summary>Every department the app sees, parents before children, with Path and Depth set.</summary>
    public Task<IReadOnlyList<LarkDepartment>> GetTreeAsync(bool refresh, CancellationToken cancellationToken) => _tree.GetAsync(refresh, cancellationToken);

    /// <summary>The tree for Tab completion (<see cref="CachedList{T}.ForCompletion"/>): never throws, never hammers Lark.</summary>
    public IReadOnlyList<LarkDepartment>? ForCompletion(TimeSpan wait) => _tree.ForCompletion(wait);

    /// <summary>The direct members of one department (find_by_department), as found users.</summary>
    public async Task<IReadOnlyList<LarkUser>> GetUsersAsync(LarkDepartment department, CancellationToken cancellationToken)
    {
        var users = new List<LarkUser>();
        var path = "open-apis/contact/v3/users/find_by_department?department_id=" + Uri.EscapeDataString(department.OpenDepartmentId) + "&page_size=50";
        await PageAsync(path, LarkOperation.DepartmentUsers, "list the users of department '" + department.Name + "'", item =>
        {
            if (Text(item, "open_id") is { } openId)
            {
                users.Add(new LarkUser(openId, UserDirectory.OpenIdType, null, openId, LarkUserStatus.Found, null)
                {
                    Name = Text(item, "name"),
                    Email = Text(item, "email"),
                    Department = department.Path,
                    UnionId = Text(item, "union_id"),
                    UserId = Text(item, "user_id"),
                });
            }
        }, cancellationToken).ConfigureAwait(false);
        return users;
    }

    public void Dispose() => _tree.Dispose();

    private async Task<IReadOnlyList<LarkDepartment>> ReadTreeAsync(CancellationToken cancellationToken)
    {
        var list = new List<LarkDepartment>();
        await PageAsync("open-apis/contact/v3/departments/0/children?fetch_child=true&page_size=50", LarkOperation.DepartmentChildren, "list departments", item =>
        {
            var id = Text(item, "open_department_id");
            if (id is not null)
            {
                list.Add(new LarkDepartment(Text(item, "name") ?? id, id, Text(item, "department_id"), Text(item, "parent_department_id") ?? "0",
                    Number(item, "member_count"), Number(item, "primary_member_count")));
            }
        }, cancellationToken).ConfigureAwait(false);
        return Arrange(list);
    }

    /// <summary>
    /// Every department below <paramref name="top"/> in <paramref name="tree"/> (by parent ids, not by the path of names,
    /// which a name with a slash would fool), in the tree's order.
    /// </summary>
    internal static List<LarkDepartment> Below(IReadOnlyList<LarkDepartment> tree, LarkDepartment top)
    {
        var found = new List<LarkDepartment> { top };
        var inside = new HashSet<string>(StringComparer.Ordinal) { top.OpenDepartmentId };
        for (var i = 0; i < found.Count; i++)
        {
            found.AddRange(tree.Where(d => d.ParentId == found[i].OpenDepartmentId && inside.Add(d.OpenDepartmentId)).ToList());
        }

        return tree.Where(d => d.OpenDepartmentId != top.OpenDepartmentId && inside.Contains(d.OpenDepartmentId)).ToList();
    }

    // Parents before children (depth first, in Lark's order), each with its path of names.
    private static List<LarkDepartment> Arrange(List<LarkDepartment> all)
    {
        var byParent = all.GroupBy(d => d.ParentId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var known = new HashSet<string>(all.Select(d => d.OpenDepartmentId), StringComparer.Ordinal);
        var result = new List<LarkDepartment>();
        void Walk(LarkDepartment d, string? parentPath, int depth)
        {
            d.Path = parentPath is null ? d.Name : parentPath + "/" + d.Name;
            d.Depth = depth;
            result.Add(d);
            foreach (var child in byParent.TryGetValue(d.OpenDepartmentId, out var children) ? children : new List<LarkDepartment>())
            {
                Walk(child, d.Path, depth + 1);
            }
        }

        // Top: under the root, or under a parent outside the app's contact scope.
        foreach (var top in all.Where(d => d.ParentId == "0" || !known.Contains(d.ParentId)))
        {
            Walk(top, null, 0);
        }

        return result;
    }

    private async Task PageAsync(string path, LarkOperation operation, string what, Action<JsonElement> take, CancellationToken cancellationToken)
    {
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var request = new LarkRequest(HttpMethod.Get, token is null ? path : path + "&page_token=" + Uri.EscapeDataString(token), operation, what);
            var response = await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
            var data = response.Data;
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                {
                    take(item);
                }
            }

            var more = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("has_more", out var hasMore) && hasMore.ValueKind == JsonValueKind.True;
            token = Text(data, "page_token");
            if (!more || string.IsNullOrEmpty(token))
            {
                return;
            }
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;
}
