using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Session;
using LarkPS.Threading;

namespace LarkPS.Events;

/// <summary>
/// Lark's long connection for one command: fetch an address, open the WebSocket, run a
/// <see cref="LongConnectionSession"/> on it, and when it drops reconnect as the SDKs do (a random wait of
/// 0..ReconnectNonce, then a new address; after a failed attempt ReconnectInterval; at most ReconnectCount tries).
/// Events Lark resends after a drop are taken once (<see cref="EventMemory"/>), so nothing is lost or written twice.
/// </summary>
internal sealed class LongConnection
{
    private readonly EventEndpointClient _endpoints;
    private readonly EventClientConfig _config;
    private readonly EventOptions _options;
    private readonly EventMemory _memory;
    private readonly IClock _clock;
    private readonly Random _random;
    private readonly Func<ReceivedEvent, EventVerdict> _decide;
    private readonly Action<ConnectionNotice> _notify;

    public LongConnection(EventEndpointClient endpoints, EventClientConfig config, EventOptions options, EventMemory memory, IClock clock, Random random, Func<ReceivedEvent, EventVerdict> decide, Action<ConnectionNotice> notify)
    {
        _endpoints = endpoints ?? throw new ArgumentNullException(nameof(endpoints));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _decide = decide ?? throw new ArgumentNullException(nameof(decide));
        _notify = notify ?? throw new ArgumentNullException(nameof(notify));
    }

    /// <summary>Connections opened so far (1 for a run without drops).</summary>
    public int Connections { get; private set; }

    /// <summary>Why the last attempt to open the connection failed (Lark busy, the network); null while none failed.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>
    /// Runs until <paramref name="stop"/> (the socket is closed cleanly; returns normally). Throws
    /// <see cref="LongConnectionException"/> when Lark refuses the connection or every reconnect attempt failed.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            string problem;
            EventEndpoint? endpoint = null;
            try
            {
                endpoint = await _endpoints.FetchAsync(_config, stop).ConfigureAwait(false);
                _notify(ConnectionNotice.Debug("Lark gave the long connection's address: " + endpoint.Masked + " (connection id " + endpoint.DeviceId + "); " + _config + "."));
                var socket = await ConnectAsync(endpoint, stop).ConfigureAwait(false);
                failures = 0;
                Connections++;
                _notify(ConnectionNotice.Verbose((Connections == 1 ? "Connected" : "Reconnected") + " to Lark's long connection at " + endpoint.Masked + " (connection id " + endpoint.DeviceId + ")."));
                using var session = new LongConnectionSession(socket, endpoint, _config, _options, _memory, _clock, _decide, _notify);
                var ended = await session.RunAsync(stop).ConfigureAwait(false);
                if (ended is null || stop.IsCancellationRequested)
                {
                    _notify(ConnectionNotice.Verbose("Closed the long connection."));
                    return;
                }

                var nonce = _random.NextDouble() * _config.ReconnectNonce;
                _notify(ConnectionNotice.Verbose(string.Format(CultureInfo.InvariantCulture,
                    "The long connection ended: {0}. Reconnecting in {1:0.0} s (a random wait of up to {2:0.###} s, as Lark's ClientConfig says) with a new address.",
                    ended, nonce, _config.ReconnectNonce)));
                await _clock.Delay(TimeSpan.FromSeconds(nonce), stop).ConfigureAwait(false);
                continue;
            }
            catch (LarkApiException ex) when (!Retryable(ex))
            {
                throw new LongConnectionException(ex.Message, ex.ErrorId, ex.RecommendedAction ?? string.Empty, ex);
            }
            catch (LarkApiException ex)
            {
                problem = ex.Message;
            }
            catch (HandshakeRefusedException ex) when (ex.Final)
            {
                throw new LongConnectionException(ex.Message, ex.ErrorId, ex.Fix, ex);
            }
            catch (Exception ex) when (ex is HandshakeRefusedException or WebSocketException or System.IO.IOException or TimeoutException)
            {
                problem = Scrub(ex.GetBaseException().Message, endpoint);
            }

            failures++;
            LastProblem = problem;
            if (_config.ReconnectCount >= 0 && failures > _config.ReconnectCount)
            {
                throw new LongConnectionException(
                    $"Could not open Lark's long connection: {failures} attempt(s) failed, the last with: {problem}",
                    ErrorIds.EventConnectionFailed,
                    "Check the network path to the host (proxy, firewall allowing WebSocket on port 443) and -Region / -BaseUri, then run the command again.");
            }

