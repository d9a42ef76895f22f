using System;
using System.Collections.Generic;
using System.Text;

namespace LarkPS.Messages;

/// <summary>One thing wrong with a message input: which field, what is wrong, and what was expected.</summary>
internal sealed class ValidationProblem
{
    private const int MaxQuotedLength = 60;

    public ValidationProblem(string field, string problem, string? expected = null, string? actualKind = null, string? fix = null)
    {
        Field = field ?? throw new ArgumentNullException(nameof(field));
        Problem = problem ?? throw new ArgumentNullException(nameof(problem));
        Expected = expected;
        ActualKind = actualKind;
        Fix = fix;
    }

    /// <summary>The field, as the seed names it: receiveId, contentType, content.zh_cn.content[0][1].tag…</summary>
    public string Field { get; }

    /// <summary>What is wrong, e.g. "'abc' is not a chat id".</summary>
    public string Problem { get; }

    /// <summary>What would be right, e.g. "a chat_id starting with 'oc_'"; null where nothing useful can be said.</summary>
    public string? Expected { get; }

    /// <summary>The kind of value found: missing, string, number, boolean, object, array, JSON text…</summary>
    public string? ActualKind { get; }

    /// <summary>
    /// The one-line fix for the likely cause, where the problem knows it ("Add -ReceiveType chat …"): the error's
    /// RecommendedAction. Null where the problem and what was expected say it all.
    /// </summary>
    public string? Fix { get; }

    /// <summary>Reads as "field: problem; expected …".</summary>
    public override string ToString() =>
        Expected is null ? Field + ": " + Problem : Field + ": " + Problem + "; expected " + Expected;

    /// <summary>A value in single quotes for a message, shortened when long and with control characters shown.</summary>
    public static string Quote(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var text = value.Length > MaxQuotedLength ? value.Substring(0, MaxQuotedLength - 1) + "…" : value;
        var builder = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "?",
                _ => c.ToString(),
            });
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>"'a', 'b' or 'c'": the allowed values for an error message.</summary>
    internal static string OneOf(IReadOnlyList<string> values)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(i == values.Count - 1 ? " or " : ", ");
            }

            builder.Append('\'').Append(values[i]).Append('\'');
        }

        return builder.ToString();
    }
}

/// <summary>What <see cref="MessageValidator"/> found: every problem of one input, or the message ready to send.</summary>
internal sealed class MessageValidationResult
{
    internal MessageValidationResult(MessageInput input, IReadOnlyList<ValidationProblem> problems, OutgoingMessage? message)
    {
        Input = input;
        Problems = problems;
        Message = problems.Count == 0 ? message : null;
    }

    /// <summary>True when there is no problem; <see cref="Message"/> is then set.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Every problem found, in field order; empty when valid.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>The message to send; null when there are problems.</summary>
    public OutgoingMessage? Message { get; }

    /// <summary>The input that was validated.</summary>
    public MessageInput Input { get; }

    /// <summary>
    /// The one-line fix of the first problem that has one (the likely cause: a chat name without -ReceiveType, an
    /// incomplete e-mail address, broken JSON), for the error's RecommendedAction; null when none has one.
    /// </summary>
    public string? RecommendedAction
    {
        get
        {
            foreach (var problem in Problems)
            {
                if (problem.Fix is { } fix)
                {
                    return fix;
                }
            }

            return null;
        }
    }

    /// <summary>"item 3 (receiveId 'x'): receiveId: …; content: …", or a one-line summary of the valid message.</summary>
    public override string ToString()
    {
        if (IsValid)
        {
            return Message!.ToString();
        }

        var builder = new StringBuilder();
        if (Input.SourceDescription is not null)
        {
            builder.Append(Input.SourceDescription).Append(": ");
        }

        for (var i = 0; i < Problems.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(" | ");
            }

            builder.Append(Problems[i]);
        }

        return builder.ToString();
    }
}
