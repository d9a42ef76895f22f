using System;
using LarkPS.Api;
using System.Text;

namespace LarkPS.Webhooks;

/// <summary>
/// A custom bot's webhook URL, taken apart: the host requests go to, and the hook token (the last path segment),
/// which is a secret: anyone holding the URL can post into the group. Only <see cref="Masked"/> is ever shown.
/// </summary>
internal sealed class WebhookAddress
{
    /// <summary>The path every custom-bot webhook has, before its token.</summary>
    public const string HookPath = "/open-apis/bot/v2/hook/";

    private WebhookAddress(Uri origin, string token)
    {
        Origin = origin;
        Token = token;
    }

    /// <summary>scheme://host[:port]/ of the hook.</summary>
    public Uri Origin { get; }

    /// <summary>The hook token: a secret, never written anywhere.</summary>
    public string Token { get; }

    /// <summary>The request path relative to <see cref="Origin"/>.</summary>
    public string RelativePath => HookPath.TrimStart('/') + Uri.EscapeDataString(Token);

    /// <summary>What PowerShell shows: the host and path with the token hidden but its last 4 characters.</summary>
    public string Masked => Origin.GetLeftPart(UriPartial.Authority) + HookPath + Mask(Token);

    /// <summary>Takes a webhook URL apart; on failure says why, in words that never repeat the token.</summary>
    public static bool TryParse(string? text, out WebhookAddress? address, out string? reason)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri))
        {
            reason = "it is not an absolute URL";
            return false;
        }

        return TryParse(uri, out address, out reason);
    }

    /// <inheritdoc cref="TryParse(string?, out WebhookAddress?, out string?)"/>
    public static bool TryParse(Uri? uri, out WebhookAddress? address, out string? reason)
    {
        address = null;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            reason = "it is not an absolute URL";
            return false;
        }

        if (!HostRules.IsAcceptable(uri, out var hostReason))
        {
            // LarkHosts speaks of the App Secret; for a hook the URL itself is the secret.
            reason = uri.Scheme == Uri.UriSchemeHttp
                ? "plain http would send the hook token unencrypted; it is allowed only to a loopback address (127.0.0.1, ::1, localhost)"
                : hostReason;
            return false;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            reason = "it carries a user name or password before the host";
            return false;
        }

        var path = uri.AbsolutePath;
        if (!path.StartsWith(HookPath, StringComparison.Ordinal))
        {
            reason = "its path is not " + HookPath + "<token> (copy the webhook address from the group's custom bot settings)";
            return false;
        }

        var token = Uri.UnescapeDataString(path.Substring(HookPath.Length));
        if (token.Length == 0 || token[0] == '/')
        {
            reason = "it has no hook token after " + HookPath;
            return false;
        }

        if (token.IndexOf('/') >= 0)
        {
            // A trailing '/' or a segment pasted after the token: say so (the token is there), without repeating it.
            reason = "it has more after the hook token (a '/' and what follows): the address ends with the token; copy it again from the group's custom bot settings, without anything after it";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            reason = "it has a query or fragment, which a webhook address never has (give the secret with -WebhookSecret)";
            return false;
        }

        address = new WebhookAddress(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), token);
        reason = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Masked;

    private static string Mask(string token)
    {
        var shown = token.Length > 8 ? token.Substring(token.Length - 4) : string.Empty;
        return new StringBuilder().Append('*', 8).Append(shown).ToString();
    }
}
