using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;

namespace LarkPS.Events;

/// <summary>
/// Where to open one long connection: the WebSocket URL Lark handed out (its access_key and ticket are secrets, so the
/// URL itself is never shown: <see cref="Masked"/> is scheme and host), the connection id and the service id.
/// </summary>
internal sealed class EventEndpoint
{
    public EventEndpoint(Uri url, string deviceId, int serviceId)
    {
        Url = url ?? throw new ArgumentNullException(nameof(url));
        DeviceId = deviceId;
        ServiceId = serviceId;
        // Scheme and host only, as the go SDK logs it: the query carries access_key and ticket.
        Masked = url.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The whole URL, with the secrets in its query. Never printed.</summary>
    public Uri Url { get; }

    /// <summary>The connection's id (device_id in the query).</summary>
    public string DeviceId { get; }

    /// <summary>service_id from the query: goes into every frame the client sends.</summary>
    public int ServiceId { get; }

    /// <summary>What messages may show: scheme and host only.</summary>
    public string Masked { get; }

    /// <inheritdoc />
    public override string ToString() => Masked;
}

/// <summary>
/// Asks Lark for a long connection's address: <c>POST {host}/callback/ws/endpoint</c> with the App ID and App Secret
/// (no tenant token), through the module's one HTTP choke point. A new address is fetched before every connect, as
/// every official SDK does (the URL carries a short-lived ticket).
/// </summary>
internal sealed class EventEndpointClient
{
    private const string Path = "callback/ws/endpoint";

    private readonly LarkApiClient _client;
    private readonly string _appId;
    private readonly Func<string> _appSecret;

    public EventEndpointClient(LarkApiClient client, string appId, Func<string> appSecret)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _appId = appId ?? throw new ArgumentNullException(nameof(appId));
        _appSecret = appSecret ?? throw new ArgumentNullException(nameof(appSecret));
    }

    /// <summary>Fetches an address and adopts the answer's ClientConfig into <paramref name="config"/>.</summary>
    /// <exception cref="LarkApiException">Lark refused (its code classified by the code table's EventEndpoint rows), or the answer is not Lark's.</exception>
    public async Task<EventEndpoint> FetchAsync(EventClientConfig config, CancellationToken cancellationToken)
    {
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }

        var request = new LarkRequest(HttpMethod.Post, Path, LarkOperation.EventEndpoint, "open the long connection for events")
        {
            RequiresToken = false,

            // The secret is read here, written into the body, and not kept.
            JsonBody = LarkApiClient.WriteJson(w =>
            {
                w.WriteString("AppID", _appId);
                w.WriteString("AppSecret", _appSecret());
            }),
        };
        var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var data = response.Data;
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw response.Malformed(request, "has no 'data' object");
        }

        var text = response.RequiredString(data, "URL", request);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != "wss" && url.Scheme != "ws"))
        {
            // The text may hold the secrets: say what is wrong without repeating it.
            throw response.Malformed(request, "has a 'URL' that is not a ws:// or wss:// address");
        }

        if (url.Scheme == "ws" && !IsLoopback(url))
        {
            throw response.Malformed(request, "has a plain ws:// 'URL' to " + url.Host + ", which would carry the connection's secrets unencrypted (only wss:// is accepted, except to a loopback address)");
        }

        var query = ParseQuery(url.Query);
        query.TryGetValue("device_id", out var deviceId);
        if (!query.TryGetValue("service_id", out var serviceText) || !int.TryParse(serviceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var serviceId))
        {
            throw response.Malformed(request, "has a 'URL' without a whole-number service_id");
        }

        if (data.TryGetProperty("ClientConfig", out var clientConfig))
        {
            config.Adopt(clientConfig);
        }

        return new EventEndpoint(url, deviceId ?? string.Empty, serviceId);
    }

    /// <summary>The query's parameters, each decoded; the first of a repeated name wins.</summary>
    internal static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (query ?? string.Empty).TrimStart('?').Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? part : part.Substring(0, equals)).Replace('+', ' '));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(part.Substring(equals + 1).Replace('+', ' '));
            if (!values.ContainsKey(name))
            {
                values[name] = value;
            }
        }

        return values;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
