using System.Net;
using System.Text.Json;

namespace LarkPS.Api;

/// <summary>A successful (code 0) Lark answer.</summary>
internal sealed class LarkResponse
{
    public LarkResponse(HttpStatusCode status, JsonElement root, string? logId, string host)
    {
        Status = status;
        Root = root;
        LogId = logId;
        Host = host;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The whole JSON body (detached from its document, safe to keep).</summary>
    public JsonElement Root { get; }

    /// <summary>The <c>data</c> object, or an undefined element where the endpoint puts fields at top level.</summary>
    public JsonElement Data => Root.TryGetProperty("data", out var data) ? data : default;

    /// <summary>The <c>X-Tt-Logid</c> header.</summary>
    public string? LogId { get; }

    /// <summary>The host that answered, for messages.</summary>
    public string Host { get; }

    /// <summary>An error saying that this answer, though code 0, is not in Lark's format: <paramref name="what"/> names the field.</summary>
    public LarkApiException Malformed(LarkRequest request, string what) =>
        LarkApiClient.Malformed(request, Status, LogId, Host, what);

    /// <summary>The string field <paramref name="name"/> of <paramref name="parent"/>; a missing or mistyped one is a LarkPS error naming it.</summary>
    public string RequiredString(JsonElement parent, string name, LarkRequest request)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            throw Malformed(request, "has no '" + name + "' field");
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
        {
            throw Malformed(request, "has '" + name + "' as " + (value.ValueKind == JsonValueKind.String ? "an empty string" : LarkApiClient.KindOf(value)) + ", not a string");
        }

        return value.GetString()!;
    }

    /// <summary>The optional string field <paramref name="name"/>: null where absent or null; another JSON type is a LarkPS error naming it.</summary>
    public string? OptionalString(JsonElement parent, string name, LarkRequest request)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Malformed(request, "has '" + name + "' as " + LarkApiClient.KindOf(value) + ", not a string");
    }
}
