using System;
using System.Net.Http;

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
    /// may have acted is final, never retried.
    /// </summary>
    public bool Idempotent { get; set; } = true;
}
