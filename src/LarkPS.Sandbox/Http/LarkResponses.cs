using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LarkPS.Sandbox.Http;

/// <summary>A field Lark names in error.field_violations.</summary>
internal sealed record FieldViolation(string Field, string? Value, string Description);

/// <summary>
/// The one place responses are written, so every answer has Lark's shape: <c>{code,msg,data}</c> on
/// success, <c>{code,msg,error:{log_id,troubleshooter,field_violations}}</c> on failure, and the
/// X-Tt-Logid header (added for every request by <see cref="RequestRecorder"/>).
/// </summary>
internal static class LarkResponses
{
    public const string LogIdHeader = "X-Tt-Logid";
    private const string LogIdItem = "larkps.logid";
    private const string CodeItem = "larkps.code";
    private const string JsonContentType = "application/json; charset=utf-8";

    // Lark writes <, > and quotes inside strings as they are; so does the sandbox (still valid JSON).
    public static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Lark's log ids start with the time (yyyyMMddHHmmss) and end with random hex.</summary>
    public static string NewLogId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)
        + Convert.ToHexString(RandomNumberGenerator.GetBytes(9));

    public static void AssignLogId(HttpContext context, string logId)
    {
        context.Items[LogIdItem] = logId;
        context.Response.Headers[LogIdHeader] = logId;
    }

    public static string LogId(HttpContext context) =>
        context.Items[LogIdItem] as string ?? "unknown";

    /// <summary>The Lark code this request was answered with, for the request log.</summary>
    public static int? AnsweredCode(HttpContext context) => context.Items[CodeItem] as int?;

    public static Task Ok(HttpContext context, JsonNode? data)
    {
        var body = new JsonObject
        {
            ["code"] = 0,
            ["msg"] = "success",
            ["data"] = data ?? new JsonObject(),
        };
        return Json(context, StatusCodes.Status200OK, body);
    }

    public static Task Error(
        HttpContext context,
        int httpStatus,
        int code,
        string msg,
        IEnumerable<FieldViolation>? violations = null)
    {
        var logId = LogId(context);
        var error = new JsonObject
        {
            ["log_id"] = logId,
            ["troubleshooter"] = string.Create(
                CultureInfo.InvariantCulture,
                $"Troubleshooting suggestions: https://open.feishu.cn/search?from=openapi&log_id={logId}&code={code}"),
        };
        var list = violations?.ToList();
        if (list is { Count: > 0 })
        {
            var array = new JsonArray();
            foreach (var v in list)
            {
                var item = new JsonObject { ["field"] = v.Field, ["description"] = v.Description };
                if (v.Value is not null)
                {
                    item["value"] = v.Value;
                }

                array.Add(item);
            }

            error["field_violations"] = array;
        }

        var body = new JsonObject { ["code"] = code, ["msg"] = msg, ["error"] = error };
        return Json(context, httpStatus, body);
    }

    /// <summary>Writes a body whose top-level fields are the caller's (the token endpoint has no data).</summary>
    public static async Task Json(HttpContext context, int httpStatus, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        if (body["code"] is JsonValue codeValue && codeValue.TryGetValue<int>(out var code))
        {
            context.Items[CodeItem] = code;
        }

        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = JsonContentType;
        await context.Response.WriteAsync(body.ToJsonString(Output), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Lark's answer to an unknown path or method: plain text, not JSON.</summary>
    public static async Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.Headers.Remove("Allow");
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("404 page not found", context.RequestAborted).ConfigureAwait(false);
    }
}
