using System.Net;

namespace LarkPS.Sandbox;

/// <summary>
/// A group's custom bot: its webhook token (the last path segment of the hook URL), the chat it posts to,
/// and the group's security settings: an optional signing secret, keywords (one must appear in the
/// message's text or title) and an IP allow-list (exact addresses or a trailing <c>*</c> such as <c>10.0.0.*</c>).
/// In the directory file: <c>"hooks":[{"token":…,"chatId":…,"secret":…,"keywords":["alert"],"allowedIps":[],"name":"Alert bot"}]</c>.
/// </summary>
public sealed record SandboxHook(
    string Token,
    string ChatId,
    string? Secret = null,
    IReadOnlyList<string>? Keywords = null,
    IReadOnlyList<string>? AllowedIps = null,
    string? Name = null)
{
    /// <summary>The name shown as the sender in the inbox; never the token.</summary>
    public string DisplayName => string.IsNullOrEmpty(Name) ? "Custom bot" : Name;

    internal bool AllowsAddress(IPAddress? address)
    {
        if (AllowedIps is not { Count: > 0 })
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        var text = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        return AllowedIps.Any(allowed => allowed.EndsWith('*')
            ? text.StartsWith(allowed[..^1], StringComparison.Ordinal)
            : string.Equals(allowed, text, StringComparison.Ordinal));
    }
}

/// <summary>Trouble to inject into custom-bot calls only (POST /open-apis/bot/v2/hook/{token}).</summary>
public sealed class HookFaults
{
    private int dropAfterStore;
    private int dropBeforeStore;

    /// <summary>
    /// The next N hook calls that would succeed deliver the message, then drop the connection without an
    /// answer: the client cannot know the message arrived, and a hook has no uuid to make a resend safe.
    /// </summary>
    public int DropAfterStore
    {
        get => Volatile.Read(ref dropAfterStore);
        set => Volatile.Write(ref dropAfterStore, Math.Max(0, value));
    }

    /// <summary>The next N hook calls read the body, then drop the connection without storing anything.</summary>
    public int DropBeforeStore
    {
        get => Volatile.Read(ref dropBeforeStore);
        set => Volatile.Write(ref dropBeforeStore, Math.Max(0, value));
    }

    internal bool TryConsumeDropAfterStore() => TryConsume(ref dropAfterStore);

    internal bool TryConsumeDropBeforeStore() => TryConsume(ref dropBeforeStore);

    internal void Clear()
    {
        DropAfterStore = 0;
        DropBeforeStore = 0;
    }

    private static bool TryConsume(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
