using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>
/// The body of a schema 2.0 card: Lark's limits (≤ 5 tables, ≤ 200 components and text elements), the table
/// component (columns and rows, each cell of its column's data_type, page_size 1..10, only directly in the body, at
/// most 50 columns), images by key, and buttons' behaviors. LARK-API.md, "Cards (JSON 2.0) and rich text"; the
/// verdicts are those of tests/cases/content-cases.json, which the sandbox follows too.
/// </summary>
internal static partial class ContentRules
{
    internal static readonly IReadOnlyList<string> TableKeys = new[]
    {
        "tag", "element_id", "margin", "page_size", "row_height", "row_max_height", "freeze_first_column", "header_style", "columns", "rows",
    };

    internal static readonly IReadOnlyList<string> TableColumnKeys = new[]
    {
        "name", "display_name", "width", "vertical_align", "horizontal_align", "data_type", "format", "date_format",
    };

    internal static readonly IReadOnlyList<string> TableDataTypes = new[] { "text", "lark_md", "markdown", "number", "date", "options", "persons" };

    internal static readonly IReadOnlyList<string> ButtonTypes = new[]
    {
        "default", "primary", "danger", "text", "primary_text", "danger_text", "primary_filled", "danger_filled", "laser",
    };

    private sealed class CardWalk
    {
        public int Elements;
        public int Tables;
        public int Problems;
    }

    private static void CheckCardBody(JsonElement card, JsonElement elements, List<ValidationProblem> problems)
    {
        var walk = new CardWalk();
        if (card.TryGetProperty("header", out var header))
        {
            walk.Elements += CountTagged(header, inRows: false);
        }

        CheckElements(elements, "content.body.elements", atRoot: true, walk, problems);
        if (walk.Tables > CardLimits.MaxTables)
        {
            problems.Add(new ValidationProblem("content.body.elements", "has " + Number(walk.Tables) + " tables; Lark takes at most " + Number(CardLimits.MaxTables) + " in a card (230099, 11310)",
                "at most " + Number(CardLimits.MaxTables) + " tables: split the rows over several cards", "array"));
        }

        if (walk.Elements > CardLimits.MaxElements)
        {
            problems.Add(new ValidationProblem("content.body", "has " + Number(walk.Elements) + " components and text elements; Lark takes at most " + Number(CardLimits.MaxElements) + " in a 2.0 card (230099, 11310)",
                "fewer components, or several cards", "object"));
        }

        if (walk.Problems > MaxNodeProblems)
        {
            problems.Add(new ValidationProblem("content.body", "has " + Number(walk.Problems - MaxNodeProblems) + " more component problems", null, "object"));
        }
    }

