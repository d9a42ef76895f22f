using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>A column asked for: its header text and, optionally, a format (see <see cref="TableFormats"/>).</summary>
internal sealed class TableColumnSpec
{
    /// <param name="displayName">The header text.</param>
    /// <param name="format">A number or date format for this column.</param>
    /// <param name="formatForAll">The format was given for every column: it applies where it fits the column and is ignored elsewhere.</param>
    public TableColumnSpec(string displayName, string? format = null, bool formatForAll = false)
    {
        DisplayName = string.IsNullOrEmpty(displayName) ? throw new ArgumentException("A column needs a name.", nameof(displayName)) : displayName;
        Format = string.IsNullOrWhiteSpace(format) ? null : format;
        FormatForAll = formatForAll;
    }

    public bool FormatForAll { get; }

    public string DisplayName { get; }

    public string? Format { get; }
}

/// <summary>One card of a table split over several: its JSON, which rows it holds and its size on the wire.</summary>
internal sealed class BuiltCard
{
    public BuiltCard(string json, string? title, int part, int parts, int firstRow, int rowCount, int bodyBytes)
    {
        Json = json;
        Title = title;
        Part = part;
        Parts = parts;
        FirstRow = firstRow;
        RowCount = rowCount;
        BodyBytes = bodyBytes;
    }

    public string Json { get; }

    public string? Title { get; }

    public int Part { get; }

    public int Parts { get; }

    /// <summary>The 0-based index, among the rows given, of this card's first row.</summary>
    public int FirstRow { get; }

    public int RowCount { get; }

    /// <summary>The request body's size in bytes, sized with the longest receive_id and uuid.</summary>
    public int BodyBytes { get; }
}

/// <summary>A row that fits no card: alone it makes a body over the limit.</summary>
internal sealed class TableRowProblem
{
    public TableRowProblem(int row, int bytes, int budget)
    {
        Row = row;
        Bytes = bytes;
        Budget = budget;
    }

    public int Row { get; }

    public int Bytes { get; }

    public int Budget { get; }

    public override string ToString() =>
        "Row " + (Row + 1).ToString(CultureInfo.InvariantCulture) + " makes " + Bytes.ToString("N0", CultureInfo.InvariantCulture)
        + " bytes on its own, more than a card can hold (" + Budget.ToString("N0", CultureInfo.InvariantCulture) + " bytes with its header)";
}

/// <summary>What <see cref="TableCardBuilder.Build"/> made: the cards in order, and what it could not put in any.</summary>
internal sealed class TableCardResult
{
    public TableCardResult(IReadOnlyList<TableColumn> columns, IReadOnlyList<BuiltCard> cards, IReadOnlyList<TableRowProblem> rowProblems, IReadOnlyList<string> warnings)
    {
        Columns = columns;
        Cards = cards;
        RowProblems = rowProblems;
        Warnings = warnings;
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<BuiltCard> Cards { get; }

    public IReadOnlyList<TableRowProblem> RowProblems { get; }

    /// <summary>Formats that did not apply (a format on a column of text), in words.</summary>
    public IReadOnlyList<string> Warnings { get; }
}

/// <summary>
/// Rows of values to cards with a table (ConvertTo-LarkCard's work, without PowerShell): a column's data_type from its
/// values (all numbers: number; all DateTime/DateTimeOffset: date in Unix milliseconds; anything else: text, shown
/// as typed, so a cell holding '&lt;at user_id="all"&gt;&lt;/at&gt;' or '**x**' is never a mention or bold), and as
/// many cards as the rows need, each under Lark's size limit with a margin, titled "Title (1/3)" and so on.
/// </summary>
internal sealed class TableCardBuilder
{
    // The widest part suffix sized for before the number of parts is known.
    private const string SuffixSizing = " (99999/99999)";

    private readonly string? _title;
    private readonly string? _template;
    private readonly int _pageSize;
    private readonly CardTarget _target;

    public TableCardBuilder(string? title, string? template, int pageSize, CardTarget target)
    {
        if (pageSize is < CardLimits.MinPageSize or > CardLimits.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "Lark's table page_size is 1 to 10.");
        }

        _title = string.IsNullOrWhiteSpace(title) ? null : title;
        _template = template;
        _pageSize = pageSize;
        _target = target;
    }

