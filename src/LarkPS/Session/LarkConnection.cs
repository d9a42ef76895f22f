using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Delivery;

namespace LarkPS.Session;

/// <summary>
/// One app's connection to one Lark host: the API client, the in-memory token cache and the App Secret that feeds it.
/// What PowerShell shows of it (App ID, host, region, token expiry) never includes the secret or the token.
/// </summary>
public sealed class LarkConnection : IDisposable
{
    /// <summary>How long one HTTP request may take before it counts as a transport failure.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly SecureString _appSecret;
    private readonly IClock _clock;
    private bool _disposed;

    internal LarkConnection(string appId, SecureString appSecret, Uri baseUri, IClock? clock = null, Func<HttpMessageHandler>? handlerFactory = null, TimeSpan? timeout = null, DeliveryOptions? quotas = null)
    {
        if (string.IsNullOrWhiteSpace(appId))
        {
            throw new ArgumentException("An App ID is required.", nameof(appId));
        }

        AppId = appId.Trim();
        _appSecret = (appSecret ?? throw new ArgumentNullException(nameof(appSecret))).Copy();
        _appSecret.MakeReadOnly();
        _clock = clock ?? SystemClock.Instance;
        // The cache fetches through the client that reads from it; the client is made with the cache, complete.
        LarkApiClient? client = null;
        Tokens = new TokenCache(ct => client!.FetchTenantTokenAsync(AppId, UnwrapSecret, _clock, ct), _clock, TokenCache.DefaultRefreshMargin);
        client = new LarkApiClient(baseUri, (handlerFactory ?? CreateDefaultHandler)(), timeout ?? DefaultTimeout, Tokens);
        Client = client;
        Region = LarkHosts.RegionOf(Client.BaseUri);
        ConnectedAt = _clock.UtcNow;
        var limits = quotas ?? new DeliveryOptions();
        QuotaPerSecond = limits.AppPerSecond;
        QuotaPerMinute = limits.AppPerMinute;
        QuotaPerReceiverPerSecond = limits.ReceiverPerSecond;

        // One limiter per connection: the quota is the app's, shared by every Send-LarkMessage of the session.
        RateLimiter = new RateLimiter(CreateDeliveryOptions(), _clock);
        Phones = new PhoneDirectory(Client, _clock);
        Sender = new MessageSender(Client, Phones);
    }

    /// <summary>The app's ID (cli_…).</summary>
    public string AppId { get; }

    /// <summary>The host, e.g. https://open.feishu.cn/.</summary>
    public Uri BaseUri => Client.BaseUri;

    /// <summary>Feishu, Lark, or Custom.</summary>
    public LarkRegion Region { get; }

    /// <summary>When Connect-Lark ran.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>When the cached tenant token expires; null when none is cached.</summary>
    public DateTimeOffset? TokenExpiresAt => Tokens.ExpiresAt;

    /// <summary>Messages per second the app may send (Lark's quota: 50).</summary>
    public int QuotaPerSecond { get; }

    /// <summary>Messages per minute the app may send (Lark's quota: 1000).</summary>
    public int QuotaPerMinute { get; }

    /// <summary>Messages per second to one user or into one chat (Lark's quota: 5).</summary>
    public int QuotaPerReceiverPerSecond { get; }

    /// <summary>The last Send-LarkMessage run's counts, kept even when it was stopped with Ctrl+C.</summary>
    public DeliverySummary? LastDelivery { get; internal set; }

    internal RateLimiter RateLimiter { get; }

    internal PhoneDirectory Phones { get; }

    internal MessageSender Sender { get; }

    /// <summary>Delivery settings with this connection's quotas.</summary>
    internal DeliveryOptions CreateDeliveryOptions(int? throttleLimit = null)
    {
        var options = new DeliveryOptions
        {
            AppPerSecond = QuotaPerSecond,
            AppPerMinute = QuotaPerMinute,
            ReceiverPerSecond = QuotaPerReceiverPerSecond,
        };
        if (throttleLimit is { } limit)
        {
            options.ThrottleLimit = limit;
        }

        return options;
    }

    /// <summary>The HTTP choke point. Internal: PowerShell's formatter must not walk into it.</summary>
    internal LarkApiClient Client { get; }

    /// <summary>The token cache. Internal for the same reason.</summary>
    internal TokenCache Tokens { get; }

    internal IClock Clock => _clock;

    /// <summary>True after Disconnect-Lark closed this connection.</summary>
    public bool IsClosed => _disposed;

    /// <summary>Fetches (or reuses) a tenant token now, so wrong credentials fail at connect.</summary>
    /// <remarks>Internal: a public method returning the token would let a script print it.</remarks>
    internal Task<TenantToken> EnsureTokenAsync(CancellationToken cancellationToken) => Tokens.GetAsync(cancellationToken);

    /// <summary>Forgets the token; the connection can no longer be used.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Tokens.Clear();
        Client.Dispose();
        _appSecret.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{AppId} @ {BaseUri.Host}";

    private static HttpClientHandler CreateDefaultHandler() => new HttpClientHandler
    {
        // .NET Framework allows 2 connections per host by default: far too few for the delivery window.
        MaxConnectionsPerServer = 64,

        // A redirect would carry the token (or the App Secret, in the token request's body) to the Location's host.
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        UseCookies = false,
    };

    // Unwrapped only here, at the moment the token request body is written.
    private string UnwrapSecret()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(LarkConnection), "This Lark connection was closed by Disconnect-Lark.");
        }

        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(_appSecret);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
