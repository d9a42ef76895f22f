using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LarkPS.Webhooks;

/// <summary>
/// Lark's custom-bot signature: sign = Base64(HMAC-SHA256(key = timestamp + "\n" + secret, data = empty)).
/// The key and data are the other way round from DingTalk's, a common copy-paste bug: the unit tests hold an
/// independent vector (computed with node's crypto and Python's hmac).
/// </summary>
internal static class WebhookSigner
{
    /// <summary>The signature for <paramref name="timestamp"/> (Unix seconds, as sent) and <paramref name="secret"/>.</summary>
    public static string Sign(string timestamp, string secret)
    {
        if (timestamp is null)
        {
            throw new ArgumentNullException(nameof(timestamp));
        }

        if (secret is null)
        {
            throw new ArgumentNullException(nameof(secret));
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(timestamp + "\n" + secret));
        return Convert.ToBase64String(hmac.ComputeHash(Array.Empty<byte>()));
    }

    /// <summary>Unix seconds of <paramref name="now"/>, as Lark reads the timestamp field (a string of digits).</summary>
    public static string Timestamp(DateTimeOffset now) =>
        now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
