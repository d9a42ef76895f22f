using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Custom bots: POST /open-apis/bot/v2/hook/{token}, with Lark's body (msg_type + content as an OBJECT,
/// cards as a top-level <c>card</c>), signature, keyword and IP checks, and the per-hook quota; plus
/// /_sandbox/hooks to register hooks and inject hook faults.
/// Every answer is HTTP 200 with Lark's hook shape: <c>{"code":N,"data":{},"msg":…}</c>; success also
/// carries the older <c>StatusCode</c>/<c>StatusMessage</c> pair, as real hooks answer today.
/// </summary>
internal static class HookEndpoints
{
    public const int TokenInvalid = 19001;
    public const int SignatureInvalid = 19021;
    public const int IpNotAllowed = 19022;
    public const int KeywordMissing = 19024;
    public const int BadRequest = 9499;
    public const int FrequencyLimited = 11232;

    /// <summary>Lark: a hook request body is at most 20 KB.</summary>
    public const int MaxBodyBytes = 20 * 1024;

    /// <summary>Lark: the signature's timestamp must be within one hour of Lark's clock, either way.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromHours(1);

    // The msg texts seen from real hooks (public issue threads and client tests quoting Lark's answers).
    private const string TokenInvalidMsg = "param invalid: incoming webhook access token invalid";
    private const string SignatureInvalidMsg = "sign match fail or timestamp is not within one hour from current time";
    private const string IpNotAllowedMsg = "Ip Not Allowed";
    private const string KeywordMissingMsg = "Key Words Not Found";

    // Unconfirmed: "Bad Request" is the text clients quote for 9499; Lark's exact text per cause is not documented.
    private const string BadRequestMsg = "Bad Request";

    // The text real hooks answer with (the psm in brackets is Lark's internal service name, quoted as seen).
    private const string FrequencyLimitedMsg = "frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]";

    /// <summary>The sandbox's own explanation of a 9499 (Lark's answer says only "Bad Request").</summary>
    public const string ReasonHeader = "X-Sandbox-Reason";

    private static readonly string[] HookMsgTypes = ["text", "post", "image", "share_chat", "interactive"];
    private static readonly string[] KeywordFields = ["text", "title", "content"];

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapPost("/open-apis/bot/v2/hook/{token}", c => HookAsync(c, state));
        routes.MapGet("/_sandbox/hooks", c => WriteAsync(c, HookList(state)));
        routes.MapPost("/_sandbox/hooks", c => RegisterAsync(c, state));
        routes.MapDelete("/_sandbox/hooks/{token}", c =>
        {
            c.Response.StatusCode = state.Hooks.Remove((string)c.Request.RouteValues["token"]!)
                ? StatusCodes.Status204NoContent
                : StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        routes.MapPost("/_sandbox/hooks/faults", c => SetFaultsAsync(c, state));
        routes.MapPost("/_sandbox/hooks/quotas", c => SetQuotasAsync(c, state));
    }

    /// <summary>Base64(HMAC-SHA256(key = timestamp + "\n" + secret, data = empty)): Lark's custom-bot signature.</summary>
    public static string Sign(string timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(timestamp + "\n" + secret), Array.Empty<byte>()));

    private static async Task HookAsync(HttpContext context, SandboxState state)
    {
        var token = (string)context.Request.RouteValues["token"]!;

        // Unconfirmed: the order of Lark's checks. The sandbox looks at the token first (nothing else is known
        // without it), counts the request against the hook's quota on arrival, then body, IP, signature, keywords.
        var hook = state.Hooks.Find(token);
        if (hook is null)
        {
            await AnswerAsync(context, TokenInvalid, TokenInvalidMsg).ConfigureAwait(false);
            return;
        }

        if (!state.HookQuota.TryAdmit(state.Now, token))
        {
            await AnswerAsync(context, FrequencyLimited, FrequencyLimitedMsg).ConfigureAwait(false);
            return;
        }

        await RequestBody.ReadBytesAsync(context).ConfigureAwait(false);
        var size = RequestBody.ReceivedBytes(context);  // a body over 1 MB is counted, not kept
        if (size > MaxBodyBytes)
        {
            // Unconfirmed: the code Lark answers for a body over 20 KB.
            await BadRequestAsync(context, string.Create(CultureInfo.InvariantCulture, $"the body is {size} bytes, at most {MaxBodyBytes}")).ConfigureAwait(false);
            return;
        }

        if (await RequestBody.ReadObjectAsync(context).ConfigureAwait(false) is not { } body)
        {
            await BadRequestAsync(context, "the body must be a JSON object").ConfigureAwait(false);
            return;
        }

        if (!hook.AllowsAddress(context.Connection.RemoteIpAddress))
        {
            await AnswerAsync(context, IpNotAllowed, IpNotAllowedMsg).ConfigureAwait(false);
            return;
        }

        if (!string.IsNullOrEmpty(hook.Secret) && !SignatureHolds(body, hook.Secret, state.Now))
        {
            await AnswerAsync(context, SignatureInvalid, SignatureInvalidMsg).ConfigureAwait(false);
            return;
        }

        var (msgType, content, problem) = ReadContent(body, state);
        if (problem is not null)
        {
            await BadRequestAsync(context, problem).ConfigureAwait(false);
            return;
        }

        if (hook.Keywords is { Count: > 0 } keywords && !ContainsKeyword(body, keywords))
        {
            await AnswerAsync(context, KeywordMissing, KeywordMissingMsg).ConfigureAwait(false);
            return;
        }

        if (state.HookFaults.TryConsumeDropBeforeStore())
        {
            RequestRecorder.MarkDropped(context);
            return;
        }

        state.Messages.StoreOnce(null, () =>
        {
            return new DeliveredMessage(
                "om_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                "webhook",
                hook.DisplayName,
                msgType!,
                content!,
                Uuid: null,
                hook.ChatId,
                state.Now,
                ParentId: null,
                Deleted: false,
                Edits: 0);
        });
        state.Stats.MessageSent();

        if (state.HookFaults.TryConsumeDropAfterStore())
        {
            RequestRecorder.MarkDropped(context);
            return;
        }

        await LarkResponses.Json(context, StatusCodes.Status200OK, new JsonObject
        {
            ["StatusCode"] = 0,
            ["StatusMessage"] = "success",
            ["code"] = 0,
            ["data"] = new JsonObject(),
            ["msg"] = "success",
        }).ConfigureAwait(false);
    }

