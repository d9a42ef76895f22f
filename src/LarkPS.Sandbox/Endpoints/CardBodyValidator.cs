using System.Globalization;
using System.Text.Json;
using LarkPS.Sandbox.Http;

namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// What Lark checks in a schema 2.0 card's body (LARK-API.md, "Table", "Buttons", "Limits", "230099"): tables only
/// directly in body.elements, at most 5 of them, at most 200 components and text elements, each table's columns
/// and rows (a row key no column declares is 200915, a cell not of its column's data_type 200914), images by key
/// (200570), unknown table properties (200621), buttons' behaviors. A refusal is 230099 with the sub-code and the
/// path in msg, as Lark writes it: "Failed to create card content, ext=ErrCode: N; ErrPath: ROOT -> body -> …".
/// Sub-codes Lark does not document for a rule (page_size, a column without name…) are marked unconfirmed.
/// </summary>
internal static class CardBodyValidator
{
    private const int MaxTables = 5;
    private const int MaxElements = 200;

    // Unconfirmed sub-codes: 200621 (invalid property) is the closest documented meaning; 200861 (not supported in
    // 2.0) for a table where 2.0 does not take one.
    private const int InvalidProperty = 200621;
    private const int NotSupported = 200861;
    private const int RowsInvalid = 200914;
    private const int RowKeyUndeclared = 200915;
    private const int TooMany = 11310;
    private const int BadImageKey = 200570;

    private static readonly HashSet<string> TableKeys = new(StringComparer.Ordinal)
    {
        "tag", "element_id", "margin", "page_size", "row_height", "row_max_height", "freeze_first_column", "header_style", "columns", "rows",
    };

    private static readonly HashSet<string> ColumnKeys = new(StringComparer.Ordinal)
    {
        "name", "display_name", "width", "vertical_align", "horizontal_align", "data_type", "format", "date_format",
    };

    private static readonly HashSet<string> DataTypes = new(StringComparer.Ordinal) { "text", "lark_md", "markdown", "number", "date", "options", "persons" };

    private static readonly HashSet<string> ButtonTypes = new(StringComparer.Ordinal)
    {
        "default", "primary", "danger", "text", "primary_text", "danger_text", "primary_filled", "danger_filled", "laser",
    };

    private sealed class Walk
    {
        public int Elements;
        public int Tables;
    }

    /// <summary>The first thing Lark refuses in the card's body, or null.</summary>
    public static SendProblem? Validate(JsonElement card)
    {
        if (card.Property("body")?.Property("elements") is not { ValueKind: JsonValueKind.Array } elements)
        {
            return null;
        }

        var walk = new Walk { Elements = card.Property("header") is { } header ? Tagged(header) : 0 };
        return Elements(elements, "ROOT -> body -> elements", root: true, walk);
    }

    private static SendProblem? Elements(JsonElement elements, string path, bool root, Walk walk)
    {
        var i = 0;
        foreach (var element in elements.EnumerateArray())
        {
            var tag = element.String("tag");
            var at = $"{path} -> [{i++}](tag: {tag})";
            if (element.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            walk.Elements++;
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name is not ("tag" or "rows" or "behaviors" or "columns" or "elements"))
                {
                    walk.Elements += Tagged(property.Value);
                }
            }

            if (walk.Elements > MaxElements)
            {
                return Refused(TooMany, at, $"the card has more than {MaxElements} components and elements", walk.Elements.ToString(CultureInfo.InvariantCulture));
            }

            var problem = tag switch
            {
                "table" => Table(element, at, root, walk),
                "img" => Image(element, at),
                "button" => Button(element, at),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }

            if (tag == "table")
            {
                continue;
            }

            if (element.Property("columns") is { ValueKind: JsonValueKind.Array } columns)
            {
                var c = 0;
                foreach (var column in columns.EnumerateArray())
                {
                    var columnAt = $"{at} -> columns -> [{c++}]";
                    walk.Elements += column.Has("tag") ? 1 : 0;
                    if (column.Property("elements") is { ValueKind: JsonValueKind.Array } inner
                        && Elements(inner, columnAt + " -> elements", root: false, walk) is { } nested)
                    {
                        return nested;
                    }
                }
            }

            if (element.Property("elements") is { ValueKind: JsonValueKind.Array } children
                && Elements(children, at + " -> elements", root: false, walk) is { } inside)
            {
                return inside;
            }
        }

