using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// The department directory (issue 23, LARK-API.md "Departments and their users"): GET contact/v3/departments/{id}
/// (one), …/{id}/children (direct, or with fetch_child=true every level, breadth first) and users/find_by_department
/// (direct members only). Paged as Lark pages: page_size ≤ 50 (default 10), an opaque page_token, has_more.
/// department_id_type open_department_id (default) or department_id; user_id_type open_id (default), union_id,
/// user_id; the root is 0 in both. The sandbox's app sees the whole tenant ("all members"). 50/s and 1000/min.
/// find_by_department answers 99991672 once a test revoked contact:user.base:readonly (POST /_sandbox/scopes), and
/// children once it revoked contact:department.base:readonly, as Lark answers an app without the scope.
/// </summary>
internal static class DepartmentEndpoints
{
    public const int BadParameter = 40001;
    public const int PageSizeInvalid = 40011;
    public const int PageTokenInvalid = 40012;
    public const int DepartmentNotExist = 40015;
    public const int MissingScope = 99991672;
    private const int MaxPageSize = 50;
    private const int DefaultPageSize = 10;

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/open-apis/contact/v3/departments/{department_id}/children", ApiGate.Authorized(state, c => ChildrenAsync(c, state)));
        routes.MapGet("/open-apis/contact/v3/departments/{department_id}", ApiGate.Authorized(state, c => GetAsync(c, state)));
        routes.MapGet("/open-apis/contact/v3/users/find_by_department", ApiGate.Authorized(state, c => UsersAsync(c, state)));
    }

    private static async Task GetAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.Departments, state.Now).ConfigureAwait(false)
            || await ReadIdTypesAsync(context) is not { } types)
        {
            return;
        }

        var id = (string)context.Request.RouteValues["department_id"]!;
        var department = DepartmentTree.Find(state.Directory, id, types.Department);
        if (department is null)
        {
            await NotExistAsync(context, id).ConfigureAwait(false);
            return;
        }

        await LarkResponses.Ok(context, new JsonObject { ["department"] = Department(state.Directory, department, types) }).ConfigureAwait(false);
    }

    private static async Task ChildrenAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.Departments, state.Now).ConfigureAwait(false)
            || await ReadIdTypesAsync(context) is not { } types)
        {
            return;
        }

        if (!state.Scopes.Has(SandboxScopes.ContactDepartments))
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, MissingScope,
                "Access denied. One of the following scopes is required: [" + SandboxScopes.ContactDepartments + "].").ConfigureAwait(false);
            return;
        }

        var id = (string)context.Request.RouteValues["department_id"]!;
        var parent = id == DepartmentTree.Root ? DepartmentTree.Root : DepartmentTree.Find(state.Directory, id, types.Department)?.OpenDepartmentId;
        if (parent is null)
        {
            await NotExistAsync(context, id).ConfigureAwait(false);
            return;
        }

        var all = string.Equals(context.Request.Query["fetch_child"], "true", StringComparison.OrdinalIgnoreCase)
            ? DepartmentTree.Descendants(state.Directory, parent)
            : DepartmentTree.Children(state.Directory, parent);
        await PageAsync(context, all, d => Department(state.Directory, d, types)).ConfigureAwait(false);
    }

    private static async Task UsersAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.DepartmentUsers, state.Now).ConfigureAwait(false)
            || await ReadIdTypesAsync(context) is not { } types)
        {
            return;
        }

        if (!state.Scopes.Has(SandboxScopes.ContactUsers))
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, MissingScope,
                "Access denied. One of the following scopes is required: [" + SandboxScopes.ContactUsers + "].").ConfigureAwait(false);
            return;
        }

        var id = context.Request.Query["department_id"].ToString();
        if (id.Length == 0)
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, BadParameter, "department_id is required").ConfigureAwait(false);
            return;
        }

        var department = id == DepartmentTree.Root ? DepartmentTree.Root : DepartmentTree.Find(state.Directory, id, types.Department)?.OpenDepartmentId;
        if (department is null)
        {
            await NotExistAsync(context, id).ConfigureAwait(false);
            return;
        }

        // Users outside the app's range are not shown (as batch_get_id hides them); resigned ones have left the tree.
        var members = DepartmentTree.DirectMembers(state.Directory, department).Where(u => u.Visible && !u.Resigned).ToList();
        await PageAsync(context, members, u => User(state.Directory, u, types)).ConfigureAwait(false);
    }

    private readonly record struct IdTypes(string Department, string User);

    private static async Task<IdTypes?> ReadIdTypesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var department = query["department_id_type"].ToString();
        department = department.Length == 0 ? "open_department_id" : department;
        var user = query["user_id_type"].ToString();
        user = user.Length == 0 ? "open_id" : user;
        if (department is not ("open_department_id" or "department_id") || user is not ("open_id" or "union_id" or "user_id"))
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, BadParameter,
                "department_id_type must be open_department_id or department_id; user_id_type open_id, union_id or user_id").ConfigureAwait(false);
            return null;
        }

        return new IdTypes(department, user);
    }

    private static async Task PageAsync<T>(HttpContext context, List<T> all, Func<T, JsonObject> write)
    {
        var query = context.Request.Query;
        var size = DefaultPageSize;
        if (query.ContainsKey("page_size")
            && (!int.TryParse(query["page_size"], NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxPageSize))
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, PageSizeInvalid, "page_size is invalid: 1 to 50").ConfigureAwait(false);
            return;
        }

        var start = 0;
        var token = query["page_token"].ToString();
        if (token.Length > 0 && (!TryReadToken(token, out start) || start > all.Count))
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, PageTokenInvalid, "page_token is invalid").ConfigureAwait(false);
            return;
        }

        var items = new JsonArray(all.Skip(start).Take(size).Select(i => (JsonNode)write(i)).ToArray());
        var next = start + size;
        var data = new JsonObject { ["has_more"] = next < all.Count };
        if (next < all.Count)
        {
            data["page_token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("dept-page:" + next.ToString(CultureInfo.InvariantCulture)));
        }

        data["items"] = items;
        await LarkResponses.Ok(context, data).ConfigureAwait(false);
    }

    private static bool TryReadToken(string token, out int start)
    {
        start = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("dept-page:", StringComparison.Ordinal)
                && int.TryParse(text["dept-page:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out start);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string IdOf(SandboxDirectory directory, string openDepartmentId, string idType) =>
        openDepartmentId == DepartmentTree.Root || idType == "open_department_id"
            ? openDepartmentId
            : directory.Departments.Find(d => d.OpenDepartmentId == openDepartmentId)?.DepartmentId ?? openDepartmentId;

    private static JsonObject Department(SandboxDirectory directory, SandboxDepartment d, IdTypes types) => new()
    {
        ["name"] = d.Name,
        ["i18n_name"] = new JsonObject { ["zh_cn"] = d.Name, ["ja_jp"] = string.Empty, ["en_us"] = d.Name },
        ["parent_department_id"] = IdOf(directory, d.ParentOpenDepartmentId, types.Department),
        ["department_id"] = d.DepartmentId,
        ["open_department_id"] = d.OpenDepartmentId,
        ["status"] = new JsonObject { ["is_deleted"] = false },
        ["member_count"] = DepartmentTree.SubtreeMembers(directory, d.OpenDepartmentId).Count(u => !u.Resigned),
        ["primary_member_count"] = DepartmentTree.DirectMembers(directory, d.OpenDepartmentId).Count(u => !u.Resigned),
        ["order"] = (directory.Departments.IndexOf(d) + 1).ToString(CultureInfo.InvariantCulture),
    };

    private static JsonObject User(SandboxDirectory directory, SandboxUser u, IdTypes types)
    {
        var user = new JsonObject
        {
            ["open_id"] = u.OpenId,
            ["union_id"] = u.UnionId,
            ["user_id"] = u.UserId,
            ["name"] = u.Name,
            ["status"] = new JsonObject
            {
                ["is_frozen"] = false,
                ["is_resigned"] = u.Resigned,
                ["is_activated"] = !u.Resigned,
                ["is_exited"] = false,
                ["is_unjoin"] = false,
            },
            ["department_ids"] = new JsonArray((u.DepartmentIds ?? [DepartmentTree.Root])
                .Select(id => (JsonNode)JsonValue.Create(IdOf(directory, id, types.Department))!).ToArray()),
        };
        if (u.Email is not null)
        {
            user["email"] = u.Email;
        }

        if (u.Mobile is not null)
        {
            user["mobile"] = u.Mobile;
        }

        return user;
    }

    private static Task NotExistAsync(HttpContext context, string id) =>
        LarkResponses.Error(context, StatusCodes.Status400BadRequest, DepartmentNotExist, "department does not exist: " + id);
}
