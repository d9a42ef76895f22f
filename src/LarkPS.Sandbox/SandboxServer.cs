using System.Net;
using LarkPS.Sandbox.Endpoints;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace LarkPS.Sandbox;

/// <summary>
/// A running Lark-compatible sandbox on loopback. The command line and in-process tests both start it
/// here, so they exercise one code path.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    // Files ride at 30 MB; multipart framing needs a little room above that.
    private const long MaxRequestBytes = 31L * 1024 * 1024;

    private readonly WebApplication app;
    private readonly SandboxState state;

    private SandboxServer(WebApplication app, SandboxState state, Uri baseAddress)
    {
        this.app = app;
        this.state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The address actually bound (the real port when started on port 0), ending in '/'.</summary>
    public Uri BaseAddress { get; }

    public SandboxOptions Options => state.Options;

    public SandboxFaults Faults => state.Faults;

    /// <summary>Faults for custom-bot calls only (POST /open-apis/bot/v2/hook/{token}).</summary>
    public HookFaults HookFaults => state.HookFaults;

    /// <summary>Hook calls answered 11232 (frequency limited) since the last reset.</summary>
    public int HookRefusals => state.HookQuota.Refused;

    /// <summary>A snapshot of delivered messages, in delivery order.</summary>
    public IReadOnlyList<DeliveredMessage> Inbox => state.Messages.Snapshot();

    /// <summary>A snapshot of every request received on any path, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => state.Requests.Snapshot();

    public SandboxStats Stats => state.Stats;

    /// <summary>The batch messages accepted (issue 23), in order.</summary>
    public IReadOnlyList<BatchMessage> BatchMessages => state.Batches.Snapshot();

    /// <summary>The long connection (issue 21): its connections, pushes and acknowledgements; publish events here.</summary>
    public Events.EventHub Events => state.Events;

    /// <summary>Fires when the host is told to stop (Ctrl+C, SIGTERM): the command line waits on it.</summary>
    internal CancellationToken Stopping => app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Starts a sandbox. <paramref name="url"/> may list several addresses separated by ';'. Every one must be
    /// loopback unless <see cref="SandboxOptions.AllowRemote"/> is set.
    /// </summary>
    public static async Task<SandboxServer> StartAsync(
        SandboxOptions? options = null,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var urls = url.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var candidate in urls)
        {
            EnsureAllowed(candidate, options.AllowRemote);
        }

        var state = new SandboxState(options);
        var baseDirectory = AppContext.BaseDirectory;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = baseDirectory,
            WebRootPath = Path.Combine(baseDirectory, "wwwroot"),
            EnvironmentName = Environments.Production,
        });

        // Warnings only: the console is for the start-up banner, not per-request chatter.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A failed start (a busy port) is reported once, in words, by whoever called StartAsync: not as a host trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;

            // A new connection pays the handshake before anything on it is read, as TLS to a distant Lark costs.
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
            {
                var handshake = state.Faults.HandshakeDelay;
                if (handshake > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(handshake, connection.ConnectionClosed).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up during the handshake: nothing to serve.
                        return;
                    }
                }

                await next(connection).ConfigureAwait(false);
            }));
        });

        var app = builder.Build();
        app.UseMiddleware<RequestGuard>(options);
        app.UseMiddleware<RequestRecorder>(state);
        app.UseWebSockets();
        app.UseDefaultFiles();
        app.UseStaticFiles();

        AuthEndpoints.Map(app, state);
        MessageEndpoints.Map(app, state);
        MessageChangeEndpoints.Map(app, state);
        ContactEndpoints.Map(app, state);
        BatchMessageEndpoints.Map(app, state);
        DepartmentEndpoints.Map(app, state);
        UploadEndpoints.Map(app, state);
        ChatEndpoints.Map(app, state);
        ControlEndpoints.Map(app, state);
        HookEndpoints.Map(app, state);
        MessageControlEndpoints.Map(app, state);
        EventEndpoints.Map(app, state);
        EventControlEndpoints.Map(app, state);
        HistoryEndpoints.Map(app, state);
        ResourceEndpoints.Map(app, state);
        HistoryControlEndpoints.Map(app, state);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new SandboxServer(app, state, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>Registers (or replaces) a custom bot; it wins over a directory hook with the same token.</summary>
    public SandboxHook RegisterHook(SandboxHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentException.ThrowIfNullOrEmpty(hook.Token);
        state.Hooks.Register(hook);
        return hook;
    }

    /// <summary>The webhook URL of a hook token on this sandbox.</summary>
    public Uri HookUri(string token) => new(BaseAddress, "open-apis/bot/v2/hook/" + Uri.EscapeDataString(token));

    /// <summary>Clears inbox, requests, stats, faults, rate windows and uuid memory. Issued tokens stay valid.</summary>
    public void Reset() => state.Reset();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
            state.Uploads.Dispose();
        }
    }

    private static void EnsureAllowed(string url, bool allowRemote)
    {
        if (allowRemote)
        {
            return;
        }

        // Kestrel's wildcards (* and +) are not valid URI hosts, so look at the authority by hand.
        var afterScheme = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var authority = afterScheme.Split('/')[0];
        var host = authority.StartsWith('[')
            ? authority[1..authority.IndexOf(']', StringComparison.Ordinal)]
            : authority.Split(':')[0];
        var loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        if (!loopback)
        {
            throw new ArgumentException(
                $"'{url}' is not a loopback address. The sandbox is a test server; pass --allow-remote (SandboxOptions.AllowRemote) to listen beyond this machine.",
                nameof(url));
        }
    }
}