    /// <param name="columns">The columns, in order.</param>
    /// <param name="rows">One array per row, a value per column (null for none); values are plain .NET objects.</param>
    public TableCardResult Build(IReadOnlyList<TableColumnSpec> columns, IReadOnlyList<object?[]> rows)
    {
        if (columns is null || rows is null)
        {
            throw new ArgumentNullException(columns is null ? nameof(columns) : nameof(rows));
        }

        if (columns.Count == 0)
        {
            throw new CardLimitException("The objects have no properties to make columns of.", "Give -Property with the columns to show.");
        }

        CheckColumnCount(columns.Count);
        var warnings = new List<string>();
        var typed = TypeColumns(columns, rows, warnings);
        var rowJson = rows.Select(r => WriteRow(typed, r)).ToList();

        var budget = CardLimits.BudgetFor(_target);
        var sizingTitle = (_title ?? string.Empty) + SuffixSizing;
        var overhead = CardSize.BodyBytes(Card(sizingTitle, typed, Array.Empty<string>()).ToJson(), _target);
        var room = budget - overhead;
        if (room <= 0)
        {
            throw new CardLimitException(
                "The table's header and columns alone make " + overhead.ToString("N0", CultureInfo.InvariantCulture) + " bytes, over the "
                + budget.ToString("N0", CultureInfo.InvariantCulture) + " a card may have.",
                "Use a shorter -Title or fewer columns.");
        }

        // Greedy: as many rows as fit, in order; a row that fits no card on its own is reported and left out.
        var chunks = new List<(int First, List<int> Rows)>();
        var problems = new List<TableRowProblem>();
        List<int>? current = null;
        var used = 0;
        for (var i = 0; i < rowJson.Count; i++)
        {
            var cost = CardSize.PieceBytes(rowJson[i], _target) + 1;
            if (cost > room)
            {
                problems.Add(new TableRowProblem(i, cost, room));
                continue;
            }

            if (current is null || used + cost > room)
            {
                current = new List<int>();
                chunks.Add((i, current));
                used = 0;
            }

            current.Add(i);
            used += cost;
        }

        if (chunks.Count == 0 && problems.Count == 0)
        {
            chunks.Add((0, new List<int>()));
        }

        var cards = new List<BuiltCard>(chunks.Count);
        for (var c = 0; c < chunks.Count; c++)
        {
            var title = chunks.Count == 1
                ? _title
                : (_title is null ? string.Empty : _title + " ") + "(" + (c + 1).ToString(CultureInfo.InvariantCulture) + "/" + chunks.Count.ToString(CultureInfo.InvariantCulture) + ")";
            var json = Card(title, typed, chunks[c].Rows.Select(i => rowJson[i]).ToList()).ToJson();
            var bytes = CardSize.BodyBytes(json, _target);
            if (bytes > budget)
            {
                // Cannot happen while the sizing above holds; a card Lark would refuse must never leave here.
                throw new InvalidOperationException("A table card came to " + bytes + " bytes, over its budget of " + budget + ".");
            }

            cards.Add(new BuiltCard(json, title, c + 1, chunks.Count, chunks[c].First, chunks[c].Rows.Count, bytes));
        }

        return new TableCardResult(typed, cards, problems, warnings);
    }

    /// <summary>Throws <see cref="CardLimitException"/> for more columns than Lark shows: check it before reading any cell.</summary>
    public static void CheckColumnCount(int count)
    {
        if (count > CardLimits.MaxColumns)
        {
            throw new CardLimitException(
                "The table would have " + count.ToString(CultureInfo.InvariantCulture) + " columns; Lark shows at most "
                + CardLimits.MaxColumns.ToString(CultureInfo.InvariantCulture) + " and silently leaves out the others.",
                "Choose at most " + CardLimits.MaxColumns.ToString(CultureInfo.InvariantCulture) + " columns with -Property (names, or @{Name=…; Expression={…}}).");
        }
    }

    private CardDocument Card(string? title, IReadOnlyList<TableColumn> columns, IReadOnlyList<string> rows) =>
        new(string.IsNullOrEmpty(title) ? null : new CardHeader(title!, null, _template), new CardElement[] { new TableElement(columns, rows, _pageSize) });

    private static List<TableColumn> TypeColumns(IReadOnlyList<TableColumnSpec> specs, IReadOnlyList<object?[]> rows, List<string> warnings)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var columns = new List<TableColumn>(specs.Count);
        for (var c = 0; c < specs.Count; c++)
        {
            var spec = specs[c];
            var kind = TableDataType.Text;
            var seen = false;
            var allIntegral = true;
            foreach (var row in rows)
            {
                var value = c < row.Length ? row[c] : null;
                if (value is null)
                {
                    continue;
                }

                var cell = KindOf(value);
                if (!seen)
                {
                    kind = cell;
                    seen = true;
                }
                else if (cell != kind)
                {
                    kind = TableDataType.Text;
                    break;
                }

                if (cell == TableDataType.Number && !IsIntegral(value))
                {
                    allIntegral = false;
                }
            }

            var name = UniqueName(spec.DisplayName, c, names);
            columns.Add(Column(name, spec, kind, allIntegral, warnings));
        }