            _notify(ConnectionNotice.Verbose(string.Format(CultureInfo.InvariantCulture,
                "Could not open the long connection ({0}); trying again in {1:0.###} s (attempt {2}{3}).",
                problem.TrimEnd('.'), _config.ReconnectInterval, failures + 1, _config.ReconnectCount < 0 ? string.Empty : " of " + (_config.ReconnectCount + 1).ToString(CultureInfo.InvariantCulture))));
            await _clock.Delay(TimeSpan.FromSeconds(_config.ReconnectInterval), stop).ConfigureAwait(false);
        }
    }

    // The SDKs retry 1 and 1000040343 and any HTTP status other than 200; the code table says which codes are final.
    private static bool Retryable(LarkApiException ex) =>
        ex.Retry != RetryKind.Never
        || (ex.HttpStatus is { } status && (int)status != 200 && LarkCodeTable.Find(ex.Code, LarkOperation.EventEndpoint) is null);

    private async Task<WebSocket> ConnectAsync(EventEndpoint endpoint, CancellationToken stop)
    {
        var socket = new ClientWebSocket();
        HandshakeDetails.Collect(socket);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await socket.ConnectAsync(endpoint.Url, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException("the WebSocket handshake with " + endpoint.Masked + " took longer than " + _options.HandshakeTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
        }
        catch (WebSocketException ex)
        {
            var refusal = HandshakeDetails.Refusal(socket, endpoint, ex);
            socket.Dispose();
            if (refusal is not null)
            {
                throw refusal;
            }

            throw;
        }
    }

    /// <summary>A message with the endpoint's query (access_key, ticket) taken out, should a .NET message ever repeat the URL.</summary>
    internal static string Scrub(string message, EventEndpoint? endpoint)
    {
        if (endpoint is null || string.IsNullOrEmpty(endpoint.Url.Query))
        {
            return message;
        }

        var text = message.Replace(endpoint.Url.AbsoluteUri, endpoint.Masked).Replace(endpoint.Url.Query, "?…");
        foreach (var secret in EventEndpointClient.ParseQuery(endpoint.Url.Query).Where(p => p.Key is "access_key" or "ticket" && p.Value.Length > 0))
        {
            text = text.Replace(secret.Value, "***");
        }

        return text;
    }
}

/// <summary>A WebSocket upgrade Lark refused, with what its Handshake-* headers said.</summary>
internal sealed class HandshakeRefusedException : Exception
{
    public HandshakeRefusedException(string message, bool final, string errorId, string fix, Exception inner)
        : base(message, inner)
    {
        Final = final;
        ErrorId = errorId;
        Fix = fix;
    }

    /// <summary>A client error (too many connections, forbidden): reconnecting cannot help.</summary>
    public bool Final { get; }

    public string ErrorId { get; }

    public string Fix { get; }
}

/// <summary>
/// Reads a refused upgrade's status and Handshake-Status / Handshake-Msg / Handshake-Autherrcode headers. .NET 7 and
/// later keep them when asked (ClientWebSocketOptions.CollectHttpResponseDetails); netstandard2.0 cannot name those
/// members, so they are reached by reflection, and on .NET Framework (which has none) the refusal is retried like any failure.
/// </summary>
internal static class HandshakeDetails
{
    public static void Collect(ClientWebSocket socket) =>
        socket.Options.GetType().GetProperty("CollectHttpResponseDetails")?.SetValue(socket.Options, true);

    public static HandshakeRefusedException? Refusal(ClientWebSocket socket, EventEndpoint endpoint, WebSocketException error)
    {
        var status = socket.GetType().GetProperty("HttpStatusCode")?.GetValue(socket) is { } code ? Convert.ToInt32(code, CultureInfo.InvariantCulture) : 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (socket.GetType().GetProperty("HttpResponseHeaders")?.GetValue(socket) is IEnumerable pairs)
        {
            foreach (var pair in pairs)
            {
                var type = pair.GetType();
                if (type.GetProperty("Key")?.GetValue(pair) is string key && type.GetProperty("Value")?.GetValue(pair) is IEnumerable<string> values)
                {
                    headers[key] = string.Join(",", values);
                }
            }
        }

        if (status == 0 && headers.Count == 0)
        {
            return null;
        }

        headers.TryGetValue("Handshake-Status", out var handshakeStatus);
        headers.TryGetValue("Handshake-Msg", out var handshakeMsg);
        headers.TryGetValue("Handshake-Autherrcode", out var authCode);
        var said = "HTTP " + status.ToString(CultureInfo.InvariantCulture)
            + (handshakeStatus is null ? string.Empty : ", Handshake-Status " + handshakeStatus)
            + (authCode is null ? string.Empty : ", Handshake-Autherrcode " + authCode)
            + (string.IsNullOrEmpty(handshakeMsg) ? string.Empty : " (" + handshakeMsg + ")");
        var message = "Lark refused the WebSocket upgrade at " + endpoint.Masked + ": " + said;
        if (handshakeStatus == "514" && authCode == LarkCodeTable.EventConnectionLimitCode.ToString(CultureInfo.InvariantCulture))
        {
            return new HandshakeRefusedException(message + ": the app has the most connections Lark allows.", true, ErrorIds.EventConnectionLimit,
                "Stop other Receive-LarkEvent / Wait-LarkCardAction runs (and other SDK clients) of this app: Lark allows 50 connections per app.", error);
        }

        if (handshakeStatus == "403")
        {
            return new HandshakeRefusedException(message + ": forbidden.", true, ErrorIds.EventSubscriptionForbidden,
                LarkCodeTable.Find(LarkCodeTable.EventForbidden, LarkOperation.EventEndpoint)?.Fix ?? string.Empty, error);
        }

        return new HandshakeRefusedException(message, false, ErrorIds.EventConnectionFailed, string.Empty, error);
    }
}
