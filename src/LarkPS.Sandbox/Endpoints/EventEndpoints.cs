using System.Globalization;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Lark's long connection (issue 21): <c>POST /callback/ws/endpoint</c> (App ID and App Secret checked like the token
/// endpoint; Lark's codes; a URL with a one-use ticket and the ClientConfig) and the WebSocket at <c>/ws/v2</c>.
/// </summary>
internal static class EventEndpoints
{
    public const int AuthFailed = 514;

    private static readonly Dictionary<int, string> Messages = new()
    {
        [1] = "system busy",
        [403] = "forbidden",
        [514] = "auth failed",
        [1000040343] = "internal error",
        [1000040350] = "exceed connection limit",
    };

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/callback/ws/endpoint", c => EndpointAsync(c, state));
        routes.Map("/ws/v2", c => WebSocketAsync(c, state));
    }

    private static async Task EndpointAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (state.Events.EndpointFault() is { } fault)
        {
            await Answer(context, fault, Messages.GetValueOrDefault(fault, "error")).ConfigureAwait(false);
            return;
        }

        var appId = body?.String("AppID");
        var appSecret = body?.String("AppSecret");
        if (!string.Equals(appId, state.Options.AppId, StringComparison.Ordinal) || !string.Equals(appSecret, state.Options.AppSecret, StringComparison.Ordinal))
        {
            await Answer(context, AuthFailed, "auth failed").ConfigureAwait(false);
            return;
        }

        var (deviceId, accessKey, serviceId, ticket) = state.Events.IssueTicket();
        var url = string.Create(CultureInfo.InvariantCulture,
            $"ws://{context.Request.Host.Value}/ws/v2?fpid=493&aid=552564&device_id={deviceId}&access_key={accessKey}&service_id={serviceId}&ticket={ticket}");
        await LarkResponses.Json(context, StatusCodes.Status200OK, new JsonObject
        {
            ["code"] = 0,
            ["msg"] = "ok",
            ["data"] = new JsonObject { ["URL"] = url, ["ClientConfig"] = state.Events.ClientConfig() },
        }).ConfigureAwait(false);
    }

    private static async Task WebSocketAsync(HttpContext context, SandboxState state)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await LarkResponses.Error(context, StatusCodes.Status400BadRequest, RequestGuard.BadRequest, "this is the long connection's WebSocket: connect with a WebSocket client").ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var (refusal, authCode, serviceId) = state.Events.UseTicket(query["ticket"], query["device_id"], query["access_key"]);
        if (refusal is not null)
        {
            // A refused upgrade carries Lark's handshake headers (LARK-API.md, "Handshake and frames").
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers["Handshake-Status"] = "514";
            context.Response.Headers["Handshake-Msg"] = refusal;
            context.Response.Headers["Handshake-Autherrcode"] = authCode;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var connection = state.Events.Opened(socket, query["device_id"].ToString(), serviceId);
        await connection.RunAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static Task Answer(HttpContext context, int code, string msg) =>
        LarkResponses.Json(context, StatusCodes.Status200OK, new JsonObject { ["code"] = code, ["msg"] = msg, ["data"] = new JsonObject() });
}
