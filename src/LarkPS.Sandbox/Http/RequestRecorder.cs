using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Http;

/// <summary>
/// Outermost middleware: gives every response its X-Tt-Logid, applies the latency fault to
/// /open-apis, turns ASP.NET's empty 404/405 into Lark's plain-text 404, and logs the exchange.
/// </summary>
internal sealed class RequestRecorder(RequestDelegate next, SandboxState state)
{
    private const string DroppedItem = "larkps.dropped";

    // Bodies above this are logged by size only: a 30 MB upload does not belong in memory twice.
    private const int MaxLoggedBody = 1024 * 1024;

    public static void MarkDropped(HttpContext context)
    {
        context.Items[DroppedItem] = true;
        context.Abort();
    }

    // Whatever secret a client sends (a real app's, by mistake) is not kept: /_sandbox/requests shows the log.
    private static readonly System.Text.RegularExpressions.Regex SecretField = new(
        "(\"app_secret\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(1));

    internal static string RedactSecret(string body) =>
        body.Contains("app_secret", StringComparison.Ordinal) ? SecretField.Replace(body, "$1\"***\"") : body;

    public async Task InvokeAsync(HttpContext context)
    {
        var arrived = state.Now;
        LarkResponses.AssignLogId(context, LarkResponses.NewLogId(arrived));
        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string body;
        if (RequestBody.IsMultipart(request) || request.ContentLength > MaxLoggedBody)
        {
            body = $"[{request.ContentType}, {request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} bytes]";
        }
        else
        {
            try
            {
                await RequestBody.ReadBytesAsync(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
            {
                // The client went away mid-body; log what arrived and let the endpoint see the same.
            }

            body = RedactSecret(RequestBody.CachedText(context) ?? string.Empty);
        }

        // Record when the answer starts, before the client can see it: a test that asserts on
        // Requests right after its call must find the entry. Answers that never start are recorded at the end.
        var recorded = 0;
        void Record(int statusCode)
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                state.Requests.Add(new RecordedRequest(
                    request.Method,
                    request.Path.Value + request.QueryString.Value,
                    headers,
                    body,
                    statusCode,
                    LarkResponses.AnsweredCode(context),
                    arrived));
            }
        }

        context.Response.OnStarting(() =>
        {
            Record(context.Response.StatusCode);
            return Task.CompletedTask;
        });

        try
        {
            var latency = state.Faults.Latency;
            if (latency > TimeSpan.Zero && request.Path.StartsWithSegments("/open-apis", StringComparison.Ordinal))
            {
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }

            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted
                && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
            {
                await LarkResponses.NotFound(context).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client hung up (or a fault dropped it): nothing left to answer.
        }
        finally
        {
            var dropped = context.Items.ContainsKey(DroppedItem) || context.RequestAborted.IsCancellationRequested;
            Record(dropped && !context.Response.HasStarted ? 0 : context.Response.StatusCode);
        }
    }
}
