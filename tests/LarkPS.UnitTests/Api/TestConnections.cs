using System.Net.Http;
using System.Security;
using System.Text;
using LarkPS.Api;
using LarkPS.Session;

namespace LarkPS.UnitTests.Api;

/// <summary>The app connection and the send request the choke-point tests make: app cli_x, App Secret "s3cret".</summary>
internal static class TestConnections
{
    /// <summary>A connection to <paramref name="baseUri"/> with the connection's own default handler, as users get it.</summary>
    public static LarkConnection Connect(Uri baseUri) => new("cli_x", Secret(), baseUri, timeout: TimeSpan.FromSeconds(20));

    /// <summary>A connection to <paramref name="baseUri"/> whose requests go to <paramref name="handler"/>.</summary>
    public static LarkConnection Connect(Uri baseUri, HttpMessageHandler handler) => new("cli_x", Secret(), baseUri, handlerFactory: () => handler);

    /// <summary>A text send to a chat, with an empty JSON body.</summary>
    public static LarkRequest Send() =>
        new(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=chat_id", LarkOperation.Send, "send a message") { JsonBody = Encoding.UTF8.GetBytes("{}") };

    private static SecureString Secret()
    {
        var secret = new SecureString();
        foreach (var c in "s3cret")
        {
            secret.AppendChar(c);
        }

        return secret;
    }
}