        return columns;
    }

    private static TableColumn Column(string name, TableColumnSpec spec, TableDataType kind, bool allIntegral, List<string> warnings)
    {
        if (spec.Format is { } format)
        {
            if (kind == TableDataType.Number)
            {
                var number = TableFormats.ParseNumber(format, out var problem);
                if (number is { } n)
                {
                    return new TableColumn(name, spec.DisplayName, kind, n.Precision, n.Separator);
                }

                if (!spec.FormatForAll)
                {
                    throw new ArgumentException("Column '" + spec.DisplayName + "': " + problem + ".");
                }
            }
            else if (kind == TableDataType.Date)
            {
                var date = TableFormats.ParseDate(format, out var problem);
                if (date is not null)
                {
                    return new TableColumn(name, spec.DisplayName, kind, dateFormat: date);
                }

                if (!spec.FormatForAll)
                {
                    throw new ArgumentException("Column '" + spec.DisplayName + "': " + problem + ".");
                }
            }
            else if (!spec.FormatForAll)
            {
                    warnings.Add("The format '" + format + "' of column '" + spec.DisplayName + "' was not used: its values are not all numbers or all dates, so it is a text column.");
            }
        }

        return kind switch
        {
            // Whole numbers without decimals; others with 2, as Format-Table would not, but a card has no width to spare.
            TableDataType.Number => new TableColumn(name, spec.DisplayName, kind, allIntegral ? 0 : 2),
            TableDataType.Date => new TableColumn(name, spec.DisplayName, kind, dateFormat: TableFormats.DefaultDateFormat),
            _ => new TableColumn(name, spec.DisplayName, kind),
        };
    }

    // Row keys: the header text where it is a plain identifier, else c<N>; unique either way.
    private static string UniqueName(string display, int index, HashSet<string> names)
    {
        var plain = display.Length is > 0 and <= 50
            && (char.IsLetter(display[0]) || display[0] == '_')
            && display.All(ch => ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');
        var name = plain ? display : "c" + index.ToString(CultureInfo.InvariantCulture);
        var candidate = name;
        for (var n = 2; !names.Add(candidate); n++)
        {
            candidate = name + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    // A number cell is a JSON number, which readers take as a double: whole numbers past 2^53 would show rounded.
    private const long ExactInDouble = 9_007_199_254_740_992L;

    internal static TableDataType KindOf(object value) => value switch
    {
        double d => IsFinite(d) ? TableDataType.Number : TableDataType.Text,
        float f => IsFinite(f) ? TableDataType.Number : TableDataType.Text,
        long l => l is >= -ExactInDouble and <= ExactInDouble ? TableDataType.Number : TableDataType.Text,
        ulong u => u <= ExactInDouble ? TableDataType.Number : TableDataType.Text,
        decimal m => m is >= -ExactInDouble and <= ExactInDouble ? TableDataType.Number : TableDataType.Text,
        byte or sbyte or short or ushort or int or uint => TableDataType.Number,
        DateTime or DateTimeOffset => TableDataType.Date,
        _ => TableDataType.Text,
    };

    private static bool IsFinite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);

    private static bool IsIntegral(object value) => value switch
    {
        double d => Math.Floor(d) == d,
        float f => Math.Floor(f) == f,
        decimal m => decimal.Truncate(m) == m,
        _ => true,
    };

    private static string WriteRow(List<TableColumn> columns, object?[] row) => MessageJson.WriteToString(writer =>
    {
        writer.WriteStartObject();
        for (var c = 0; c < columns.Count; c++)
        {
            var value = c < row.Length ? row[c] : null;
            if (value is null)
            {
                // No key: an empty cell. (null in a number or date column is not of its data_type.)
                continue;
            }

            var column = columns[c];
            writer.WritePropertyName(column.Name);
            switch (column.DataType)
            {
                case TableDataType.Number:
                    WriteNumber(writer, value);
                    break;
                case TableDataType.Date:
                    writer.WriteNumberValue(UnixMilliseconds(value));
                    break;
                default:
                    writer.WriteStringValue(Text(value));
                    break;
            }
        }

        writer.WriteEndObject();
    });

    // A DateTime of kind Local or Unspecified is the machine's local time, as PowerShell shows it; Utc is UTC.
    internal static long UnixMilliseconds(object value)
    {
        if (value is DateTimeOffset offset)
        {
            return offset.ToUnixTimeMilliseconds();
        }

        var date = (DateTime)value;
        try
        {
            return new DateTimeOffset(date).ToUnixTimeMilliseconds();
        }
        catch (ArgumentOutOfRangeException)
        {
            // DateTime.MinValue east of UTC (or MaxValue west of it) has no local offset that fits: take it as UTC.
            return new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case ulong u: writer.WriteNumberValue(u); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case double d: writer.WriteNumberValue(d); break;
            case float f: writer.WriteNumberValue(f); break;
            default: writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>A value as a text cell shows it: strings as they are, lists joined with ", ", the rest invariantly.</summary>
    internal static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "True" : "False",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => string.Join(", ", list.Cast<object?>().Select(x => x is null ? string.Empty : Text(x))),
        _ => value.ToString() ?? string.Empty,
    };
}
