using System;
using System.Collections.Generic;
using System.Net;

namespace LarkPS.Api;

/// <summary>One typed failure for every Lark call: a non-zero code, a bad HTTP status, or a transport fault.</summary>
/// <remarks>The message never holds a secret or a token: it is built only from Lark's code, msg and log id.</remarks>
public sealed class LarkApiException : Exception
{
    public LarkApiException(
        string message,
        int code,
        string? larkMessage,
        HttpStatusCode? httpStatus,
        string? logId,
        TimeSpan? retryAfter = null,
        IReadOnlyList<LarkFieldViolation>? fieldViolations = null,
        string? troubleshooter = null,
        bool isTransport = false,
        Exception? innerException = null)
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
}

/// <summary>One entry of Lark's <c>error.field_violations</c>.</summary>
public sealed class LarkFieldViolation
{
    public LarkFieldViolation(string? field, string? value, string? description)
    {
        Field = field;
        Value = value;
        Description = description;
    }

    public string? Field { get; }

    public string? Value { get; }

    public string? Description { get; }
}
