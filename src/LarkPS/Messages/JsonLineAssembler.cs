using System.Text;

namespace LarkPS.Messages;

/// <summary>
/// Joins strings piped one line at a time (Get-Content without -Raw) into the one JSON document they form: a line
/// that opens an array or object starts a document, which ends with the line where its brackets close.
/// </summary>
/// <remarks>
/// Brackets are counted outside JSON strings only, so a "{" inside a text does not count. Each line is scanned once:
/// a file of any length costs one pass, and a document is parsed once, when it is complete.
/// </remarks>
internal sealed class JsonLineAssembler
{
    private readonly StringBuilder _text = new();
    private int _depth;
    private bool _inString;
    private bool _escaped;

    /// <summary>True while a document has begun and not yet closed.</summary>
    public bool IsCollecting => LineCount > 0;

    /// <summary>The lines of the document being collected.</summary>
    public int LineCount { get; private set; }

    /// <summary>True once any document was assembled from more than one line (a blank line after it is no item).</summary>
    public bool SawLines { get; private set; }

    /// <summary>True when <paramref name="line"/> would start a document: its first non-blank character opens an array or object.</summary>
    public static bool StartsDocument(string line)
    {
        foreach (var c in line)
        {
            if (!char.IsWhiteSpace(c) && c != '\uFEFF')
            {
                return c is '[' or '{';
            }
        }

        return false;
    }

    /// <summary>Adds a line; returns the whole document (and the number of lines it took) once its brackets close, else null.</summary>
    public (string Text, int Lines)? Add(string line)
    {
        if (LineCount > 0)
        {
            _text.Append('\n');
        }

        _text.Append(line);
        LineCount++;
        foreach (var c in line)
        {
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                }
                else if (c == '\\')
                {
                    _escaped = true;
                }
                else if (c == '"')
                {
                    _inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"': _inString = true; break;
                case '[' or '{': _depth++; break;
                case ']' or '}': _depth--; break;
            }
        }

        // A line break ends a string in JSON's eyes (it is invalid there): counting goes on outside it.
        _inString = false;
        _escaped = false;
        return _depth <= 0 ? Take() : null;
    }

    /// <summary>What was collected of an unclosed document (the input ended first), or null when nothing was.</summary>
    public (string Text, int Lines)? Flush() => LineCount > 0 ? Take() : null;

    private (string Text, int Lines) Take()
    {
        var result = (_text.ToString(), LineCount);
        SawLines |= LineCount > 1;
        _text.Clear();
        LineCount = 0;
        _depth = 0;
        return result;
    }
}
