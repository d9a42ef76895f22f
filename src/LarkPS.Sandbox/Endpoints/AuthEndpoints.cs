using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>POST /open-apis/auth/v3/tenant_access_token/internal: Lark answers errors here with HTTP 200.</summary>
internal static class AuthEndpoints
{
    public const int InvalidParam = 10003;
    public const int SecretInvalid = 10014;

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/open-apis/auth/v3/tenant_access_token/internal", context => IssueAsync(context, state));
    }

    private static async Task IssueAsync(HttpContext context, SandboxState state)
    {
        state.Stats.TokenRequested();
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        var appId = body?.String("app_id");
        var appSecret = body?.String("app_secret");
        if (string.IsNullOrEmpty(appId) || !string.Equals(appId, state.Options.AppId, StringComparison.Ordinal))
        {
            await LarkResponses.Error(context, StatusCodes.Status200OK, InvalidParam, "invalid param").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(appSecret, state.Options.AppSecret, StringComparison.Ordinal))
        {
            await LarkResponses.Error(context, StatusCodes.Status200OK, SecretInvalid, "app secret invalid").ConfigureAwait(false);
            return;
        }

        var (token, expire) = state.Tokens.Issue();
        state.Stats.TokenIssued();
        await LarkResponses.Json(context, StatusCodes.Status200OK, new JsonObject
        {
            ["code"] = 0,
            ["msg"] = "ok",
            ["tenant_access_token"] = token,
            ["expire"] = expire,
        }).ConfigureAwait(false);
    }
}
