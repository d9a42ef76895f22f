using System;
using System.Net.Http;

namespace LarkPS.Api;

/// <summary>One call to the Lark Open API, as the choke point sends it.</summary>
public sealed class LarkRequest
{
    public LarkRequest(HttpMethod method, string pathAndQuery, string operation)
    {
        Method = method ?? throw new ArgumentNullException(nameof(method));
        PathAndQuery = pathAndQuery ?? throw new ArgumentNullException(nameof(pathAndQuery));
        Operation = operation ?? throw new ArgumentNullException(nameof(operation));
    }

    public HttpMethod Method { get; }

    /// <summary>Relative to the connection's base URI, e.g. <c>open-apis/im/v1/messages?receive_id_type=chat_id</c>.</summary>
    public string PathAndQuery { get; }

    /// <summary>What the call does, in words for error messages ("send a message").</summary>
    public string Operation { get; }

    /// <summary>The UTF-8 JSON body, or null for none.</summary>
    public byte[]? JsonBody { get; set; }

    /// <summary>A multipart or other body, for uploads; takes the place of <see cref="JsonBody"/>.</summary>
    public Func<HttpContent>? ContentFactory { get; set; }

    /// <summary>False only for the token endpoint itself.</summary>
    public bool RequiresToken { get; set; } = true;
}
