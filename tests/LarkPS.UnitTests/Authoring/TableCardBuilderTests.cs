using System.Globalization;
using System.Text.Json;
using LarkPS.Authoring;
using LarkPS.Messages;
using Xunit;
using static LarkPS.UnitTests.Authoring.AuthoringTestKit;

namespace LarkPS.UnitTests.Authoring;

public class TableCardBuilderTests
{
    private static readonly TableColumnSpec[] ProcessColumns = { new("Name"), new("Id"), new("WS"), new("StartTime") };

    private static TableCardResult Build(IReadOnlyList<TableColumnSpec> columns, IReadOnlyList<object?[]> rows, string? title = "Top", int pageSize = 10, CardTarget target = CardTarget.App) =>
        new TableCardBuilder(title, "blue", pageSize, target).Build(columns, rows);

    private static JsonElement TableOf(BuiltCard card) => Elements(card.Json)[0];

    [Fact]
    public void Columns_are_typed_from_their_values_and_rows_keep_them()
    {
        var started = new DateTimeOffset(2025, 11, 25, 10, 30, 0, TimeSpan.FromHours(8));
        var rows = new List<object?[]>
        {
            new object?[] { "pwsh", 4242, 123456789L, started },
            new object?[] { "dotnet", 17, 9_876_543L, null },
        };

        var result = Build(ProcessColumns, rows);

        var card = Assert.Single(result.Cards);
        var table = TableOf(card);
        Assert.Equal("table", table.GetProperty("tag").GetString());
        Assert.Equal(10, table.GetProperty("page_size").GetInt32());
        var columns = table.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(new[] { "text", "number", "number", "date" }, columns.Select(c => c.GetProperty("data_type").GetString()));
        Assert.Equal(new[] { "Name", "Id", "WS", "StartTime" }, columns.Select(c => c.GetProperty("display_name").GetString()));
        Assert.Equal(0, columns[1].GetProperty("format").GetProperty("precision").GetInt32());
        Assert.Equal("YYYY-MM-DD HH:mm:ss", columns[3].GetProperty("date_format").GetString());

        var first = table.GetProperty("rows")[0];
        Assert.Equal("pwsh", first.GetProperty("Name").GetString());
        Assert.Equal(4242, first.GetProperty("Id").GetInt32());
        Assert.Equal(123456789L, first.GetProperty("WS").GetInt64());
        Assert.Equal(started.ToUnixTimeMilliseconds(), first.GetProperty("StartTime").GetInt64());
        // A null is an empty cell: no key (null is not of a date column's data_type).
        Assert.False(table.GetProperty("rows")[1].TryGetProperty("StartTime", out _));
        Assert.Equal("Top", card.Title);
        Assert.Equal(2, card.RowCount);
        AssertSendable(card.Json);
    }

    [Fact]
    public void A_local_DateTime_is_sent_as_the_instant_it_names()
    {
        var local = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Local);
        var utc = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        var table = TableOf(Build(new[] { new TableColumnSpec("Local"), new TableColumnSpec("Utc") }, new[] { new object?[] { local, utc } }).Cards[0]);

