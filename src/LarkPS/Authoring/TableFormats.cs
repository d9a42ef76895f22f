using System;
using System.Globalization;
using System.Linq;
using System.Text;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>
/// Reads the format a user gives a column the way .NET and -f write it, into Lark's table formats: for numbers
/// 'N2' (2 decimals, thousands separator), 'F0' (no decimals), 'D', or a pattern like '#,##0.00'; for dates a pattern
/// like 'yyyy-MM-dd HH:mm' (Lark's tokens YYYY MM DD HH mm ss with any separators).
/// </summary>
internal static class TableFormats
{
    /// <summary>Lark's date format when none is given: ISO-like and readable (Lark's own default is RFC 3339).</summary>
    public const string DefaultDateFormat = "YYYY-MM-DD HH:mm:ss";

    public const string NumberFormatHelp = "'N2' (2 decimals, thousands separators), 'F0' (no decimals), 'D' (whole numbers) or a pattern such as '#,##0.00'";

    public const string DateFormatHelp = "a pattern of yyyy, MM, dd, HH, mm and ss with separators, such as 'yyyy-MM-dd HH:mm'";

    /// <summary>Precision and separator for a number format; null with <paramref name="problem"/> set when it cannot be read.</summary>
    public static (int Precision, bool Separator)? ParseNumber(string format, out string? problem)
    {
        problem = null;
        var f = (format ?? string.Empty).Trim();
        if (f.Length >= 1 && "NnFfDd".IndexOf(f[0]) >= 0 && f.Skip(1).All(char.IsDigit))
        {
            var kind = char.ToUpperInvariant(f[0]);
            var digits = f.Length > 1 ? int.Parse(f.Substring(1), CultureInfo.InvariantCulture) : kind == 'D' ? 0 : 2;
            if (kind == 'D')
            {
                digits = 0;
            }

            if (digits > CardLimits.MaxPrecision)
            {
                problem = "'" + format + "' asks for " + digits + " decimals; Lark shows at most " + CardLimits.MaxPrecision;
                return null;
            }

            return (digits, kind == 'N');
        }

        if (f.Length > 0 && f.All(c => c is '#' or '0' or ',' or '.') && f.Count(c => c == '.') <= 1)
        {
            var point = f.IndexOf('.');
            var decimals = point < 0 ? 0 : f.Length - point - 1;
            if (decimals > CardLimits.MaxPrecision)
            {
                problem = "'" + format + "' asks for " + decimals + " decimals; Lark shows at most " + CardLimits.MaxPrecision;
                return null;
            }

            return (decimals, f.IndexOf(',') >= 0);
        }

        problem = "'" + format + "' is not a number format LarkPS can give Lark; use " + NumberFormatHelp;
        return null;
    }

    /// <summary>Lark's date_format for a .NET date pattern; null with <paramref name="problem"/> set when it cannot be read.</summary>
    public static string? ParseDate(string format, out string? problem)
    {
        problem = null;
        var f = (format ?? string.Empty).Trim();
        var builder = new StringBuilder();
        var i = 0;
        while (i < f.Length)
        {
            var c = f[i];
            var run = 1;
            while (i + run < f.Length && f[i + run] == c)
            {
                run++;
            }

            var token = new string(c, run);
            string? lark = token switch
            {
                "yyyy" => "YYYY",
                "MM" => "MM",
                "dd" => "DD",
                "HH" => "HH",
                "mm" => "mm",
                "ss" => "ss",
                _ => char.IsLetter(c) ? null : token,
            };
            if (lark is null)
            {
                problem = "'" + format + "' has '" + token + "', which Lark's date formats do not have; use " + DateFormatHelp;
                return null;
            }

            builder.Append(lark);
            i += run;
        }

        if (builder.Length == 0)
        {
            problem = "the date format is empty; use " + DateFormatHelp;
            return null;
        }

        return builder.ToString();
    }
}
