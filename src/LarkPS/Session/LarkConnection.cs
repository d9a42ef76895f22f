using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Pacing;
using LarkPS.Transports;
using LarkPS.Webhooks;
using LarkPS.Threading;

namespace LarkPS.Session;

/// <summary>
/// One app's connection to one Lark host: the API client, the in-memory token cache and the App Secret that feeds it;
/// or a webhook connection to one group's custom bot: its hook URL and optional signing secret, no app and no token.
/// What PowerShell shows of it (App ID or masked hook, host, region, token expiry) never includes a secret or token.
/// </summary>
public sealed class LarkConnection : IDisposable
{
    /// <summary>How long one HTTP request may take before it counts as a transport failure.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly SecureString _appSecret;
    private readonly IClock _clock;
    private bool _disposed;
    private PhoneDirectory? _phones;
    private MessageSender? _sender;
    private ChatDirectory? _chats;
    private UserDirectory? _users;
    private Uploads.Uploader? _uploads;
    private MessageHistory? _history;
    private BatchMessages? _batches;
    private DepartmentDirectory? _departments;

    internal LarkConnection(string appId, SecureString appSecret, Uri baseUri, IClock? clock = null, Func<HttpMessageHandler>? handlerFactory = null, TimeSpan? timeout = null, DeliveryOptions? quotas = null, QuotaSharing? sharing = null)
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
        var limits = quotas ?? new DeliveryOptions();
        QuotaPerSecond = limits.AppPerSecond;
        QuotaPerMinute = limits.AppPerMinute;
        QuotaPerReceiverPerSecond = limits.ReceiverPerSecond;