        var row = table.GetProperty("rows")[0];
        Assert.Equal(new DateTimeOffset(local).ToUnixTimeMilliseconds(), row.GetProperty("Local").GetInt64());
        Assert.Equal(1735787045000L, row.GetProperty("Utc").GetInt64());
    }

    [Fact]
    public void Booleans_mixed_values_and_lists_are_text_and_decimals_get_two_places()
    {
        var rows = new[]
        {
            new object?[] { true, 1, 1.5, new[] { "a", "b" }, null },
            new object?[] { false, "two", 2.25, new[] { "c" }, null },
        };

        var table = TableOf(Build(new TableColumnSpec[] { new("Ok"), new("Mixed"), new("Ratio"), new("Tags"), new("Empty") }, rows).Cards[0]);

        var columns = table.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(new[] { "text", "text", "number", "text", "text" }, columns.Select(c => c.GetProperty("data_type").GetString()));
        Assert.Equal(2, columns[2].GetProperty("format").GetProperty("precision").GetInt32());
        var row = table.GetProperty("rows")[0];
        Assert.Equal("True", row.GetProperty("Ok").GetString());
        Assert.Equal("1", row.GetProperty("Mixed").GetString());
        Assert.Equal(1.5, row.GetProperty("Ratio").GetDouble());
        Assert.Equal("a, b", row.GetProperty("Tags").GetString());
    }

    [Fact]
    public void Whole_numbers_past_2_to_the_53_are_text_so_they_show_exactly()
    {
        // A number cell is a JSON number, read as a double: 9007199254740993 would show as ...992.
        const long Exact = 9_007_199_254_740_992L;
        var rows = new[]
        {
            new object?[] { Exact, Exact + 1, 18_446_744_073_709_551_615UL, 12_345_678_901_234_567_890m, 7L },
            new object?[] { 1L, 2L, 3UL, 4m, -(Exact + 1) },
        };

        var table = TableOf(Build(new TableColumnSpec[] { new("Fits"), new("Past"), new("Max"), new("Big"), new("Negative") }, rows).Cards[0]);

        var columns = table.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(new[] { "number", "text", "text", "text", "text" }, columns.Select(c => c.GetProperty("data_type").GetString()));
        var row = table.GetProperty("rows")[0];
        Assert.Equal(Exact, row.GetProperty("Fits").GetInt64());
        Assert.Equal("9007199254740993", row.GetProperty("Past").GetString());
        Assert.Equal("18446744073709551615", row.GetProperty("Max").GetString());
        Assert.Equal("12345678901234567890", row.GetProperty("Big").GetString());
        Assert.Equal("-9007199254740993", table.GetProperty("rows")[1].GetProperty("Negative").GetString());
    }

    [Theory]
    [InlineData("N1", 1, true)]
    [InlineData("F0", 0, false)]
    [InlineData("D", 0, false)]
    [InlineData("#,##0.00", 2, true)]
    [InlineData("0.000", 3, false)]
    public void A_number_format_gives_Larks_precision_and_separator(string format, int precision, bool separator)
    {
        var table = TableOf(Build(new[] { new TableColumnSpec("WS", format) }, new[] { new object?[] { 1234.5678 } }).Cards[0]);

        var formatJson = table.GetProperty("columns")[0].GetProperty("format");
        Assert.Equal(precision, formatJson.GetProperty("precision").GetInt32());
        Assert.Equal(separator, formatJson.TryGetProperty("separator", out var s) && s.GetBoolean());
    }

    [Fact]
    public void A_date_format_becomes_Larks_tokens_and_a_bad_format_names_the_column()
    {
        var table = TableOf(Build(new[] { new TableColumnSpec("When", "yyyy/MM/dd HH:mm") }, new[] { new object?[] { DateTime.UtcNow } }).Cards[0]);
        Assert.Equal("YYYY/MM/DD HH:mm", table.GetProperty("columns")[0].GetProperty("date_format").GetString());

        var bad = Assert.Throws<ArgumentException>(() => Build(new[] { new TableColumnSpec("WS", "P0") }, new[] { new object?[] { 0.5 } }));
        Assert.Contains("Column 'WS'", bad.Message, StringComparison.Ordinal);
        Assert.Contains("'N2'", bad.Message, StringComparison.Ordinal);
        var tooPrecise = Assert.Throws<ArgumentException>(() => Build(new[] { new TableColumnSpec("WS", "N11") }, new[] { new object?[] { 0.5 } }));
        Assert.Contains("at most 10", tooPrecise.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_on_a_text_column_is_a_warning_not_a_silent_drop()
    {
        var result = Build(new[] { new TableColumnSpec("Name", "N2") }, new[] { new object?[] { "pwsh" } });

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'N2'", warning, StringComparison.Ordinal);
        Assert.Contains("'Name'", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<at user_id=\"all\"></at>")]
    [InlineData("<at id=all></at>")]
    [InlineData("**x**")]
    [InlineData("[a](b)")]
    [InlineData("<script>alert(1)</script>")]
    public void Cells_that_look_like_markup_arrive_as_typed_text(string cell)
    {
        var card = Build(new[] { new TableColumnSpec("Cell") }, new[] { new object?[] { cell } }).Cards[0];

        var table = TableOf(card);
        Assert.Equal("text", table.GetProperty("columns")[0].GetProperty("data_type").GetString());
        Assert.Equal(cell, table.GetProperty("rows")[0].GetProperty("Cell").GetString());
        AssertSendable(card.Json);
    }

    [Fact]
    public void Column_keys_are_identifiers_and_unique_while_headers_keep_the_names_as_written()
    {
        var table = TableOf(Build(new TableColumnSpec[] { new("Memory (MB)"), new("c0"), new("名前"), new("Name"), new("Name") }, new[] { new object?[] { 1, 2, 3, 4, 5 } }).Cards[0]);

        var columns = table.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(new[] { "c0", "c0_2", "c2", "Name", "Name_2" }, columns.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(new[] { "Memory (MB)", "c0", "名前", "Name", "Name" }, columns.Select(c => c.GetProperty("display_name").GetString()));
        Assert.Equal(5, table.GetProperty("rows")[0].EnumerateObject().Count());
    }

    [Fact]
    public void More_than_50_columns_are_refused_before_anything_is_built()
    {
        var columns = Enumerable.Range(0, 51).Select(i => new TableColumnSpec("P" + i)).ToList();

        var error = Assert.Throws<CardLimitException>(() => Build(columns, new[] { new object?[51] }));

        Assert.Contains("51 columns", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 50", error.Message, StringComparison.Ordinal);
        Assert.Contains("-Property", error.Fix, StringComparison.Ordinal);
        Assert.Single(Build(columns.Take(50).ToList(), new[] { new object?[50] }).Cards);
    }

    [Fact]
    public void Five_thousand_rows_split_into_cards_each_under_the_limit_in_order_and_titled_by_part()
    {
        var start = new DateTimeOffset(2025, 11, 25, 0, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(0, 5000)
            .Select(i => new object?[] { "process-" + i.ToString(CultureInfo.InvariantCulture) + " \"quoted\" \\ 进程", i, 1_000_000L + i, start.AddSeconds(i) })
            .ToList();

        var result = Build(ProcessColumns, rows);

        Assert.True(result.Cards.Count > 3, result.Cards.Count + " cards");
        Assert.Empty(result.RowProblems);
        var next = 0;
        foreach (var card in result.Cards)
        {
            Assert.Equal("Top (" + card.Part + "/" + result.Cards.Count + ")", card.Title);
            Assert.Equal(result.Cards.Count, card.Parts);
            Assert.Equal(next, card.FirstRow);
            var table = TableOf(card);
            Assert.Equal(card.RowCount, table.GetProperty("rows").GetArrayLength());
            Assert.Equal(next, table.GetProperty("rows")[0].GetProperty("Id").GetInt32());
            next += card.RowCount;

            var message = AssertSendable(card.Json);
            Assert.True(message.SentBodyByteCount <= MessageLimits.CardBodyBytes - CardLimits.Margin, message.SentBodyByteCount + " bytes");
            Assert.Equal(message.SentBodyByteCount, card.BodyBytes);
            Assert.Equal(card.Title, Parse(card.Json).GetProperty("header").GetProperty("title").GetProperty("content").GetString());
        }

        Assert.Equal(5000, next);

        // The cards are full: one more row would not have fit (greedy, so only the last may be short).
        Assert.All(result.Cards.Take(result.Cards.Count - 1), c => Assert.True(c.BodyBytes > MessageLimits.CardBodyBytes - CardLimits.Margin - 300, c.BodyBytes + " bytes"));
    }

    [Fact]
    public void Cards_for_a_webhook_are_sized_for_its_20_KB_body_with_the_card_as_an_object()
    {
        var rows = Enumerable.Range(0, 2000).Select(i => new object?[] { "host-" + i, i }).ToList();

        var app = Build(new TableColumnSpec[] { new("Host"), new("Id") }, rows);
        var hook = Build(new TableColumnSpec[] { new("Host"), new("Id") }, rows, target: CardTarget.Webhook);

        Assert.True(hook.Cards.Count > app.Cards.Count, hook.Cards.Count + " hook cards, " + app.Cards.Count + " app cards");
        Assert.All(hook.Cards, c =>
        {
            var bytes = AssertHookSendable(c.Json);
            Assert.True(bytes <= CardLimits.HookBodyBytes - CardLimits.Margin, bytes + " bytes");
        });
        Assert.Equal(2000, hook.Cards.Sum(c => c.RowCount));
    }

    [Fact]
    public void A_row_too_big_for_any_card_is_reported_and_the_others_still_go()
    {
        var rows = new[]
        {
            new object?[] { "small" },
            new object?[] { new string('x', 40_000) },
            new object?[] { "also small" },
        };

        var result = Build(new[] { new TableColumnSpec("Text") }, rows);

        var problem = Assert.Single(result.RowProblems);
        Assert.Equal(1, problem.Row);
        Assert.StartsWith("Row 2 makes ", problem.ToString(), StringComparison.Ordinal);
        var card = Assert.Single(result.Cards);
        Assert.Equal(2, card.RowCount);
        Assert.Equal(new[] { "small", "also small" }, TableOf(card).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("Text").GetString()));
    }

    [Fact]
    public void No_rows_make_one_card_with_an_empty_table_and_the_page_size_is_kept()
    {
        var card = Assert.Single(Build(ProcessColumns, Array.Empty<object?[]>(), pageSize: 3).Cards);

        Assert.Equal(0, TableOf(card).GetProperty("rows").GetArrayLength());
        Assert.Equal(3, TableOf(card).GetProperty("page_size").GetInt32());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableCardBuilder("T", null, 11, CardTarget.App));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableCardBuilder("T", null, 0, CardTarget.App));
        AssertSendable(card.Json);
    }

    [Fact]
    public void Every_card_is_schema_2_and_shared_so_it_can_be_updated()
    {
        var card = Build(ProcessColumns, new[] { new object?[] { "a", 1, 2, DateTime.UtcNow } }).Cards[0];

        var root = Parse(card.Json);
        Assert.Equal("2.0", root.GetProperty("schema").GetString());
        Assert.True(root.GetProperty("config").GetProperty("update_multi").GetBoolean());
        Assert.Equal("blue", root.GetProperty("header").GetProperty("template").GetString());
        Assert.Equal(CardSharing.Shared, CardFlags.Of(System.Text.Encoding.UTF8.GetBytes(card.Json)));
    }
}
