using System;
using System.Collections.Generic;
using System.Net;
using LarkPS.Pacing;

namespace LarkPS.Api;

/// <summary>One typed failure for every Lark call: a non-zero code, a bad HTTP status, or a transport fault.</summary>
/// <remarks>
/// The message never holds a secret or a token: it is built only from Lark's code, msg and log id.
/// It is classified once, when made, into a row of <see cref="LarkCodeTable"/>: retries and error records read that row.
/// </remarks>
public sealed class LarkApiException : Exception
{
    internal LarkApiException(
        string message,
        int code,
        string? larkMessage,
        HttpStatusCode? httpStatus,
        string? logId,
        TimeSpan? retryAfter = null,
        IReadOnlyList<LarkFieldViolation>? fieldViolations = null,
        string? troubleshooter = null,
        bool isTransport = false,
        Exception? innerException = null,
        LarkOperation operation = LarkOperation.Any,
        int? pseudoCode = null,
        bool? mayHaveArrived = null,
        bool idempotent = true)
        : base(message, innerException)
    {
        Code = code;
        LarkMessage = larkMessage;
        HttpStatus = httpStatus;
        LogId = logId;
        RetryAfter = retryAfter;
        FieldViolations = fieldViolations ?? Array.Empty<LarkFieldViolation>();
        Troubleshooter = troubleshooter;
        IsTransport = isTransport;
        Operation = operation;
        Row = pseudoCode is { } pseudo
            ? LarkCodeTable.Find(pseudo, operation) ?? throw new ArgumentException("No table row for pseudo-code " + pseudo + ".", nameof(pseudoCode))
            : LarkCodeTable.Classify(code, (int?)httpStatus, isTransport, operation);

        // Without an answer, or with a 5xx, Lark may have acted on the request; a refusal with a code means it did not.
        MayHaveArrived = mayHaveArrived ?? (isTransport || (httpStatus is { } status && (int)status >= 500));
        Retry = Row.Retry == RetryKind.Transient && !idempotent && MayHaveArrived ? RetryKind.Never : Row.Retry;
    }

    /// <summary>Lark's <c>code</c>; 0 where none was read (HTTP or transport failure).</summary>
    public int Code { get; }

    /// <summary>Lark's <c>msg</c>, as given.</summary>
    public string? LarkMessage { get; }

    /// <summary>The HTTP status, where a response arrived.</summary>
    public HttpStatusCode? HttpStatus { get; }

    /// <summary>The <c>X-Tt-Logid</c> header or <c>error.log_id</c>: what Lark support asks for.</summary>
    public string? LogId { get; }

    /// <summary>How long Lark asked us to wait (x-ogw-ratelimit-reset or Retry-After), where it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Lark's <c>error.field_violations</c>.</summary>
    public IReadOnlyList<LarkFieldViolation> FieldViolations { get; }

    /// <summary>Lark's <c>error.troubleshooter</c> link.</summary>
    public string? Troubleshooter { get; }

    /// <summary>True where no response arrived: a timeout, a reset, a refused connection.</summary>
    public bool IsTransport { get; }

    /// <summary>
    /// True where Lark may have acted on the request although it failed: no answer after the request may have left,
    /// or a server error. A request without an idempotency key (a webhook) is never retried then.
    /// </summary>
    public bool MayHaveArrived { get; }

    /// <summary>The stable error id of this failure (the first half of the FullyQualifiedErrorId LarkPS writes).</summary>
    public string ErrorId => Row.ErrorId;

    /// <summary>What the user can do about it, in words.</summary>
    public string? RecommendedAction => Row.Fix;

    /// <summary>The call that failed.</summary>
    internal LarkOperation Operation { get; }

    /// <summary>The table's row for this failure.</summary>
    internal LarkCode Row { get; }

    /// <summary>How it may be retried: the row's kind, except that an ambiguous failure of a non-idempotent request is final.</summary>
    internal RetryKind Retry { get; }

    /// <summary>
    /// The pacing ticket of the request that failed, set by the choke point: a quota refusal teaches the windows that
    /// counted this request (an upload's, a look-up's), whoever decides on the failure. Null for a request of no quota class.
    /// </summary>
    internal PacingTicket? Pacing { get; set; }
}

/// <summary>One entry of Lark's <c>error.field_violations</c>.</summary>
public sealed class LarkFieldViolation
{
    internal LarkFieldViolation(string? field, string? value, string? description)
    {
        Field = field;
        Value = value;
        Description = description;
    }

    public string? Field { get; }

    public string? Value { get; }

    public string? Description { get; }
}
