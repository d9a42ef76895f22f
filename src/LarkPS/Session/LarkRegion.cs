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
}
