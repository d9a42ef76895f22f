using System.Net;
using System.Text.Json;

namespace LarkPS.Api;

/// <summary>A successful (code 0) Lark answer.</summary>
public sealed class LarkResponse
{
    public LarkResponse(HttpStatusCode status, JsonElement root, string? logId)
    {
        Status = status;
        Root = root;
        LogId = logId;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The whole JSON body (detached from its document, safe to keep).</summary>
    public JsonElement Root { get; }

    /// <summary>The <c>data</c> object, or an undefined element where the endpoint puts fields at top level.</summary>
    public JsonElement Data => Root.TryGetProperty("data", out var data) ? data : default;

    /// <summary>The <c>X-Tt-Logid</c> header.</summary>
    public string? LogId { get; }
}
