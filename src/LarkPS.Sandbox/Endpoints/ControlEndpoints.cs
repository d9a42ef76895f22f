using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// /_sandbox/*: what the inbox page and out-of-process tests use to look inside. Inbox and request
/// records are snake_case like Lark's data; faults, stats and the directory mirror their C# types in camelCase.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/_sandbox/inbox", c => WriteAsync(c, Inbox(state)));
        routes.MapDelete("/_sandbox/inbox", c =>
        {
            state.Reset();
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        routes.MapGet("/_sandbox/requests", c => WriteAsync(c, Requests(state)));
        routes.MapGet("/_sandbox/faults", c => WriteAsync(c, Faults(state.Faults)));
        routes.MapPost("/_sandbox/faults", c => SetFaultsAsync(c, state));
        routes.MapGet("/_sandbox/stats", c => WriteAsync(c, Stats(state.Stats)));
        routes.MapGet("/_sandbox/directory", c => WriteAsync(c, JsonSerializer.SerializeToNode(state.Directory, SandboxDirectory.FileFormat)!));
    }

    private static JsonArray Inbox(SandboxState state)
    {
        var array = new JsonArray();
        foreach (var m in state.Messages.Snapshot())
        {
            array.Add(new JsonObject
            {
                ["message_id"] = m.MessageId,
                ["receive_id_type"] = m.ReceiveIdType,
                ["receive_id"] = m.ReceiveId,
                ["msg_type"] = m.MsgType,
                ["content"] = m.Content,
                ["uuid"] = m.Uuid,
                ["chat_id"] = m.ChatId,
                ["time"] = m.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["parent_id"] = m.ParentId,
                ["deleted"] = m.Deleted,
                ["edits"] = m.Edits,
            });
        }

        return array;
    }

    private static JsonArray Requests(SandboxState state)
    {
        var array = new JsonArray();
        foreach (var r in state.Requests.Snapshot())
        {
            var headers = new JsonObject();
            foreach (var (name, value) in r.Headers)
            {
                headers[name] = value;
            }

            array.Add(new JsonObject
            {
                ["method"] = r.Method,
                ["path_and_query"] = r.PathAndQuery,
                ["headers"] = headers,
                ["body"] = r.Body,
                ["status_code"] = r.StatusCode,
                ["code"] = r.Code,
                ["time"] = r.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return array;
    }

    private static JsonObject Faults(SandboxFaults faults) => new()
    {
        ["latencyMs"] = (long)faults.Latency.TotalMilliseconds,
        ["failBeforeStore"] = faults.FailBeforeStore,
        ["failAfterStore"] = faults.FailAfterStore,
        ["revokeTokenAfterUses"] = faults.RevokeTokenAfterUses,
        ["dropConnections"] = faults.DropConnections,
    };

    private static JsonObject Stats(SandboxStats stats) => new()
    {
        ["tokensIssued"] = stats.TokensIssued,
        ["tokenRequests"] = stats.TokenRequests,
        ["refused429"] = stats.Refused429,
        ["refused230020"] = stats.Refused230020,
        ["duplicatesSuppressed"] = stats.DuplicatesSuppressed,
        ["sent"] = stats.Sent,
    };

    /// <summary>Sets only the fields present; revokeTokenAfterUses: null turns that fault off.</summary>
    private static async Task SetFaultsAsync(HttpContext context, SandboxState state)
    {
        var body = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (body is not { } json)
        {
            await BadRequestAsync(context, "the body must be a JSON object such as {\"latencyMs\":200,\"failBeforeStore\":1}").ConfigureAwait(false);
            return;
        }

        var faults = state.Faults;
        try
        {
            foreach (var property in json.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name.ToUpperInvariant())
                {
                    case "LATENCYMS": faults.Latency = TimeSpan.FromMilliseconds(value.GetInt64()); break;
                    case "FAILBEFORESTORE": faults.FailBeforeStore = value.GetInt32(); break;
                    case "FAILAFTERSTORE": faults.FailAfterStore = value.GetInt32(); break;
                    case "DROPCONNECTIONS": faults.DropConnections = value.GetInt32(); break;
                    case "REVOKETOKENAFTERUSES":
                        faults.RevokeTokenAfterUses = value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();
                        break;
                    default:
                        await BadRequestAsync(context, $"unknown fault '{property.Name}'").ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            await BadRequestAsync(context, "fault values must be whole numbers").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, Faults(faults)).ConfigureAwait(false);
    }

    private static Task BadRequestAsync(HttpContext context, string error) =>
        LarkResponses.Json(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = error });

    private static Task WriteAsync(HttpContext context, JsonNode node)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(node.ToJsonString(LarkResponses.Output), context.RequestAborted);
    }
}