    private static bool SignatureHolds(JsonElement body, string secret, DateTimeOffset now)
    {
        // Clients send the timestamp as a string (Lark's examples) or a number; both are accepted.
        var timestamp = body.Property("timestamp") switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
            _ => null,
        };
        var sign = body.String("sign");
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(sign)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if ((now - sent).Duration() > ClockTolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(timestamp, secret));
        var given = Encoding.ASCII.GetBytes(sign);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The message in the app API's form (content as a string), or why Lark would refuse it.</summary>
    private static (string? MsgType, string? Content, string? Problem) ReadContent(JsonElement body, SandboxState state)
    {
        var msgType = body.String("msg_type");
        if (msgType is null || !HookMsgTypes.Contains(msgType))
        {
            // Unconfirmed: what Lark answers for a type a hook cannot send (file, audio, media, sticker, share_user).
            return (null, null, "msg_type must be one of " + string.Join(", ", HookMsgTypes));
        }

        JsonNode? appContent;
        if (msgType == "interactive")
        {
            if (body.Property("card") is not { ValueKind: JsonValueKind.Object } card)
            {
                return (null, null, "a card goes in a top-level 'card' object");
            }

            appContent = JsonNode.Parse(card.GetRawText());
        }
        else
        {
            // The classic mistake from the app API: content as a string of serialized JSON.
            if (body.Property("content") is not { ValueKind: JsonValueKind.Object } content)
            {
                return (null, null, "content must be a JSON object (not a string)");
            }

            appContent = msgType switch
            {
                "post" => content.Property("post") is { ValueKind: JsonValueKind.Object } post ? JsonNode.Parse(post.GetRawText()) : null,
                "share_chat" => content.String("share_chat_id") is { Length: > 0 } chat ? new JsonObject { ["chat_id"] = chat } : null,
                _ => JsonNode.Parse(content.GetRawText()),
            };
            if (appContent is null)
            {
                return (null, null, msgType == "post" ? "content.post must be an object of locales" : "content.share_chat_id is required");
            }
        }

        var text = appContent!.ToJsonString(LarkResponses.Output);
        var problem = MessageContentValidator.Validate(msgType, text, state.Uploads);
        return problem is null ? (msgType, text, null) : (null, null, problem.Msg);
    }

    /// <summary>
    /// Lark checks keywords in the message's text and title (not in links). Which card fields count is
    /// unconfirmed: the sandbox reads every text, title and content string of the content or card.
    /// </summary>
    private static bool ContainsKeyword(JsonElement body, IReadOnlyList<string> keywords)
    {
        var strings = new List<string>();
        Collect(body.Property("content"), strings, counted: false);
        Collect(body.Property("card"), strings, counted: false);
        return strings.Any(s => keywords.Any(k => !string.IsNullOrEmpty(k) && s.Contains(k, StringComparison.Ordinal)));
    }

    private static void Collect(JsonElement? element, List<string> into, bool counted)
    {
        switch (element)
        {
            case { ValueKind: JsonValueKind.String } s when counted:
                into.Add(s.GetString()!);
                break;
            case { ValueKind: JsonValueKind.Object } obj:
                foreach (var property in obj.EnumerateObject())
                {
                    Collect(property.Value, into, KeywordFields.Contains(property.Name));
                }

                break;
            case { ValueKind: JsonValueKind.Array } array:
                foreach (var item in array.EnumerateArray())
                {
                    Collect(item, into, counted);
                }

                break;
        }
    }

