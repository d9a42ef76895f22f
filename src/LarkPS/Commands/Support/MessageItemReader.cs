using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using LarkPS.Messages;
using LarkPS.Api;

namespace LarkPS.Commands.Support;

/// <summary>
/// The first step of the item path: one pipeline record (or the parameters alone) into message inputs, with the
/// parameters applied as defaults. A seed body string yields one input per message in it, -ReceiveId a,b one per
/// receiver, lines of a JSON document piped one at a time are read as one document. Shared by every message cmdlet.
/// </summary>
internal sealed class MessageItemReader
{
    private readonly JsonLineAssembler _lines = new();
    private readonly string _commandName;
    private readonly Action<ErrorRecord> _writeError;
    private int _itemNumber;

    private readonly Action<string>? _writeVerbose;

    public MessageItemReader(string commandName, Action<ErrorRecord> writeError, Action<string>? writeVerbose = null)
    {
        _commandName = commandName;
        _writeError = writeError;
        _writeVerbose = writeVerbose;
    }

    /// <summary>The number of the input last read ("item N"): its position in the run.</summary>
    public int ItemNumber => _itemNumber;

    /// <summary>True while lines of a JSON document piped one at a time wait for the rest of it.</summary>
    public bool HasPendingLines => _lines.IsCollecting;

    /// <summary>The inputs of one record; <paramref name="fromPipeline"/> false: the parameters alone make the message(s).</summary>
    public IEnumerable<InputItem> Read(PSObject? inputObject, bool fromPipeline, MessageParameters parameters)
    {
        if (!fromPipeline)
        {
            var first = parameters.ReceiveIds.Count > 0 ? parameters.ReceiveIds[0] : null;
            foreach (var input in MessageDefaults.Apply(null, parameters))
            {
                yield return new InputItem(input.ReceiveId ?? first ?? input.ReplyTo, input, Describe(++_itemNumber, input));
            }

            yield break;
        }

        // Strings piped one line at a time (Get-Content without -Raw) that open a JSON document are read as one.
        if (inputObject?.BaseObject is string line)
        {
            // A string with a line break in it is no line of a file (Get-Content splits there): a whole body (-Raw),
            // read alone. It ends lines collected before it, so a broken body never swallows the items after it.
            var whole = line.IndexOf('\n') >= 0;
            if (whole && _lines.IsCollecting)
            {
                foreach (var each in ReadRemaining(parameters))
                {
                    yield return each;
                }
            }

            if (!whole && (_lines.IsCollecting || JsonLineAssembler.StartsDocument(line)))
            {
                if (_lines.Add(line) is { } document)
                {
                    foreach (var each in ReadDocument(document.Text, document.Lines, parameters, complete: true))
                    {
                        yield return each;
                    }
                }

                yield break;
            }

            if (string.IsNullOrWhiteSpace(line) && _lines.SawLines)
            {
                yield break;
            }
        }

        // A CSV row with every cell empty (a spreadsheet's trailing ",,," rows) is no message, as a null item is none.
        if (IsBlankRow(inputObject))
        {
            _writeVerbose?.Invoke("item " + (++_itemNumber).ToString(CultureInfo.InvariantCulture) + ": every property is empty (a blank CSV row): skipped.");
            yield break;
        }

        // Errors name the item as the user holds it: the PSObject for a [pscustomobject] or CSV row, else the base object.
        object? target = inputObject?.BaseObject is PSCustomObject ? inputObject : inputObject?.BaseObject;

        // What cannot be read (a lone surrogate, a property that throws) becomes a problem the validator reports
        // for that item alone: the run goes on.
        foreach (var item in ItemIsolation.Read(inputObject))
        {
            foreach (var input in MessageDefaults.Apply(item, parameters))
            {
                yield return new InputItem(target, input, Describe(++_itemNumber, input));
            }
        }
    }

    private static bool IsBlankRow(PSObject? inputObject)
    {
        if (inputObject?.BaseObject is not PSCustomObject)
        {
            return false;
        }

        var any = false;
        foreach (var property in inputObject.Properties)
        {
            if (property is not PSNoteProperty note || (note.Value is not null && note.Value is not string))
            {
                return false;
            }

            if (!string.IsNullOrWhiteSpace((string?)note.Value))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>
    /// The inputs left when the input ends: a JSON document piped line by line whose brackets never closed is one
    /// error (not one per line).
    /// </summary>
    public IEnumerable<InputItem> ReadRemaining(MessageParameters parameters) =>
        _lines.Flush() is { } document
            ? ReadDocument(document.Text, document.Lines, parameters, complete: false)
            : Array.Empty<InputItem>();

    /// <summary>
    /// How an item without a receiver is named: "no receiveId" (an app connection needs one), or on a webhook
    /// connection "the hook's group", which is where such an item goes.
    /// </summary>
    public string NoReceiver { get; set; } = "no receiveId";

    /// <summary>"item 3 (chat oc_…)": how errors and -WhatIf name an input.</summary>
    public string Describe(int number, MessageInput input)
    {
        var receiver = !string.IsNullOrWhiteSpace(input.ReplyTo) ? "reply to " + input.ReplyTo!.Trim()
            : string.IsNullOrWhiteSpace(input.ReceiveId) ? NoReceiver : $"{(string.IsNullOrWhiteSpace(input.ReceiveType) ? "user" : input.ReceiveType!.Trim())} {input.ReceiveId!.Trim()}";
        return $"item {number.ToString(CultureInfo.InvariantCulture)} ({receiver})";
    }

    // One JSON document: from one string as before; from several lines, read as one, or ONE error that says -Raw.
    private IEnumerable<InputItem> ReadDocument(string text, int lines, MessageParameters parameters, bool complete)
    {
        IReadOnlyList<MessageInput> items;
        if (lines == 1 && complete)
        {
            items = ItemIsolation.Read(text);
        }
        else
        {
            try
            {
                items = SeedBodyParser.Parse(text);
            }
            catch (SeedBodyException e)
            {
                var count = lines.ToString(CultureInfo.InvariantCulture);
                var what = complete ? "do not form one JSON message body: " + e.Message : "ended before the JSON document they began did: " + e.Message;
                _writeError(ErrorRecords.WithFix(
                    new ArgumentException("The " + count + " lines piped one at a time " + what + " (read the file whole with Get-Content -Raw)", e),
                    ErrorIds.InvalidMessage, ErrorCategory.InvalidData, text,
                    "Read the file as one string with Get-Content -Raw: Get-Content ./body.json -Raw | " + _commandName + ". Nothing in those lines was sent."));
                items = Array.Empty<MessageInput>();
            }
        }

        foreach (var item in items)
        {
            foreach (var input in MessageDefaults.Apply(item, parameters))
            {
                yield return new InputItem(text, input, Describe(++_itemNumber, input));
            }
        }
    }
}
