using System;

namespace LarkPS.Session;

/// <summary>Which Lark deployment a tenant lives on.</summary>
public enum LarkRegion
{
    /// <summary>Feishu, mainland China: https://open.feishu.cn.</summary>
    Feishu,

    /// <summary>Lark, international: https://open.larksuite.com.</summary>
    Lark,

    /// <summary>Any other host given with -BaseUri (a sandbox, a gateway).</summary>
    Custom,
}

/// <summary>The hosts of the two public deployments.</summary>
internal static class LarkHosts
{
    public static readonly Uri Feishu = new("https://open.feishu.cn/");
    public static readonly Uri Lark = new("https://open.larksuite.com/");

    /// <summary>The base URI of <paramref name="region"/>.</summary>
    public static Uri For(LarkRegion region) => region switch
    {
        LarkRegion.Feishu => Feishu,
        LarkRegion.Lark => Lark,
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, "A custom region has no fixed host: give -BaseUri."),
    };

    /// <summary>The region a base URI belongs to.</summary>
    public static LarkRegion RegionOf(Uri baseUri)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri));
        }

        if (string.Equals(baseUri.Host, Feishu.Host, StringComparison.OrdinalIgnoreCase))
        {
            return LarkRegion.Feishu;
        }

        return string.Equals(baseUri.Host, Lark.Host, StringComparison.OrdinalIgnoreCase) ? LarkRegion.Lark : LarkRegion.Custom;
    }

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
