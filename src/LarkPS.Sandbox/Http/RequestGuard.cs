using System.Net;

namespace LarkPS.Sandbox.Http;

/// <summary>
/// Outermost middleware: a sandbox on loopback answers only requests addressed to loopback (a web page cannot reach it
/// through DNS rebinding, where a name the attacker controls resolves to 127.0.0.1), and its control and inbox
/// endpoints (/_sandbox/*) answer only the sandbox's own page or a client that is not a browser.
/// </summary>
internal sealed class RequestGuard(RequestDelegate next, SandboxOptions options)
{
    /// <summary>
    /// Lark's generic "Bad Request" code. These refusals are the sandbox's own (Lark's gateway answers a foreign Host
    /// or a browser differently, unconfirmed); they still come in Lark's shape with a log id.
    /// </summary>
    public const int BadRequest = 9499;

    public async Task InvokeAsync(HttpContext context)
    {
        LarkResponses.AssignLogId(context, LarkResponses.NewLogId(options.TimeProvider.GetUtcNow()));
        if (!options.AllowRemote && !IsLoopbackHost(context.Request.Host.Host))
        {
            await LarkResponses.Error(
                context,
                StatusCodes.Status400BadRequest,
                BadRequest,
                "The sandbox answers only requests addressed to a loopback host (127.0.0.1, [::1] or localhost); "
                + "the Host header named another. Start it with --allow-remote to serve other hosts.").ConfigureAwait(false);
            return;
        }

        if (context.Request.Path.StartsWithSegments("/_sandbox", StringComparison.Ordinal) && CrossOrigin(context.Request) is { } why)
        {
            await LarkResponses.Error(
                context,
                StatusCodes.Status403Forbidden,
                BadRequest,
                $"The sandbox's control and inbox endpoints refuse cross-origin requests ({why}); use its own page or a client that is not a browser.")
                .ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Why the request comes from another site, or null when it is same-origin or not from a browser.</summary>
    private static string? CrossOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0
            && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(site, "none", StringComparison.OrdinalIgnoreCase))
        {
            return "Sec-Fetch-Site: " + site;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            var own = request.Scheme + "://" + request.Host.Value;
            if (!string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
            {
                return "Origin: " + origin;
            }
        }

        return null;
    }
}