        return null;
    }

    // Objects with a tag, not counting table rows or callback values (data, not components).
    private static int Tagged(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => (value.String("tag") is not null ? 1 : 0)
            + value.EnumerateObject().Where(p => p.Name != "value").Sum(p => Tagged(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().Sum(Tagged),
        _ => 0,
    };

    private static SendProblem? Table(JsonElement table, string at, bool root, Walk walk)
    {
        if (!root)
        {
            return Refused(NotSupported, at, "table can only be placed in body.elements", "table");
        }

        if (++walk.Tables > MaxTables)
        {
            return Refused(TooMany, at, $"a card holds at most {MaxTables} tables", walk.Tables.ToString(CultureInfo.InvariantCulture));
        }

        if (UnknownKey(table, TableKeys) is { } unknown)
        {
            return Refused(InvalidProperty, at, $"unknown property '{unknown}'", unknown);
        }

        if (table.Property("page_size") is { } pageSize && !(pageSize.ValueKind == JsonValueKind.Number && pageSize.TryGetInt32(out var size) && size is >= 1 and <= 10))
        {
            return Refused(InvalidProperty, at + " -> page_size", "page_size must be 1 to 10", pageSize.GetRawText());
        }

        if (table.Property("columns") is not { ValueKind: JsonValueKind.Array } columns)
        {
            return Refused(InvalidProperty, at + " -> columns", "columns is required", "");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var c = 0;
        foreach (var column in columns.EnumerateArray())
        {
            var columnAt = $"{at} -> columns -> [{c++}]";
            if (column.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(column.String("name")))
            {
                return Refused(InvalidProperty, columnAt, "column name is required", column.GetRawText());
            }

            if (UnknownKey(column, ColumnKeys) is { } unknownColumnKey)
            {
                return Refused(InvalidProperty, columnAt, $"unknown property '{unknownColumnKey}'", unknownColumnKey);
            }

            var dataType = column.Has("data_type") ? column.String("data_type") : "text";
            if (dataType is null || !DataTypes.Contains(dataType))
            {
                return Refused(InvalidProperty, columnAt + " -> data_type", "unknown data_type", column.Property("data_type")!.Value.GetRawText());
            }

            if (column.Property("format")?.Property("precision") is { } precision
                && !(precision.ValueKind == JsonValueKind.Number && precision.TryGetInt32(out var p) && p is >= 0 and <= 10))
            {
                return Refused(InvalidProperty, columnAt + " -> format -> precision", "precision must be 0 to 10", precision.GetRawText());
            }

            types[column.String("name")!] = dataType;
        }

        if (table.Property("rows") is not { ValueKind: JsonValueKind.Array } rows)
        {
            return Refused(InvalidProperty, at + " -> rows", "rows is required", "");
        }

        var r = 0;
        foreach (var row in rows.EnumerateArray())
        {
            var rowAt = $"{at} -> rows -> [{r}]";
            if (row.ValueKind != JsonValueKind.Object)
            {
                return Refused(RowsInvalid, rowAt, $"row {r} is not an object", row.GetRawText());
            }

            var columnIndex = 0;
            foreach (var cell in row.EnumerateObject())
            {
                if (!types.TryGetValue(cell.Name, out var dataType))
                {
                    return Refused(RowKeyUndeclared, rowAt, $"row key '{cell.Name}' is not a column name", cell.Name);
                }

                if (!Fits(dataType, cell.Value))
                {
                    return Refused(RowsInvalid, rowAt, $"row {r}, column '{cell.Name}' ({columnIndex}): the value is not of data_type {dataType}", cell.Value.GetRawText());
                }

                columnIndex++;
            }

            r++;
        }

        return null;
    }

    private static bool Fits(string dataType, JsonElement value) => dataType switch
    {
        "number" or "date" => value.ValueKind == JsonValueKind.Number,
        "options" => value.ValueKind == JsonValueKind.String
            || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(o => o.String("text") is not null)),
        "persons" => value.ValueKind == JsonValueKind.String
            || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String)),
        _ => value.ValueKind == JsonValueKind.String,
    };

    private static SendProblem? Image(JsonElement image, string at)
    {
        if (image.Has("path"))
        {
            return Refused(InvalidProperty, at, "unknown property 'path'", "path");
        }

        var key = image.String("img_key");
        return key is { Length: > 4 } && key.StartsWith("img_", StringComparison.Ordinal)
            ? null
            : Refused(BadImageKey, at + " -> img_key", "invalid image key", key ?? "");
    }

    private static SendProblem? Button(JsonElement button, string at)
    {
        if (button.Property("type") is { } type && !(type.ValueKind == JsonValueKind.String && ButtonTypes.Contains(type.GetString()!)))
        {
            return Refused(InvalidProperty, at + " -> type", "unknown button type", type.GetRawText());
        }

        if (button.Property("behaviors") is not { } behaviors)
        {
            return null;
        }

        if (behaviors.ValueKind != JsonValueKind.Array)
        {
            return Refused(InvalidProperty, at + " -> behaviors", "behaviors must be an array", behaviors.GetRawText());
        }

        var b = 0;
        foreach (var behavior in behaviors.EnumerateArray())
        {
            var behaviorAt = $"{at} -> behaviors -> [{b++}]";
            switch (behavior.String("type"))
            {
                case "open_url":
                    var url = behavior.String("default_url");
                    if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    {
                        return Refused(InvalidProperty, behaviorAt + " -> default_url", "default_url must be an http or https link", url ?? "");
                    }

                    break;
                case "callback":
                    if (!behavior.Has("value"))
                    {
                        return Refused(InvalidProperty, behaviorAt + " -> value", "callback value is required", "");
                    }

                    break;
                default:
                    return Refused(InvalidProperty, behaviorAt + " -> type", "unknown behavior type", behavior.Property("type")?.GetRawText() ?? "");
            }
        }

        return null;
    }

    private static string? UnknownKey(JsonElement obj, HashSet<string> known) =>
        obj.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !known.Contains(name));

    private static SendProblem Refused(int sub, string path, string message, string value) =>
        new(LarkCodes.CardInvalid, string.Create(CultureInfo.InvariantCulture,
            $"Failed to create card content, ext=ErrCode: {sub}; ErrPath: {path}; ErrMsg: {message}; ErrorValue: {value}; "));
}
