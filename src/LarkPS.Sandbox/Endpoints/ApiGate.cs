using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>The bearer-token check every /open-apis endpoint but the token endpoint sits behind.</summary>
internal static class ApiGate
{
    public const int TokenMissing = 99991661;
    public const int TokenInvalid = 99991663;

    public static RequestDelegate Authorized(SandboxState state, RequestDelegate handler) => async context =>
    {
        switch (state.Tokens.Authorize(context.Request.Headers.Authorization.ToString()))
        {
            case TokenCheck.Missing:
                await LarkResponses.Error(
                    context,
                    StatusCodes.Status400BadRequest,
                    TokenMissing,
                    "Missing access token for authorization. Please make a request with token attached.").ConfigureAwait(false);
                return;
            case TokenCheck.Invalid:
                await LarkResponses.Error(
                    context,
                    StatusCodes.Status400BadRequest,
                    TokenInvalid,
                    "Invalid access token for authorization. Please make a request with token attached.").ConfigureAwait(false);
                return;
            default:
                await handler(context).ConfigureAwait(false);
                return;
        }
    };
}
