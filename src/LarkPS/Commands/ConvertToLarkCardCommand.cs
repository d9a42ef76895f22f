using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Internal;
using LarkPS.Authoring;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// ConvertTo-LarkCard: objects in, cards with a table out, as ConvertTo-Html makes a table of them. Columns from the
/// objects' properties in order (or -Property, as Select-Object takes it), each typed from its values; as many cards
/// as the rows need, each within Lark's limits, titled "Title (1/3)" and so on.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "LarkCard")]
[OutputType(typeof(LarkCard))]
public sealed class ConvertToLarkCardCommand : LarkCmdlet
{
    private readonly List<PSObject> _rows = new();

    /// <summary>The objects whose properties become the table's columns and rows.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>
    /// The columns, in order: property names (wildcards work), or hashtables as Select-Object takes them,
    /// @{Name='Memory (MB)'; Expression={ $_.WS / 1MB }; Format='N1'}. Default: every property, in the order first seen.
    /// </summary>
    [Parameter(Position = 0)]
    public object[]? Property { get; set; }

    /// <summary>The card's title; with several cards, each gets "(1/3)" and so on after it.</summary>
    [Parameter]
    public string? Title { get; set; }

    /// <summary>The header's colour.</summary>
    [Parameter]
    [ValidateSet("blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple", "indigo", "grey", "default")]
    public string? Template { get; set; }

    /// <summary>Rows shown per page of the table (Lark pages the rest): 1 to 10.</summary>
    [Parameter]
    [ValidateRange(1, 10)]
    public int PageSize { get; set; } = CardLimits.MaxPageSize;

    /// <summary>
    /// How numbers and dates show: one format for every number and date column ('N2', 'F0', '#,##0.00',
    /// 'yyyy-MM-dd HH:mm'), or a hashtable of column name → format (@{WS='N0'; StartTime='MM-dd HH:mm'}).
    /// </summary>
    [Parameter]
    public object? Format { get; set; }

    /// <summary>The connection the cards are for: a webhook connection makes each fit a hook's 20 KB. Default: this session's.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is null || ReferenceEquals(InputObject, AutomationNull.Value) || InputObject.BaseObject is DBNull)
        {
            return;
        }

        // -InputObject $rows (not piped): each element is a row, as Format-Table would show them.
        if (!MyInvocation.ExpectingInput && InputObject.BaseObject is IList list && InputObject.BaseObject is not IDictionary)
        {
            foreach (var item in list)
            {
                if (item is not null)
                {
                    _rows.Add(PSObject.AsPSObject(item));
                }
            }

            return;
        }

        _rows.Add(InputObject);
    }

    protected override void EndProcessing()
    {
        if (_rows.Count == 0)
        {
            WriteVerbose("ConvertTo-LarkCard: no input objects, so no card.");
            return;
        }

        if (Template is not null && string.IsNullOrWhiteSpace(Title))
        {
            WriteWarning("-Template '" + Template + "' colours the card's header, and a card without -Title has none: give -Title too, or leave -Template out.");
        }

        List<SelectedColumn> columns;
        try
        {
            columns = TableColumnSelector.Select(Property, _rows, FormatOf);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, AuthoringErrorIds.InvalidCardInput, ErrorCategory.InvalidArgument, Property, "Check -Property. No card was made."));
            return;
        }

        try
        {
            // Before any cell is read: a property that cannot be read in a table that is refused anyway is no news.
            TableCardBuilder.CheckColumnCount(columns.Count);
        }
        catch (CardLimitException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, AuthoringErrorIds.CardLimit, ErrorCategory.LimitsExceeded, Property, ex.Fix + " No card was made."));
            return;
        }

        var cells = ReadCells(columns);
        var target = (Connection ?? ConnectionStore.Current)?.Kind == LarkConnectionKind.Webhook ? CardTarget.Webhook : CardTarget.App;
        TableCardResult result;
        try
        {
            result = new TableCardBuilder(Title, Template, PageSize, target).Build(columns.Select(c => c.Spec).ToList(), cells);
        }
        catch (CardLimitException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, AuthoringErrorIds.CardLimit, ErrorCategory.LimitsExceeded, Property, ex.Fix + " No card was made."));
            return;
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.WithFix(ex, AuthoringErrorIds.InvalidCardInput, ErrorCategory.InvalidArgument, Format,
                "Give -Format as " + TableFormats.NumberFormatHelp + " for numbers, or " + TableFormats.DateFormatHelp + " for dates. No card was made."));
            return;
        }

        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        foreach (var problem in result.RowProblems)
        {
            WriteError(ErrorRecords.WithFix(
                new ArgumentException(problem + "; it is left out, the other rows are in the cards."),
                AuthoringErrorIds.RowTooLarge, ErrorCategory.LimitsExceeded, _rows[problem.Row].BaseObject is PSCustomObject ? _rows[problem.Row] : _rows[problem.Row].BaseObject,
                "Shorten that row's long values (with -Property @{Name=…; Expression={ $_.Text.Substring(0, 500) }}), or send them as a file."));
        }

        WriteVerbose(string.Format(CultureInfo.InvariantCulture, "ConvertTo-LarkCard: {0} row(s), {1} column(s) ({2}), {3} card(s).",
            _rows.Count, result.Columns.Count, string.Join(", ", result.Columns.Select(c => c.DisplayName + ":" + c.LarkDataType)), result.Cards.Count));
        foreach (var card in result.Cards)
        {
            WriteObject(new LarkCard(card.Json, card.Title, card.Part, card.Parts, card.RowCount, card.BodyBytes));
        }
    }

    private List<object?[]> ReadCells(List<SelectedColumn> columns)
    {
        var failed = new HashSet<int>();
        var cells = new List<object?[]>(_rows.Count);
        foreach (var row in _rows)
        {
            var values = new object?[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                try
                {
                    values[c] = columns[c].ValueOf(row);
                }
                catch (Exception ex) when (ex is RuntimeException or GetValueException or InvalidOperationException)
                {
                    // One error per column, naming the first row it failed for; its cells stay empty.
                    if (failed.Add(c))
                    {
                        var column = columns[c];
                        var what = column.Expression is null ? "property '" + column.PropertyName + "'" : "column '" + column.Spec.DisplayName + "'";
                        WriteError(ErrorRecords.WithFix(
                            new ArgumentException("The " + what + " could not be read: " + ex.Message, ex),
                            AuthoringErrorIds.ExpressionFailed, ErrorCategory.InvalidOperation, row.BaseObject is PSCustomObject ? row : row.BaseObject,
                            column.Expression is null
                                ? "Leave that property out by naming the columns to show with -Property; its cells are left empty where it fails."
                                : "Check that column's Expression; its cells are left empty where it fails."));
                    }
                }
            }

            cells.Add(values);
        }

        return cells;
    }

    // -Format 'N2' for every number and date column whose values fit it, or @{Column='N2'} by name.
    private (string? Format, bool ForAll) FormatOf(string column)
    {
        var format = Format is PSObject ps ? ps.BaseObject : Format;
        switch (format)
        {
            case null:
                return (null, false);
            case IDictionary byColumn:
                foreach (DictionaryEntry entry in byColumn)
                {
                    if (string.Equals(LanguagePrimitives.ConvertTo<string>(entry.Key), column, StringComparison.OrdinalIgnoreCase))
                    {
                        return (LanguagePrimitives.ConvertTo<string>(entry.Value), false);
                    }
                }

                return (null, false);
            default:
                return (LanguagePrimitives.ConvertTo<string>(format), true);
        }
    }
}
