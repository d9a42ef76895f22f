using System;
using System.Net.Http;
using LarkPS.Pacing;

namespace LarkPS.Api;

/// <summary>One call to the Lark Open API, as the choke point sends it.</summary>
internal sealed class LarkRequest
{
    public LarkRequest(HttpMethod method, string pathAndQuery, string description)
        : this(method, pathAndQuery, LarkOperation.Any, description)
    {
    }

    public LarkRequest(HttpMethod method, string pathAndQuery, LarkOperation operation, string description)
    {
        Method = method ?? throw new ArgumentNullException(nameof(method));
        PathAndQuery = pathAndQuery ?? throw new ArgumentNullException(nameof(pathAndQuery));
        Operation = operation;
        Description = description ?? throw new ArgumentNullException(nameof(description));
        Idempotent = LarkEndpoints.Of(operation).RetrySafe;
    }

    public HttpMethod Method { get; }

    /// <summary>Relative to the connection's base URI, e.g. <c>open-apis/im/v1/messages?receive_id_type=chat_id</c>; or absolute for a webhook.</summary>
    public string PathAndQuery { get; }

    /// <summary>Which call this is: picks the code table's rows for its answers.</summary>
    public LarkOperation Operation { get; }

    /// <summary>What the call does, in words for error messages ("send a message").</summary>
    public string Description { get; }

    /// <summary>The UTF-8 JSON body, or null for none.</summary>
    public byte[]? JsonBody { get; set; }

    /// <summary>A multipart or other body, for uploads; takes the place of <see cref="JsonBody"/>.</summary>
    public Func<HttpContent>? ContentFactory { get; set; }

    /// <summary>False only for the token endpoint itself (and webhooks, which carry their own secret).</summary>
    public bool RequiresToken { get; set; } = true;

    /// <summary>
    /// False where repeating the request could act twice (a webhook has no uuid): then a failure after which Lark
    /// may have acted is final, never retried. The endpoint table's retry-safe column by default.
    /// </summary>
    public bool Idempotent { get; set; }

    /// <summary>
    /// The request's place in its quota class's windows, reserved by the delivery scheduler before the attempt started;
    /// null for a call nobody reserved for: the choke point then waits for one itself.
    /// </summary>
    public PacingTicket? Pacing { get; set; }

    /// <summary>
    /// Issue 25: where a successful answer's bytes go (a download), streamed and bounded, never read into memory; null
    /// for a JSON answer. An error answer is read as JSON as always, whatever was asked for.
    /// </summary>
    public IAnswerSink? Download { get; set; }
}
