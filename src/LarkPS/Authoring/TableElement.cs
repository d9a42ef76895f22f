using System;
using System.Collections.Generic;
using System.Text.Json;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>The data types a table column of a built card takes (Lark has lark_md, markdown, options, persons too).</summary>
internal enum TableDataType
{
    /// <summary>A string shown as typed: no markdown, no mention, no link.</summary>
    Text,

    /// <summary>A JSON number, shown with the column's precision.</summary>
    Number,

    /// <summary>Unix milliseconds, shown in the reader's time zone.</summary>
    Date,
}

/// <summary>One column of a table: its row key (name), header text, data type and number or date format.</summary>
internal sealed class TableColumn
{
    public TableColumn(string name, string displayName, TableDataType dataType, int? precision = null, bool separator = false, string? dateFormat = null)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A table column needs a name (its row key).", nameof(name));
        }

        if (precision is < 0 or > CardLimits.MaxPrecision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Lark's number precision is 0 to 10.");
        }

        Name = name;
        DisplayName = displayName ?? name;
        DataType = dataType;
        Precision = precision;
        Separator = separator;
        DateFormat = dateFormat;
    }

    /// <summary>The row key: letters, digits and '_' (a letter or '_' first), unique in the table.</summary>
    public string Name { get; }

    /// <summary>The header text, as the property or label was written.</summary>
    public string DisplayName { get; }

    public TableDataType DataType { get; }

    public int? Precision { get; }

    public bool Separator { get; }

    public string? DateFormat { get; }

    /// <summary>Lark's data_type value.</summary>
    public string LarkDataType => DataType switch
    {
        TableDataType.Number => "number",
        TableDataType.Date => "date",
        _ => "text",
    };

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        writer.WriteString("display_name", DisplayName);
        writer.WriteString("data_type", LarkDataType);
        if (DataType == TableDataType.Number && (Precision is not null || Separator))
        {
            writer.WriteStartObject("format");
            if (Precision is { } precision)
            {
                writer.WriteNumber("precision", precision);
            }

            if (Separator)
            {
                writer.WriteBoolean("separator", true);
            }

            writer.WriteEndObject();
        }

        if (DataType == TableDataType.Date && DateFormat is not null)
        {
            writer.WriteString("date_format", DateFormat);
        }

        writer.WriteEndObject();
    }
}

/// <summary>A table component: its columns and rows (each row already written as a compact JSON object).</summary>
internal sealed class TableElement : CardElement
{
    public TableElement(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> rowsJson, int pageSize)
    {
        Columns = columns ?? throw new ArgumentNullException(nameof(columns));
        RowsJson = rowsJson ?? throw new ArgumentNullException(nameof(rowsJson));
        if (columns.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        }

        if (columns.Count > CardLimits.MaxColumns)
        {
            throw new CardLimitException(
                "The table has " + columns.Count + " columns; Lark shows at most " + CardLimits.MaxColumns + " and silently leaves out the rest.",
                "Choose at most " + CardLimits.MaxColumns + " columns with -Property.");
        }

        if (pageSize is < CardLimits.MinPageSize or > CardLimits.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "Lark's table page_size is 1 to 10.");
        }

        PageSize = pageSize;
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<string> RowsJson { get; }

    public int PageSize { get; }

    // Rows are data, not components: only the table counts.
    public override int ElementCount => 1;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("tag", "table");
        writer.WriteNumber("page_size", PageSize);
        writer.WriteString("row_height", "low");
        writer.WriteStartObject("header_style");
        writer.WriteBoolean("bold", true);
        writer.WriteString("background_style", "grey");
        writer.WriteEndObject();
        writer.WriteStartArray("columns");
        foreach (var column in Columns)
        {
            column.Write(writer);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        foreach (var row in RowsJson)
        {
            writer.WriteRawValue(row, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
