using System;
using System.Globalization;
using System.Text.Json;

namespace LarkPS.Api;

/// <summary>One user who has read a message the bot sent (Get-LarkMessageReader, issue 25), with the time they read it.</summary>
public sealed class LarkMessageReader
{
    internal LarkMessageReader(string messageId, string? userId, string? userIdType, DateTimeOffset? readTime, string? tenantKey)
    {
        MessageId = messageId;
        UserId = userId;
        UserIdType = userIdType;
        ReadTime = readTime;
        TenantKey = tenantKey;
    }

    /// <summary>The message that was read (om_…).</summary>
    public string MessageId { get; }

    /// <summary>The reader's id, of the type asked for (an open_id, ou_…, by default).</summary>
    public string? UserId { get; }

    /// <summary>open_id, union_id or user_id.</summary>
    public string? UserIdType { get; }

    /// <summary>When the user read it.</summary>
    public DateTimeOffset? ReadTime { get; }

    /// <summary>The reader's tenant.</summary>
    public string? TenantKey { get; }

    /// <inheritdoc />
    public override string ToString() => UserId + " read " + MessageId;

    /// <summary>One item of a read_users page: {user_id_type, user_id, timestamp (ms, a string), tenant_key}.</summary>
    internal static LarkMessageReader Parse(string messageId, JsonElement item)
    {
        static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null } : null;

        DateTimeOffset? read = long.TryParse(Text(item, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and < 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        return new LarkMessageReader(messageId, Text(item, "user_id"), Text(item, "user_id_type"), read, Text(item, "tenant_key"));
    }
}
