using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// POST /open-apis/contact/v3/users/batch_get_id: phone or email to user id, one user_list item per
/// input echoing it. As Lark documents: a missing user and one outside the app's visible range both
/// come back without user_id (Lark does not tell them apart: "users outside the range look as if they
/// did not exist"); a resigned one too, unless include_resigned is true, and then with its user_id and
/// status.is_resigned = true. Found users carry status {is_frozen, is_resigned, is_activated,
/// is_exited, is_unjoin} (the field set of the official SDKs' types). The order of the items (emails
/// first, then mobiles) is *unconfirmed*: clients should match on the echo. 50/s and 1000/min.
/// </summary>
internal static class ContactEndpoints
{
    private const int MaxPerList = 50;

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/open-apis/contact/v3/users/batch_get_id", ApiGate.Authorized(state, c => BatchGetIdAsync(c, state)));
    }

    private static async Task BatchGetIdAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.Contacts, state.Now).ConfigureAwait(false))
        {
            return;
        }

        var idType = context.Request.Query["user_id_type"].ToString();
        idType = idType.Length == 0 ? "open_id" : idType;
        var violations = new List<FieldViolation>();
        if (idType is not ("open_id" or "union_id" or "user_id"))
        {
            violations.Add(new FieldViolation("user_id_type", idType, "must be one of open_id, union_id, user_id"));
        }

        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            violations.Add(new FieldViolation("body", null, "the request body must be a JSON object"));
        }

        var mobiles = StringList(body, "mobiles", violations);
        var emails = StringList(body, "emails", violations);
        if (violations.Count > 0)
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, LarkCodes.FieldValidationFailed, "field validation failed", violations)
                .ConfigureAwait(false);
            return;
        }

        var includeResigned = body!.Value.Bool("include_resigned");
        var directory = state.Directory;
        var list = new JsonArray();

        // Emails first, then mobiles, each echoing its input: clients should match on the echo, not the position.
        foreach (var email in emails)
        {
            var user = directory.Users.Find(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase));
            list.Add(Item("email", email, user, idType, includeResigned));
        }

        foreach (var mobile in mobiles)
        {
            var user = directory.Users.Find(u => MobileMatches(mobile, u.Mobile));
            list.Add(Item("mobile", mobile, user, idType, includeResigned));
        }

        await LarkResponses.Ok(context, new JsonObject { ["user_list"] = list }).ConfigureAwait(false);
    }

    /// <summary>
    /// A mainland number matches bare (13800000001) or with +86; any other number needs + and its
    /// country code, as Lark documents.
    /// </summary>
    internal static bool MobileMatches(string input, string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return false;
        }

        var candidate = input.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (!candidate.StartsWith('+'))
        {
            var mainland = candidate.Length == 11 && candidate[0] == '1' && candidate.All(char.IsAsciiDigit);
            if (!mainland)
            {
                return false;
            }

            candidate = "+86" + candidate;
        }

        return string.Equals(candidate, stored, StringComparison.Ordinal);
    }

    private static JsonObject Item(string field, string input, SandboxUser? user, string idType, bool includeResigned)
    {
        var item = new JsonObject { [field] = input };
        if (user is null || !user.Visible || (user.Resigned && !includeResigned))
        {
            return item;
        }

        item["user_id"] = idType switch
        {
            "union_id" => user.UnionId,
            "user_id" => user.UserId,
            _ => user.OpenId,
        };
        item["status"] = new JsonObject
        {
            ["is_frozen"] = false,
            ["is_resigned"] = user.Resigned,
            ["is_activated"] = !user.Resigned,
            ["is_exited"] = false,
            ["is_unjoin"] = false,
        };
        return item;
    }

    private static List<string> StringList(JsonElement? body, string field, List<FieldViolation> violations)
    {
        var result = new List<string>();
        if (body?.Property(field) is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            violations.Add(new FieldViolation(field, null, $"{field} must be an array of strings"));
            return result;
        }

        result.AddRange(value.EnumerateArray().Select(v => v.GetString()!));
        if (result.Count > MaxPerList)
        {
            violations.Add(new FieldViolation(field, null, $"{field} holds {result.Count} items; at most {MaxPerList} are allowed"));
        }

        return result;
    }
}
