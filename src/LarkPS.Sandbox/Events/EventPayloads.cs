using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LarkPS.Sandbox.Http;

namespace LarkPS.Sandbox.Events;

/// <summary>Event payloads (schema 2.0) as Lark sends them (LARK-API.md, "Payloads").</summary>
internal static partial class EventPayloads
{
    public const string VerificationToken = "v_sandbox_verification_token";

    public static string NewEventId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>im.message.receive_v1 for a message a user sent; mentions "@Name" of directory users become @_user_N keys.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="options">The sandbox's app.</param>
    /// <param name="message">The stored message.</param>
    /// <param name="sender">Who sent it.</param>
    /// <param name="chatType">p2p or group.</param>
    /// <param name="mentions">The mentions list, keyed as in <paramref name="content"/>.</param>
    /// <param name="content">The content as the event carries it (mentions as @_user_N); null for the stored one.</param>
    public static byte[] MessageReceived(string eventId, SandboxOptions options, DeliveredMessage message, SandboxUser sender, string chatType, JsonArray mentions, string? content = null)
    {
        var body = new JsonObject
        {
            ["schema"] = "2.0",
            ["header"] = Header(eventId, "im.message.receive_v1", message.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), options),
            ["event"] = new JsonObject
            {
                ["sender"] = new JsonObject
                {
                    ["sender_id"] = Ids(sender),
                    ["sender_type"] = "user",
                    ["tenant_key"] = SandboxSeed.TenantKey,
                },
                ["message"] = new JsonObject
                {
                    ["message_id"] = message.MessageId,
                    ["root_id"] = message.RootId ?? string.Empty,
                    ["parent_id"] = message.ParentId ?? string.Empty,
                    ["create_time"] = message.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    ["update_time"] = message.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    ["chat_id"] = message.ChatId,
                    ["chat_type"] = chatType,
                    ["message_type"] = message.MsgType,
                    ["content"] = content ?? message.Content,
                    ["mentions"] = mentions,
                    ["user_agent"] = "LarkPS Sandbox inbox",
                },
            },
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString(LarkResponses.Output));
    }

    /// <summary>card.action.trigger for a click or a submitted form on a card the app sent.</summary>
    public static byte[] CardAction(string eventId, SandboxOptions options, DeliveredMessage card, SandboxUser operatorUser, JsonObject action, string token)
    {
        // The card doc shows create_time in microseconds (UNCONFIRMED): the sandbox sends it so.
        var micros = (options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["schema"] = "2.0",
            ["header"] = Header(eventId, "card.action.trigger", micros, options),
            ["event"] = new JsonObject
            {
                ["operator"] = new JsonObject
                {
                    ["tenant_key"] = SandboxSeed.TenantKey,
                    ["user_id"] = operatorUser.UserId,
                    ["open_id"] = operatorUser.OpenId,
                    ["union_id"] = operatorUser.UnionId,
                },
                ["token"] = token,
                ["action"] = action,
                ["host"] = "im_message",
                ["context"] = new JsonObject
                {
                    ["open_message_id"] = card.MessageId,
                    ["open_chat_id"] = card.ChatId,
                },
            },
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString(LarkResponses.Output));
    }

    /// <summary>
    /// Text with "@Name" of directory users replaced by @_user_N, the mentions list Lark sends with it, and the text as
    /// Lark keeps it (each mention an &lt;at user_id="ou_…"&gt;Name&lt;/at&gt; tag, which reading it back keys again).
    /// </summary>
    public static (string Text, JsonArray Mentions, string Tagged) Mentions(string text, SandboxDirectory directory)
    {
        SandboxUser? Named(Match m) => directory.Users.FirstOrDefault(u => string.Equals(u.Name, m.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
        var tagged = MentionPattern().Replace(text, m => Named(m) is { } user ? "<at user_id=\"" + user.OpenId + "\">" + user.Name + "</at>" : m.Value);
        var mentions = new JsonArray();
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var replaced = MentionPattern().Replace(text, m =>
        {
            var user = Named(m);
            if (user is null)
            {
                return m.Value;
            }

            if (!keys.TryGetValue(user.OpenId, out var key))
            {
                key = "@_user_" + (keys.Count + 1).ToString(CultureInfo.InvariantCulture);
                keys[user.OpenId] = key;
                mentions.Add(new JsonObject { ["key"] = key, ["id"] = Ids(user), ["name"] = user.Name, ["tenant_key"] = SandboxSeed.TenantKey });
            }

            return key;
        });
        return (replaced, mentions, tagged);
    }

    private static JsonObject Header(string eventId, string eventType, string createTime, SandboxOptions options) => new()
    {
        ["event_id"] = eventId,
        ["event_type"] = eventType,
        ["create_time"] = createTime,
        ["token"] = VerificationToken,
        ["app_id"] = options.AppId,
        ["tenant_key"] = SandboxSeed.TenantKey,
    };

    private static JsonObject Ids(SandboxUser user) => new()
    {
        ["union_id"] = user.UnionId,
        ["user_id"] = user.UserId,
        ["open_id"] = user.OpenId,
    };

    [GeneratedRegex(@"@([A-Za-z][A-Za-z0-9_]*)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MentionPattern();
}
