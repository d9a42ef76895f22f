using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>GET /open-apis/im/v1/chats: the group chats the bot is in, paged as Lark pages them.</summary>
internal static class ChatEndpoints
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 100;
    private const string TokenPrefix = "sandbox-chats:";

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/open-apis/im/v1/chats", ApiGate.Authorized(state, c => ListAsync(c, state)));
    }

    private static async Task ListAsync(HttpContext context, SandboxState state)
    {
        if (!await state.OperationQuotas.AdmitAsync(context, OperationQuotas.Chats, state.Now).ConfigureAwait(false))
        {
            return;
        }

        var query = context.Request.Query;
        var violations = new List<FieldViolation>();
        var pageSize = DefaultPageSize;
        var sizeText = query["page_size"].ToString();
        if (sizeText.Length > 0
            && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            violations.Add(new FieldViolation("page_size", sizeText, $"page_size must be between 1 and {MaxPageSize}"));
        }

        var tokenText = query["page_token"].ToString();
        var offset = 0;
        if (tokenText.Length > 0 && !TryReadToken(tokenText, out offset))
        {
            violations.Add(new FieldViolation("page_token", tokenText, "page_token is not one this server issued"));
        }

        if (violations.Count > 0)
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, LarkCodes.FieldValidationFailed, "field validation failed", violations)
                .ConfigureAwait(false);
            return;
        }

        var directory = state.Directory;
        var chats = directory.Chats.Where(c => c.BotIsMember).ToList();
        var owner = directory.Users.Find(u => !u.Resigned)?.OpenId ?? string.Empty;
        var items = new JsonArray();
        foreach (var chat in chats.Skip(offset).Take(pageSize))
        {
            items.Add(new JsonObject
            {
                ["avatar"] = string.Empty,
                ["chat_id"] = chat.ChatId,
                ["name"] = chat.Name,
                ["description"] = chat.Description ?? string.Empty,
                ["owner_id"] = chat.OwnerOpenId ?? owner,
                ["owner_id_type"] = "open_id",
                ["external"] = chat.External,
                ["tenant_key"] = SandboxSeed.TenantKey,
                ["chat_status"] = chat.ChatStatus ?? "normal",
            });
        }

        var next = offset + pageSize;
        var hasMore = next < chats.Count;
        await LarkResponses.Ok(context, new JsonObject
        {
            ["items"] = items,
            ["page_token"] = hasMore ? WriteToken(next) : string.Empty,
            ["has_more"] = hasMore,
        }).ConfigureAwait(false);
    }

    // Opaque to clients, as Lark's are; it only has to survive a round trip.
    private static string WriteToken(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(TokenPrefix + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith(TokenPrefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