    private static Task AnswerAsync(HttpContext context, int code, string msg) =>
        LarkResponses.Json(context, StatusCodes.Status200OK, new JsonObject
        {
            ["code"] = code,
            ["data"] = new JsonObject(),
            ["msg"] = msg,
        });

    private static Task BadRequestAsync(HttpContext context, string reason)
    {
        context.Response.Headers[ReasonHeader] = reason;
        return AnswerAsync(context, BadRequest, BadRequestMsg);
    }

    private static JsonArray HookList(SandboxState state)
    {
        var array = new JsonArray();
        foreach (var hook in state.Hooks.All())
        {
            array.Add(JsonSerializer.SerializeToNode(hook, SandboxDirectory.FileFormat));
        }

        return array;
    }

    /// <summary>{"chatId":…,"token"?:…,"secret"?:…,"keywords"?:[…],"allowedIps"?:[…],"name"?:…}; answers the hook and its URL.</summary>
    private static async Task RegisterAsync(HttpContext context, SandboxState state)
    {
        SandboxHook? hook = null;
        if (await RequestBody.ReadObjectAsync(context).ConfigureAwait(false) is { } json)
        {
            try
            {
                hook = json.Deserialize<SandboxHook>(SandboxDirectory.FileFormat);
            }
            catch (JsonException)
            {
                hook = null;
            }
        }

        if (hook is null || string.IsNullOrEmpty(hook.ChatId))
        {
            await ControlErrorAsync(context, "the body must be a JSON object such as {\"chatId\":\"oc_…\",\"secret\":\"…\",\"keywords\":[\"alert\"]}").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(hook.Token))
        {
            hook = hook with { Token = Guid.NewGuid().ToString("D") };
        }

        state.Hooks.Register(hook);
        var node = JsonSerializer.SerializeToNode(hook, SandboxDirectory.FileFormat)!.AsObject();
        var request = context.Request;
        node["url"] = $"{request.Scheme}://{request.Host}/open-apis/bot/v2/hook/{hook.Token}";
        context.Response.StatusCode = StatusCodes.Status201Created;
        await WriteAsync(context, node).ConfigureAwait(false);
    }

    private static async Task SetFaultsAsync(HttpContext context, SandboxState state)
    {
        var faults = state.HookFaults;
        if (!await SetIntegersAsync(context, new Dictionary<string, Action<int>>(StringComparer.OrdinalIgnoreCase)
        {
            ["dropAfterStore"] = v => faults.DropAfterStore = v,
            ["dropBeforeStore"] = v => faults.DropBeforeStore = v,
        }).ConfigureAwait(false))
        {
            return;
        }

        await WriteAsync(context, new JsonObject
        {
            ["dropAfterStore"] = faults.DropAfterStore,
            ["dropBeforeStore"] = faults.DropBeforeStore,
        }).ConfigureAwait(false);
    }

    private static async Task SetQuotasAsync(HttpContext context, SandboxState state)
    {
        var quotas = state.Options.HookQuotas;
        if (!await SetIntegersAsync(context, new Dictionary<string, Action<int>>(StringComparer.OrdinalIgnoreCase)
        {
            ["perMinute"] = v => quotas.PerMinute = Math.Max(0, v),
            ["perSecond"] = v => quotas.PerSecond = Math.Max(0, v),
        }).ConfigureAwait(false))
        {
            return;
        }

        await WriteAsync(context, new JsonObject
        {
            ["enabled"] = quotas.Enabled,
            ["perMinute"] = quotas.PerMinute,
            ["perSecond"] = quotas.PerSecond,
            ["refused11232"] = state.HookQuota.Refused,
        }).ConfigureAwait(false);
    }

    private static async Task<bool> SetIntegersAsync(HttpContext context, Dictionary<string, Action<int>> setters)
    {
        if (await RequestBody.ReadObjectAsync(context).ConfigureAwait(false) is not { } json)
        {
            await ControlErrorAsync(context, "the body must be a JSON object of whole numbers").ConfigureAwait(false);
            return false;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!setters.TryGetValue(property.Name, out var set))
            {
                await ControlErrorAsync(context, $"unknown setting '{property.Name}'").ConfigureAwait(false);
                return false;
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var value))
            {
                await ControlErrorAsync(context, $"'{property.Name}' must be a whole number").ConfigureAwait(false);
                return false;
            }

            set(value);
        }

        return true;
    }

    private static Task ControlErrorAsync(HttpContext context, string error) =>
        LarkResponses.Json(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = error });

    private static Task WriteAsync(HttpContext context, JsonNode node)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(node.ToJsonString(LarkResponses.Output), context.RequestAborted);
    }
}
