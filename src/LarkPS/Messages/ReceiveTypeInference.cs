using System.Text.RegularExpressions;

namespace LarkPS.Messages;

/// <summary>
/// The receiveType an id's shape tells (ou_ → user, oc_ → chat, an e-mail → email, a phone number → phone), and
/// whether a receiveType someone gave contradicts it.
/// </summary>
internal static class ReceiveTypeInference
{
    private static readonly Regex EmailShape = new(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$", RegexOptions.CultureInvariant);

    // '+' and digits (spaces, dashes, dots and brackets allowed between them), or an 11-digit mainland mobile number.
    private static readonly Regex InternationalPhone = new(@"^\+[0-9][0-9 ().\-]{5,}[0-9]$", RegexOptions.CultureInvariant);
    private static readonly Regex MainlandPhone = new(@"^1[0-9]{10}$", RegexOptions.CultureInvariant);

    /// <summary>The receiveType <paramref name="receiveId"/>'s shape names, or null when its shape says nothing.</summary>
    public static string? Infer(string? receiveId)
    {
        var id = receiveId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (id!.StartsWith("ou_", System.StringComparison.Ordinal))
        {
            return ReceiveTypes.User;
        }

        if (id.StartsWith("oc_", System.StringComparison.Ordinal))
        {
            return ReceiveTypes.Chat;
        }

        if (EmailShape.IsMatch(id))
        {
            return ReceiveTypes.Email;
        }

        return InternationalPhone.IsMatch(id) || MainlandPhone.IsMatch(id) ? ReceiveTypes.Phone : null;
    }

    /// <summary>
    /// True when a normalized <paramref name="receiveType"/> cannot take an id of the <paramref name="inferred"/> shape
    /// (user for an e-mail address, chat for an ou_ id…). union_id and user_id ids have no shape of their own: only
    /// the shapes of other types contradict them where they are unmistakable (ou_, oc_, e-mail).
    /// </summary>
    public static bool Contradicts(string receiveType, string inferred) => Family(receiveType) switch
    {
        ReceiveTypes.UserId => inferred != ReceiveTypes.Phone,
        ReceiveTypes.UnionId => true,
        var family => family != inferred,
    };

    /// <summary>The shape family of a normalized receiveType: user for open_id, chat for chat_id.</summary>
    public static string Family(string receiveType) => receiveType switch
    {
        ReceiveTypes.OpenId => ReceiveTypes.User,
        ReceiveTypes.ChatId => ReceiveTypes.Chat,
        _ => receiveType,
    };

    /// <summary>How the problem names a shape: "an e-mail address".</summary>
    public static string DescribeShape(string inferred) => inferred switch
    {
        ReceiveTypes.User => "an open_id (ou_…)",
        ReceiveTypes.Chat => "a chat_id (oc_…)",
        ReceiveTypes.Email => "an e-mail address",
        _ => "a phone number",
    };
}
