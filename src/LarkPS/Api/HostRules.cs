using System;

namespace LarkPS.Api;

/// <summary>Which hosts a connection may send its secrets to: https anywhere, plain http only to a loopback address.</summary>
internal static class HostRules
{
    /// <summary>True where <paramref name="baseUri"/> may be used: https anywhere, plain http only to this machine.</summary>
    public static bool IsAcceptable(Uri baseUri, out string? reason)
    {
        reason = null;
        if (baseUri is null || !baseUri.IsAbsoluteUri)
        {
            reason = "it is not an absolute URI";
            return false;
        }

        if (!string.IsNullOrEmpty(baseUri.UserInfo))
        {
            // A user name or password in the URI would be shown by Get-LarkConnection and sent as Basic auth by some stacks.
            reason = "it carries a user name or password (user:pass@); Lark takes credentials only through Connect-Lark's App ID and App Secret";
            return false;
        }

        if (baseUri.Scheme == Uri.UriSchemeHttps)
        {
            return true;
        }

        if (baseUri.Scheme != Uri.UriSchemeHttp)
        {
            reason = $"the scheme '{baseUri.Scheme}' is neither https nor http";
            return false;
        }

        if (baseUri.IsLoopback)
        {
            return true;
        }

        reason = "plain http would send the App Secret and tokens unencrypted; it is allowed only to a loopback address (127.0.0.1, ::1, localhost)";
        return false;
    }
}