        // One pacer per connection, one limiter per quota class: the quotas are the app's, shared by every command of the
        // session; Lark counts chat lists, contact look-ups and uploads apart from sends, each at 50/s and 1000/min.
        Pacer = CreatePacer(sharing, "app\n" + AppId + "\n" + baseUri.GetLeftPart(UriPartial.Authority).ToLowerInvariant());
        RateLimiter = Pacer.For(QuotaClass.Messages);
        LarkApiClient? client = null;
        Tokens = new TokenCache(ct => client!.FetchTenantTokenAsync(AppId, UnwrapSecret, _clock, ct), _clock, TokenCache.DefaultRefreshMargin);
        client = new LarkApiClient(baseUri, (handlerFactory ?? CreateDefaultHandler)(), timeout ?? DefaultTimeout, Tokens, _clock, Pacer);
        Client = client;
        Region = LarkHosts.RegionOf(Client.BaseUri);
        ConnectedAt = _clock.UtcNow;
        Phones = new PhoneDirectory(Client, _clock);
        Sender = new MessageSender(Client, Phones);
        Chats = new ChatDirectory(Client, CreateRetryingCaller(), _clock);
        Users = new UserDirectory(Client, CreateRetryingCaller());
        Uploads = new Uploads.Uploader(Client);
        History = new MessageHistory(Client, CreateRetryingCaller());
        BatchMessages = new BatchMessages(Client, CreateRetryingCaller());
        Departments = new DepartmentDirectory(Client, CreateRetryingCaller(), _clock);
        Transport = new AppTransport(AppId, Client.BaseUri, Sender, Uploads);
    }

    /// <summary>
    /// A webhook connection: posts into the group of one custom bot (Lark's custom-bot quotas: 100/min and 5/s).
    /// No request is made here; the hook token and secret stay in memory and are never shown.
    /// </summary>
    internal LarkConnection(WebhookAddress hook, SecureString? hookSecret, IClock? clock = null, Func<HttpMessageHandler>? handlerFactory = null, TimeSpan? timeout = null, DeliveryOptions? quotas = null, QuotaSharing? sharing = null)
    {
        Hook = hook ?? throw new ArgumentNullException(nameof(hook));
        Kind = LarkConnectionKind.Webhook;
        AppId = string.Empty;
        IsSigned = hookSecret is { Length: > 0 };
        _appSecret = hookSecret is { Length: > 0 } ? hookSecret.Copy() : new SecureString();
        _appSecret.MakeReadOnly();
        _clock = clock ?? SystemClock.Instance;
        var limits = quotas ?? WebhookSender.DefaultQuotas();
        QuotaPerSecond = limits.AppPerSecond;
        QuotaPerMinute = limits.AppPerMinute;
        QuotaPerReceiverPerSecond = limits.ReceiverPerSecond;

        // The hook's quotas are its own (per hook, not per app): one pacer per webhook connection, shared on the machine by
        // the hook's address (hashed: the address is a secret).
        Pacer = CreatePacer(sharing, "hook\n" + hook.Origin.GetLeftPart(UriPartial.Authority).ToLowerInvariant() + "\n" + hook.Token);
        RateLimiter = Pacer.For(QuotaClass.Webhook);
        Client = new LarkApiClient(hook.Origin, (handlerFactory ?? CreateDefaultHandler)(), timeout ?? DefaultTimeout, tokens: null, _clock, Pacer);
        Region = LarkHosts.RegionOf(Client.BaseUri);

        // A hook has no tenant token: the cache exists so the shared members work, and refuses to fetch.
        Tokens = new TokenCache(_ => throw new InvalidOperationException("A webhook connection has no tenant token."), _clock, TokenCache.DefaultRefreshMargin);
        ConnectedAt = _clock.UtcNow;
        HookSender = new WebhookSender(Client, hook, IsSigned ? UnwrapSecret : null, _clock);

        // A custom bot has no Open API: no sender to users, no chat list, no look-ups, no uploads (the cmdlets refuse
        // first, naming the fix, because the transport says it has none).
        Transport = new WebhookTransport(hook, HookSender);
    }

    /// <summary>App (App ID and App Secret) or Webhook (a group's custom bot).</summary>
    public LarkConnectionKind Kind { get; } = LarkConnectionKind.App;

    /// <summary>The app's ID (cli_…); empty for a webhook connection.</summary>
    public string AppId { get; }

    /// <summary>The webhook URL with its token masked (…/hook/********1d0c); null for an app connection.</summary>
    public string? WebhookUri => Hook?.Masked;

    /// <summary>True for a webhook connection whose requests are signed with the bot's secret.</summary>
    public bool IsSigned { get; }

    /// <summary>The hook's address (its token is a secret). Internal: PowerShell must not show it.</summary>
    internal WebhookAddress? Hook { get; }

    /// <summary>Sends through the hook; null for an app connection.</summary>
    internal WebhookSender? HookSender { get; }

    /// <summary>"app 'cli_…'" or "webhook https://host/open-apis/bot/v2/hook/********1d0c", for messages.</summary>
    internal string Describe() => Hook is null ? "app '" + AppId + "'" : "webhook " + Hook.Masked;

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

    /// <summary>The windows sends, replies, edits, card updates and recalls share (the hook's, on a webhook connection).</summary>
    internal RateLimiter RateLimiter { get; }

    /// <summary>Every quota class's windows: the choke point paces each call by its class.</summary>
    internal Pacer Pacer { get; }

    internal PhoneDirectory Phones { get => _phones ?? throw NoOpenApi(); private set => _phones = value; }

    internal MessageSender Sender { get => _sender ?? throw NoOpenApi(); private set => _sender = value; }

    /// <summary>The bot's chats, cached for <see cref="ChatDirectory.CacheLifetime"/>.</summary>
    internal ChatDirectory Chats { get => _chats ?? throw NoOpenApi(); private set => _chats = value; }

    /// <summary>E-mail and phone look-ups for Get-LarkUser.</summary>
    internal UserDirectory Users { get => _users ?? throw NoOpenApi(); private set => _users = value; }

    /// <summary>Uploads of local images and files, one per distinct content on this connection.</summary>
    internal Uploads.Uploader Uploads { get => _uploads ?? throw NoOpenApi(); private set => _uploads = value; }

    /// <summary>Reading back (issue 25): history, one message, read receipts, resources.</summary>
    internal MessageHistory History { get => _history ?? throw NoOpenApi(); private set => _history = value; }
    /// <summary>Batch messages (issue 23): send, progress, reads, recall.</summary>
    internal BatchMessages BatchMessages { get => _batches ?? throw NoOpenApi(); private set => _batches = value; }

    /// <summary>The department tree and department members (issue 23), the tree cached for <see cref="DepartmentDirectory.CacheLifetime"/>.</summary>
    internal DepartmentDirectory Departments { get => _departments ?? throw NoOpenApi(); private set => _departments = value; }

    /// <summary>How this connection delivers messages (the app API or the hook), chosen here once.</summary>
    internal IMessageTransport Transport { get; }

    private InvalidOperationException NoOpenApi() =>
        new("This is a webhook connection (" + Hook?.Masked + "): a group's custom bot has no access to Lark's Open API.");

    /// <summary>True when this connection's pacing is shared with the other processes on this machine (issue 24).</summary>
    internal bool SharesQuota { get; private set; }

    private Pacer CreatePacer(QuotaSharing? sharing, string sharer)
    {
        var options = CreateDeliveryOptions().Pacing;
        SharesQuota = sharing is not null;
        return sharing is null
            ? new Pacer(options, _clock)
            : new Pacer(options, _clock, quota => SharedQuotaFile.For(sharer, quota, options, sharing.Folder));
    }

    private RetryingCaller CreateRetryingCaller() => new(new RetryPolicy(CreateDeliveryOptions().Pacing), _clock);

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

        if (Kind == LarkConnectionKind.Webhook)
        {
            options.RateWindowMargin = WebhookSender.RateWindowMargin;
        }

        return options;
    }

    /// <summary>The HTTP choke point. Internal: PowerShell's formatter must not walk into it.</summary>
    internal LarkApiClient Client { get; }

    /// <summary>The token cache. Internal for the same reason.</summary>
    internal TokenCache Tokens { get; }

    internal IClock Clock => _clock;

    /// <summary>Unwraps the App Secret, for the long connection's endpoint body only (issue 21); never stored.</summary>
    internal Func<string> AppSecretReader => UnwrapSecret;

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
        _chats?.Dispose();
        _departments?.Dispose();
        Client.Dispose();
        _appSecret.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => Hook is null ? $"{AppId} @ {BaseUri.Host}" : Hook.Masked;

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

/// <summary>What a connection is: an app's (App ID + App Secret) or a group custom bot's (webhook URL).</summary>
public enum LarkConnectionKind
{
    /// <summary>A self-built app: sends to users and chats, every content type, with a tenant token.</summary>
    App,

    /// <summary>A group's custom bot: posts into its one group only (text, post, image, share_chat, cards), no token.</summary>
    Webhook,
}
