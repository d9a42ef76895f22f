using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Internal;
using LarkPS.Authoring;

namespace LarkPS.Commands.Support;

/// <summary>One column ConvertTo-LarkCard reads from each object: its spec and how its value is got.</summary>
internal sealed class SelectedColumn
{
    public SelectedColumn(TableColumnSpec spec, string? propertyName, ScriptBlock? expression)
    {
        Spec = spec;
        PropertyName = propertyName;
        Expression = expression;
    }

    public TableColumnSpec Spec { get; }

    public string? PropertyName { get; }

    public ScriptBlock? Expression { get; }

    /// <summary>The cell for <paramref name="row"/>: a plain .NET value (PSObject and AutomationNull taken out), or null.</summary>
    public object? ValueOf(PSObject row)
    {
        if (Expression is not null)
        {
            // Stop: an error the expression writes (1/0, a failing command) throws here, so it becomes the column's
            // ExpressionFailed error under the cmdlet's -ErrorAction, not a stray record on the host.
            var results = Expression.InvokeWithContext(null, new List<PSVariable>
            {
                new("_", row), new("PSItem", row), new("ErrorActionPreference", ActionPreference.Stop),
            });
            return results.Count switch
            {
                0 => null,
                1 => Plain(results[0]),
                _ => results.Select(Plain).ToList(),
            };
        }

        if (row.BaseObject is IDictionary dictionary)
        {
            return Plain(dictionary.Contains(PropertyName!) ? dictionary[PropertyName!] : FindKey(dictionary, PropertyName!));
        }

        return Plain(row.Properties[PropertyName!]?.Value);
    }

    private static object? FindKey(IDictionary dictionary, string name)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            if (string.Equals(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    // Numbers, dates, booleans and strings as they are; lists item by item; anything else as PowerShell shows it.
    private static object? Plain(object? value)
    {
        if (value is null || ReferenceEquals(value, AutomationNull.Value))
        {
            return null;
        }

        var item = value is PSObject ps ? ps.BaseObject : value;
        switch (item)
        {
            case null or DBNull:
                return null;
            case string or bool or DateTime or DateTimeOffset or Enum:
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                return item;
            case IEnumerable list and not IDictionary:
                return list.Cast<object?>().Select(Plain).ToList();
            default:
                return (value as PSObject ?? PSObject.AsPSObject(item)).ToString();
        }
    }
}

/// <summary>
/// ConvertTo-LarkCard's columns: every property of the objects in the order first seen, or -Property as Select-Object
/// takes it (names with wildcards, or @{Name=…; Expression={…}} with Label/N/L and E, plus Format/F for the column).
/// </summary>
internal static class TableColumnSelector
{
    private const string HashtableFix =
        "Give -Property names (wildcards work), or hashtables as Select-Object takes them: @{Name='Memory (MB)'; Expression={ $_.WS / 1MB }; Format='N1'} (keys Name/Label/N/L, Expression/E, Format/F).";

    /// <summary>The columns; an ArgumentException names a bad -Property entry and the fix.</summary>
    public static List<SelectedColumn> Select(IReadOnlyList<object>? property, IReadOnlyList<PSObject> rows, Func<string, (string? Format, bool ForAll)> formatOf)
    {
        var names = AllNames(rows);
        if (property is null || property.Count == 0)
        {
            return names.Select(n => new SelectedColumn(Spec(n, formatOf(n)), n, null)).ToList();
        }

        var columns = new List<SelectedColumn>();
        foreach (var entry in property)
        {
            var item = entry is PSObject ps ? ps.BaseObject : entry;
            switch (item)
            {
                case string pattern when WildcardPattern.ContainsWildcardCharacters(pattern):
                    var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                    columns.AddRange(names.Where(wildcard.IsMatch).Select(n => new SelectedColumn(Spec(n, formatOf(n)), n, null)));
                    break;
                case string name:
                    columns.Add(new SelectedColumn(Spec(name, formatOf(name)), name, null));
                    break;
                case IDictionary hashtable:
                    columns.Add(FromHashtable(hashtable, formatOf));
                    break;
                case ScriptBlock block:
                    columns.Add(new SelectedColumn(new TableColumnSpec(block.ToString().Trim(), null), null, block));
                    break;
                default:
                    throw new ArgumentException("-Property has a " + (item?.GetType().Name ?? "null") + ", which is not a column. " + HashtableFix);
            }
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException(
                "-Property " + string.Join(", ", property.Select(p => "'" + p + "'")) + " matches none of the objects' properties"
                + (names.Count == 0 ? " (they have none)." : " (" + string.Join(", ", names.Take(20)) + (names.Count > 20 ? ", …" : string.Empty) + ")."));
        }

        return columns;
    }

    private static SelectedColumn FromHashtable(IDictionary hashtable, Func<string, (string? Format, bool ForAll)> formatOf)
    {
        string? name = null;
        object? expression = null;
        string? format = null;
        foreach (DictionaryEntry entry in hashtable)
        {
            var key = LanguagePrimitives.ConvertTo<string>(entry.Key);
            switch (key.ToUpperInvariant())
            {
                case "NAME" or "N" or "LABEL" or "L":
                    name = LanguagePrimitives.ConvertTo<string>(entry.Value);
                    break;
                case "EXPRESSION" or "E":
                    expression = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
                    break;
                case "FORMAT" or "F" or "FORMATSTRING":
                    format = LanguagePrimitives.ConvertTo<string>(entry.Value);
                    break;
                default:
                    throw new ArgumentException("A -Property hashtable has the key '" + key + "', which is not a column key. " + HashtableFix);
            }
        }

        switch (expression)
        {
            case ScriptBlock block:
                name ??= block.ToString().Trim();
                return new SelectedColumn(Spec(name, format is null ? formatOf(name) : (format, false)), null, block);
            case string propertyName:
                name ??= propertyName;
                return new SelectedColumn(Spec(name, format is null ? formatOf(name) : (format, false)), propertyName, null);
            case null when name is not null:
                return new SelectedColumn(Spec(name, format is null ? formatOf(name) : (format, false)), name, null);
            default:
                throw new ArgumentException("A -Property hashtable needs an Expression (a property name or a scriptblock) or a Name. " + HashtableFix);
        }
    }

    private static TableColumnSpec Spec(string name, (string? Format, bool ForAll) format) => new(name, format.Format, format.ForAll);

    // Property names in the order first seen across the objects (a hashtable's keys; a CSV row's columns).
    private static List<string> AllNames(IReadOnlyList<PSObject> rows)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var row in rows)
        {
            IEnumerable<string> own = row.BaseObject is IDictionary dictionary
                ? dictionary.Keys.Cast<object?>().Select(k => Convert.ToString(k, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)
                : row.Properties.Select(p => p.Name);
            foreach (var name in own)
            {
                if (name.Length > 0 && seen.Add(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }
}
