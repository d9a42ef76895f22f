using System.Globalization;
using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>One row of <see cref="LarkCodeTable"/>: what one Lark code means for one operation, and what to do about it.</summary>
internal sealed class LarkCode
{
    public LarkCode(int code, int? httpStatus, LarkOperation operation, string meaning, RetryKind retry, string errorId, ErrorCategory category, string? fix)
    {
        Code = code;
        HttpStatus = httpStatus;
        Operation = operation;
        Meaning = meaning;
        Retry = retry;
        ErrorId = errorId;
        Category = category;
        Fix = fix;
    }

    /// <summary>Lark's code, or one of the table's pseudo-codes (below zero) for answers without a code of their own.</summary>
    public int Code { get; }

    /// <summary>The HTTP status Lark answers this code with, where documented (null: varies or unknown).</summary>
    public int? HttpStatus { get; }

    /// <summary>The call this row applies to; <see cref="LarkOperation.Any"/> for every call without a row of its own.</summary>
    public LarkOperation Operation { get; }

    /// <summary>What it means, in words that finish "Lark …" sentences: "refused: the user is outside the app's visible range".</summary>
    public string Meaning { get; }

    public RetryKind Retry { get; }

    /// <summary>The first half of the FullyQualifiedErrorId (an ErrorIds constant).</summary>
    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    /// <summary>What the user can do, for the ErrorRecord's RecommendedAction; null where nothing useful can be said.</summary>
    public string? Fix { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} ({1}): {2}, {3}", Code, Operation, ErrorId, Retry);
}
