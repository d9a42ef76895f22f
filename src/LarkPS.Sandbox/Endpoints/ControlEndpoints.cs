using System.Globalization;
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
    private const int DefaultInboxPage = 1000;
    private const int MaxInboxPage = 5000;

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/_sandbox/inbox", c => InboxAsync(c, state));
        routes.MapDelete("/_sandbox/inbox", c =>
        {
            state.Reset();
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        routes.MapGet("/_sandbox/requests", c => StreamAsync(c, state.Requests.Snapshot(), WriteRequest));
        routes.MapGet("/_sandbox/faults", c => WriteAsync(c, Faults(state.Faults)));
        routes.MapPost("/_sandbox/faults", c => SetFaultsAsync(c, state));
        routes.MapGet("/_sandbox/stats", c => WriteAsync(c, Stats(state.Stats)));
        routes.MapGet("/_sandbox/directory", c => WriteAsync(c, JsonSerializer.SerializeToNode(state.Directory, SandboxDirectory.FileFormat)!));
    }

    /// <summary>
    /// The whole inbox as an array; with <c>?since=CURSOR</c> (empty for the start) only what changed after the cursor:
    /// <c>{"cursor","reset","has_more","items":[…]}</c>, at most <c>limit</c> (default 1000) items. The page polls this way.
    /// </summary>
    private static Task InboxAsync(HttpContext context, SandboxState state)
    {
        var query = context.Request.Query;
        if (!query.ContainsKey("since"))
        {
            return StreamAsync(context, state.Messages.Snapshot(), (w, m) => WriteMessage(w, m, state));
        }

        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0
            ? Math.Min(asked, MaxInboxPage)
            : DefaultInboxPage;
        var changes = state.Messages.ChangedSince(query["since"].ToString(), limit);
        return StreamAsync(context, changes.Items, (w, m) => WriteMessage(w, m, state), w =>
        {
            w.WriteString("cursor", changes.Cursor);
            w.WriteBoolean("reset", changes.Reset);
            w.WriteBoolean("has_more", changes.HasMore);
        });
    }

    private static void WriteMessage(Utf8JsonWriter w, DeliveredMessage m, SandboxState state)
    {
        w.WriteStartObject();
        w.WriteString("message_id", m.MessageId);
        w.WriteString("receive_id_type", m.ReceiveIdType);
        w.WriteString("receive_id", m.ReceiveId);
        w.WriteString("msg_type", m.MsgType);
        w.WriteString("content", m.Content);
        w.WriteString("uuid", m.Uuid);
        w.WriteString("chat_id", m.ChatId);
        w.WriteString("time", m.Time.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("parent_id", m.ParentId);
        w.WriteBoolean("deleted", m.Deleted);
        w.WriteNumber("edits", m.Edits);

        // Acting on sent messages (issue 12): the reply chain, who sent it, its earlier contents, its recall.
        w.WriteString("root_id", m.RootId);
        w.WriteString("thread_id", m.ThreadId);
        w.WriteString("sender_type", m.SenderType);
        w.WriteString("sender_id", m.SenderId);
        w.WriteNumber("card_updates", m.CardUpdates);
        w.WriteStartArray("revisions");
        foreach (var r in m.Revisions)
        {
            w.WriteStartObject();
            w.WriteString("content", r.Content);
            w.WriteString("replaced_at", r.ReplacedAt.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("how", r.How);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (m.RecallTime is { } recalled)
        {
            w.WriteString("recall_time", recalled.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("recall_time");
        }

        w.WritePropertyName("attachment");
        if (UploadEndpoints.AttachmentOf(m, state) is { } attachment)
        {
            attachment.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteEndObject();
    }

    private static void WriteRequest(Utf8JsonWriter w, RecordedRequest r)
    {
        w.WriteStartObject();
        w.WriteString("method", r.Method);
        w.WriteString("path_and_query", r.PathAndQuery);
        w.WriteStartObject("headers");
        foreach (var (name, value) in r.Headers)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteString("body", r.Body);
        w.WriteNumber("status_code", r.StatusCode);
        if (r.Code is { } code)
        {
            w.WriteNumber("code", code);
        }
        else
        {
            w.WriteNull("code");
        }

        w.WriteString("time", r.Time.ToString("O", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes a JSON array (or, with <paramref name="header"/>, an object whose "items" is the array) straight to the
    /// response, flushing as it goes: a full request log is never built as one string in memory.
    /// </summary>
    private static async Task StreamAsync<T>(
        HttpContext context, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write, Action<Utf8JsonWriter>? header = null)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var pipe = context.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = LarkResponses.Output.Encoder });
        if (header is not null)
        {
            writer.WriteStartObject();
            header(writer);
            writer.WriteStartArray("items");
        }
        else
        {
            writer.WriteStartArray();
        }

        for (var i = 0; i < items.Count; i++)
        {
            write(writer, items[i]);
            if (writer.BytesPending > 64 * 1024)
            {
                // The writer hands its bytes to the pipe; the pipe's flush sends them (and waits when the client is slow).
                await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                await pipe.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        if (header is not null)
        {
            writer.WriteEndObject();
        }

        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject Faults(SandboxFaults faults) => new()
    {
        ["latencyMs"] = (long)faults.Latency.TotalMilliseconds,
        ["jitterMs"] = (long)faults.Jitter.TotalMilliseconds,
        ["handshakeMs"] = (long)faults.HandshakeDelay.TotalMilliseconds,
        ["failBeforeStore"] = faults.FailBeforeStore,
        ["failAfterStore"] = faults.FailAfterStore,
        ["revokeTokenAfterUses"] = faults.RevokeTokenAfterUses,
        ["dropConnections"] = faults.DropConnections,
        ["refuseAppQuota"] = faults.RefuseAppQuota,
        ["busyChat"] = faults.BusyChat,
        ["batchDropBeforeAccept"] = faults.BatchDropBeforeAccept,
        ["batchDropAfterAccept"] = faults.BatchDropAfterAccept,
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
                    case "JITTERMS": faults.Jitter = TimeSpan.FromMilliseconds(value.GetInt64()); break;
                    case "HANDSHAKEMS": faults.HandshakeDelay = TimeSpan.FromMilliseconds(value.GetInt64()); break;
                    case "FAILBEFORESTORE": faults.FailBeforeStore = value.GetInt32(); break;
                    case "FAILAFTERSTORE": faults.FailAfterStore = value.GetInt32(); break;
                    case "DROPCONNECTIONS": faults.DropConnections = value.GetInt32(); break;
                    case "REFUSEAPPQUOTA": faults.RefuseAppQuota = value.GetInt32(); break;
                    case "BUSYCHAT": faults.BusyChat = value.ValueKind == JsonValueKind.Null ? null : value.GetString(); break;
                    case "BATCHDROPBEFOREACCEPT": faults.BatchDropBeforeAccept = value.GetInt32(); break;
                    case "BATCHDROPAFTERACCEPT": faults.BatchDropAfterAccept = value.GetInt32(); break;
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
            await BadRequestAsync(context, "fault values must be whole numbers (busyChat: a chat id or null)").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, Faults(faults)).ConfigureAwait(false);
    }

    // Lark's shape with a log id, like every error the sandbox raises.
    private static Task BadRequestAsync(HttpContext context, string error) =>
        LarkResponses.Error(context, StatusCodes.Status400BadRequest, RequestGuard.BadRequest, error);

    private static Task WriteAsync(HttpContext context, JsonNode node)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(node.ToJsonString(LarkResponses.Output), context.RequestAborted);
    }
}
