using System;
using System.Globalization;
using System.Text;

namespace LarkPS.Messages;

/// <summary>A phone number normalized for Lark's contact look-up (batch_get_id) and for caching its open_id.</summary>
/// <remarks>
/// Lark documents mainland numbers bare (13011111111); whether +86… matches is unconfirmed, so mainland numbers are
/// looked up bare and every other number with '+' and its country code, as Lark requires.
/// </remarks>
internal sealed class PhoneNumber : IEquatable<PhoneNumber>
{
    /// <summary>The shape an error message asks for.</summary>
    public const string ExpectedShape =
        "a mainland China mobile number (11 digits starting with 1, optionally after +86, 0086 or 86) " +
        "or an international number with '+' (or 00) and the country code, e.g. '+1 415 555 0100'";

    private const string ChinaCode = "86";
    private const int MainlandLength = 11;
    private const int MinInternationalDigits = 7;
    private const int MaxInternationalDigits = 15;

    private PhoneNumber(string original, string lookupValue, string canonicalKey, bool isMainlandChina)
    {
        Original = original;
        LookupValue = lookupValue;
        CanonicalKey = canonicalKey;
        IsMainlandChina = isMainlandChina;
    }

    /// <summary>The number as the user wrote it.</summary>
    public string Original { get; }

    /// <summary>What to send in batch_get_id's "mobiles": 11 bare digits for mainland China, else "+" country code and number.</summary>
    public string LookupValue { get; }

    /// <summary>One spelling per number, "+8613800000001" or "+14155550100": the key for caches and comparisons.</summary>
    public string CanonicalKey { get; }

    /// <summary>True for an 11-digit mainland China mobile number.</summary>
    public bool IsMainlandChina { get; }

    /// <summary>Normalizes <paramref name="text"/>; null with <paramref name="problem"/> set when it is not a usable number.</summary>
    public static PhoneNumber? TryParse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is missing";
            return null;
        }

        var original = text!.Trim();
        var digits = new StringBuilder(original.Length);
        var plus = false;
        foreach (var c in original)
        {
            if (c == '+' && !plus && digits.Length == 0)
            {
                plus = true;
            }
            else if (c is >= '0' and <= '9')
            {
                digits.Append(c);
            }
            else if (!(char.IsWhiteSpace(c) || c is '-' or '(' or ')' or '.'))
            {
                problem = Quoted(original) + " has '" + c + "', which is not part of a phone number";
                return null;
            }
        }

        var number = digits.ToString();
        if (!plus && number.StartsWith("00", StringComparison.Ordinal))
        {
            plus = true;
            number = number.Substring(2);
        }

        if (plus)
        {
            return International(original, number, out problem);
        }

        if (IsMainlandMobile(number))
        {
            return Mainland(original, number);
        }

        if (number.Length == ChinaCode.Length + MainlandLength && number.StartsWith(ChinaCode, StringComparison.Ordinal)
            && IsMainlandMobile(number.Substring(ChinaCode.Length)))
        {
            return Mainland(original, number.Substring(ChinaCode.Length));
        }

        problem = Quoted(original) + " is not a mainland China mobile number and has no '+' country code";
        return null;
    }

    /// <summary>Equal when <see cref="CanonicalKey"/> is.</summary>
    public bool Equals(PhoneNumber? other) =>
        other is not null && string.Equals(CanonicalKey, other.CanonicalKey, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PhoneNumber);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(CanonicalKey);

    /// <summary>The canonical key.</summary>
    public override string ToString() => CanonicalKey;

    private static PhoneNumber? International(string original, string number, out string? problem)
    {
        problem = null;
        if (number.Length == 0)
        {
            problem = Quoted(original) + " has no digits after the '+'";
            return null;
        }

        if (number.StartsWith(ChinaCode, StringComparison.Ordinal))
        {
            var national = number.Substring(ChinaCode.Length);
            if (IsMainlandMobile(national))
            {
                return Mainland(original, national);
            }

            problem = Quoted(original) + " is a +86 number but not an 11-digit mobile number starting with 1";
            return null;
        }

        if (number[0] == '0')
        {
            problem = Quoted(original) + " has a country code starting with 0";
            return null;
        }

        if (number.Length is < MinInternationalDigits or > MaxInternationalDigits)
        {
            problem = Quoted(original) + " has " + number.Length.ToString(CultureInfo.InvariantCulture) +
                (number.Length == 1 ? " digit" : " digits") +
                " after the '+'; an international number has 7 to 15, country code included";
            return null;
        }

        return new PhoneNumber(original, "+" + number, "+" + number, isMainlandChina: false);
    }

    private static PhoneNumber Mainland(string original, string national) =>
        new(original, national, "+" + ChinaCode + national, isMainlandChina: true);

    private static bool IsMainlandMobile(string number) => number.Length == MainlandLength && number[0] == '1';

    private static string Quoted(string value) => ValidationProblem.Quote(value);
}