    private static void CheckElements(JsonElement elements, string path, bool atRoot, CardWalk walk, List<ValidationProblem> problems)
    {
        var i = 0;
        foreach (var element in elements.EnumerateArray())
        {
            var at = path + "[" + Number(i++) + "]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            walk.Elements++;
            var tag = element.TryGetProperty("tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("tag") || property.NameEquals("rows") || property.NameEquals("behaviors") || property.NameEquals("columns") || property.NameEquals("elements"))
                {
                    continue;
                }

                walk.Elements += CountTagged(property.Value, inRows: false);
            }

            switch (tag)
            {
                case "table":
                    walk.Tables++;
                    if (!atRoot)
                    {
                        Add(walk, problems, new ValidationProblem(at, "is a table inside another component; Lark takes tables only directly in the card's body (230099)",
                            "the table in body.elements itself, not in a column_set, form or panel", "object"));
                    }

                    CheckTable(element, at, walk, problems);
                    continue;
                case "img":
                    CheckCardImage(element, at, walk, problems);
                    break;
                case "button":
                    CheckButton(element, at, walk, problems);
                    break;
            }

            if (element.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array)
            {
                var c = 0;
                foreach (var column in columns.EnumerateArray())
                {
                    var columnPath = at + ".columns[" + Number(c++) + "]";
                    if (column.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    walk.Elements += column.TryGetProperty("tag", out _) ? 1 : 0;
                    if (column.TryGetProperty("elements", out var inner) && inner.ValueKind == JsonValueKind.Array)
                    {
                        CheckElements(inner, columnPath + ".elements", atRoot: false, walk, problems);
                    }
                }
            }

            if (element.TryGetProperty("elements", out var nested) && nested.ValueKind == JsonValueKind.Array)
            {
                CheckElements(nested, at + ".elements", atRoot: false, walk, problems);
            }
        }
    }

    // Components and text objects: every object with a tag, not counting table rows (data) or callback values.
    private static int CountTagged(JsonElement value, bool inRows)
    {
        var count = 0;
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (!inRows && value.TryGetProperty("tag", out var tag) && tag.ValueKind == JsonValueKind.String)
            {
                count++;
            }

            foreach (var property in value.EnumerateObject())
            {
                if (!property.NameEquals("value"))
                {
                    count += CountTagged(property.Value, inRows);
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                count += CountTagged(item, inRows);
            }
        }

        return count;
    }

    private static void CheckTable(JsonElement table, string path, CardWalk walk, List<ValidationProblem> problems)
    {
        foreach (var property in table.EnumerateObject())
        {
            if (!Contains(TableKeys, property.Name))
            {
                Add(walk, problems, new ValidationProblem(path + "." + property.Name, "is not a property of a table; a 2.0 card refuses unknown properties (230099, 200621)",
                    "only " + ValidationProblem.OneOf(TableKeys), MessageJson.KindOf(property.Value.ValueKind)));
            }
        }

        if (table.TryGetProperty("page_size", out var pageSize)
            && !(pageSize.ValueKind == JsonValueKind.Number && pageSize.TryGetInt32(out var size) && size is >= CardLimits.MinPageSize and <= CardLimits.MaxPageSize))
        {
            Add(walk, problems, new ValidationProblem(path + ".page_size", "is " + pageSize.GetRawText() + "; Lark's page_size is a whole number from 1 to 10 (230099)", "1 to 10", MessageJson.KindOf(pageSize.ValueKind)));
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var columnNames = new List<string>();
        if (!table.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Array)
        {
            Add(walk, problems, columns.ValueKind == JsonValueKind.Undefined
                ? new ValidationProblem(path + ".columns", "is missing; a table needs its columns (230099)", "an array of columns [{\"name\":\"host\",\"display_name\":\"Host\",\"data_type\":\"text\"}]", "missing")
                : WrongKind(path + ".columns", columns, "an array of columns"));
        }
        else
        {
            if (columns.GetArrayLength() > CardLimits.MaxColumns)
            {
                Add(walk, problems, new ValidationProblem(path + ".columns", "has " + Number(columns.GetArrayLength()) + " columns; Lark shows only the first " + Number(CardLimits.MaxColumns) + " and says nothing of the others",
                    "at most " + Number(CardLimits.MaxColumns) + " columns (ConvertTo-LarkCard -Property chooses them)", "array"));
            }

            var c = 0;
            foreach (var column in columns.EnumerateArray())
            {
                CheckTableColumn(column, path + ".columns[" + Number(c++) + "]", types, columnNames, walk, problems);
            }
        }

        if (!table.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            Add(walk, problems, rows.ValueKind == JsonValueKind.Undefined
                ? new ValidationProblem(path + ".rows", "is missing; a table needs its rows, even none (230099)", "an array of rows [{\"host\":\"db1\"}] or []", "missing")
                : WrongKind(path + ".rows", rows, "an array of rows, each an object of column name → value"));
            return;
        }

        var r = 0;
        foreach (var row in rows.EnumerateArray())
        {
            var rowPath = path + ".rows[" + Number(r++) + "]";
            if (row.ValueKind != JsonValueKind.Object)
            {
                Add(walk, problems, WrongKind(rowPath, row, "an object of column name → value (230099, 200914)"));
                continue;
            }

            foreach (var cell in row.EnumerateObject())
            {
                if (!types.TryGetValue(cell.Name, out var dataType))
                {
                    Add(walk, problems, new ValidationProblem(rowPath + "." + cell.Name, "names no column; every row key must be a column's name (230099, 200915)",
                        columnNames.Count == 0 ? "a column with this name" : "one of " + ValidationProblem.OneOf(columnNames), MessageJson.KindOf(cell.Value.ValueKind)));
                }
                else if (!CellFits(dataType, cell.Value))
                {
                    Add(walk, problems, new ValidationProblem(rowPath + "." + cell.Name, "is " + KindWithArticle(cell.Value) + " in a " + dataType + " column (230099, 200914)",
                        ExpectedCell(dataType), MessageJson.KindOf(cell.Value.ValueKind)));
                }
            }
        }
    }

    private static void CheckTableColumn(JsonElement column, string path, Dictionary<string, string> types, List<string> names, CardWalk walk, List<ValidationProblem> problems)
    {
        if (column.ValueKind != JsonValueKind.Object)
        {
            Add(walk, problems, WrongKind(path, column, "a column object {\"name\":…,\"data_type\":…}"));
            return;
        }

        foreach (var property in column.EnumerateObject())
        {
            if (!Contains(TableColumnKeys, property.Name))
            {
                Add(walk, problems, new ValidationProblem(path + "." + property.Name, "is not a property of a table column; a 2.0 card refuses unknown properties (230099, 200621)",
                    "only " + ValidationProblem.OneOf(TableColumnKeys), MessageJson.KindOf(property.Value.ValueKind)));
            }
        }

        var name = column.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        if (string.IsNullOrEmpty(name))
        {
            Add(walk, problems, new ValidationProblem(path + ".name", n.ValueKind == JsonValueKind.Undefined ? "is missing; a column's name is its row key (230099)" : "is not a non-empty string (230099)",
                "the key the rows use for this column, such as \"host\"", n.ValueKind == JsonValueKind.Undefined ? "missing" : MessageJson.KindOf(n.ValueKind)));
        }

        var dataType = "text";
        if (column.TryGetProperty("data_type", out var type))
        {
            dataType = type.ValueKind == JsonValueKind.String ? type.GetString()! : string.Empty;
            if (!Contains(TableDataTypes, dataType))
            {
                Add(walk, problems, new ValidationProblem(path + ".data_type", (type.ValueKind == JsonValueKind.String ? ValidationProblem.Quote(dataType) : type.GetRawText()) + " is not a table data_type (230099)",
                    ValidationProblem.OneOf(TableDataTypes), MessageJson.KindOf(type.ValueKind)));
            }
        }

        if (column.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.Object && format.TryGetProperty("precision", out var precision)
            && !(precision.ValueKind == JsonValueKind.Number && precision.TryGetInt32(out var digits) && digits is >= 0 and <= CardLimits.MaxPrecision))
        {
            Add(walk, problems, new ValidationProblem(path + ".format.precision", "is " + precision.GetRawText() + "; Lark's precision is a whole number from 0 to 10 (230099)", "0 to 10", MessageJson.KindOf(precision.ValueKind)));
        }

        if (!string.IsNullOrEmpty(name))
        {
            types[name!] = dataType;
            names.Add(name!);
        }
    }

    // LARK-API.md's table: text and markdown cells are strings, number and date cells JSON numbers (dates in Unix
    // milliseconds), options a label or [{text,color}], persons an open_id or a list of them.
    private static bool CellFits(string dataType, JsonElement value) => dataType switch
    {
        "number" or "date" => value.ValueKind == JsonValueKind.Number,
        "options" => value.ValueKind == JsonValueKind.String || (value.ValueKind == JsonValueKind.Array && AllItems(value, o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)),
        "persons" => value.ValueKind == JsonValueKind.String || (value.ValueKind == JsonValueKind.Array && AllItems(value, p => p.ValueKind == JsonValueKind.String)),
        "text" or "lark_md" or "markdown" => value.ValueKind == JsonValueKind.String,
        _ => true, // an unknown data_type is reported once, on its column
    };

    private static string ExpectedCell(string dataType) => dataType switch
    {
        "number" => "a JSON number",
        "date" => "a JSON number of Unix milliseconds",
        "options" => "a label string or [{\"text\":\"…\",\"color\":\"blue\"}]",
        "persons" => "an open_id string or a list of them",
        _ => "a string",
    };

    private static void CheckCardImage(JsonElement image, string path, CardWalk walk, List<ValidationProblem> problems)
    {
        if (image.TryGetProperty("path", out var local) && !image.TryGetProperty("img_key", out _))
        {
            Add(walk, problems, new ValidationProblem(path + ".path", "is a local image (" + (local.ValueKind == JsonValueKind.String ? ValidationProblem.Quote(local.GetString()!) : local.GetRawText())
                + "), which only Send-LarkMessage uploads on an app connection; Lark takes an img_key",
                "Send-LarkMessage on an app connection (it uploads the file), or an img_key from an image upload", "string"));
            return;
        }

        var before = problems.Count;
        RequireString(image, path, "img_key", problems, ImageKeyPrefix, "an image key from an image upload, starting with 'img_' (230099, 200570)");
        walk.Problems += problems.Count - before;
    }

    private static void CheckButton(JsonElement button, string path, CardWalk walk, List<ValidationProblem> problems)
    {
        if (button.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && Contains(ButtonTypes, type.GetString()!)))
        {
            Add(walk, problems, new ValidationProblem(path + ".type", type.GetRawText() + " is not a button type (230099)", ValidationProblem.OneOf(ButtonTypes), MessageJson.KindOf(type.ValueKind)));
        }

        if (!button.TryGetProperty("behaviors", out var behaviors))
        {
            return;
        }

        if (behaviors.ValueKind != JsonValueKind.Array)
        {
            Add(walk, problems, WrongKind(path + ".behaviors", behaviors, "an array of behaviors [{\"type\":\"open_url\",\"default_url\":\"https://…\"}]"));
            return;
        }

        var b = 0;
        foreach (var behavior in behaviors.EnumerateArray())
        {
            var at = path + ".behaviors[" + Number(b++) + "]";
            var kind = behavior.ValueKind == JsonValueKind.Object && behavior.TryGetProperty("type", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (kind == "open_url")
            {
                var url = behavior.TryGetProperty("default_url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                if (url is null || !IsWebLink(url))
                {
                    Add(walk, problems, new ValidationProblem(at + ".default_url", url is null ? "is missing; an open_url behavior needs it (230099)" : ValidationProblem.Quote(url) + " is not an http or https link (230099)",
                        "an absolute link such as 'https://example.com/'", url is null ? "missing" : "string"));
                }
            }
            else if (kind == "callback")
            {
                if (!behavior.TryGetProperty("value", out _))
                {
                    Add(walk, problems, new ValidationProblem(at + ".value", "is missing; a callback behavior sends its value to the app (230099)", "an object such as {\"action\":\"ack\"}", "missing"));
                }
            }
            else
            {
                Add(walk, problems, new ValidationProblem(at + ".type", (kind is null ? "is missing or not a string" : ValidationProblem.Quote(kind) + " is not a behavior type") + " (230099)",
                    "'open_url' or 'callback'", kind is null ? "missing" : "string"));
            }
        }
    }

    private static bool AllItems(JsonElement array, Func<JsonElement, bool> fits)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (!fits(item))
            {
                return false;
            }
        }

        return true;
    }

    private static string KindWithArticle(JsonElement value)
    {
        var kind = MessageJson.KindOf(value.ValueKind);
        return kind switch { "object" or "array" => "an " + kind, "null" => "null", _ => "a " + kind };
    }

    private static void Add(CardWalk walk, List<ValidationProblem> problems, ValidationProblem problem)
    {
        walk.Problems++;
        if (walk.Problems <= MaxNodeProblems)
        {
            problems.Add(problem);
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
