using LarkPS.Sandbox.State;

namespace LarkPS.Sandbox.Http;

/// <summary>
/// Behind <see cref="RequestGuard"/>: applies the latency fault to /open-apis, turns ASP.NET's empty 404/405 into
/// Lark's plain-text 404 and any unforeseen failure into a Lark-shaped 500, and logs the exchange.
/// </summary>
internal sealed class RequestRecorder(RequestDelegate next, SandboxState state)
{
    private const string DroppedItem = "larkps.dropped";
    private const string RecordItem = "larkps.record";

    public static void MarkDropped(HttpContext context)
    {
        context.Items[DroppedItem] = true;

        // Recorded before the connection goes: the client sees the drop at once, and a test that asserts on Requests
        // right after must find the entry (recording in the finally raced the client under load).
        if (context.Items.TryGetValue(RecordItem, out var record) && record is Action<int> recordNow)
        {
            recordNow(0);
        }

        context.Abort();
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var arrived = state.Now;
        if (LarkResponses.LogId(context) == "unknown")
        {
            LarkResponses.AssignLogId(context, LarkResponses.NewLogId(arrived));
        }

        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        // Counted as the endpoint reads it: a chunked upload's size is known only once it has arrived.
        var counted = new CountingStream(request.Body);
        request.Body = counted;
        string? body = null;
        var tooLarge = false;
        if (!RequestBody.IsMultipart(request))
        {
            byte[]? bytes = null;
            try
            {
                bytes = await RequestBody.ReadBytesAsync(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                tooLarge = true;
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
            {
                // The client went away mid-body; log what arrived and let the endpoint see the same.
            }

            if (bytes is not null && !RequestBody.IsOversized(context))
            {
                body = SecretRedactor.Redact(bytes);
            }
        }

        // Multipart and oversized bodies are logged by their size only, however they were sent.
        string Body() => body ?? string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"[{request.ContentType}, {(tooLarge ? "more than " : string.Empty)}{counted.BytesRead} bytes]");

        // Record when the answer starts, before the client can see it: a test that asserts on
        // Requests right after its call must find the entry. Answers that never start are recorded at the end.
        var recorded = 0;
        void Record(int statusCode)
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                state.Requests.Add(new RecordedRequest(
                    request.Method,
                    SecretRedactor.RedactQuery(request.Path.Value + request.QueryString.Value),
                    headers,
                    Body(),
                    statusCode,
                    LarkResponses.AnsweredCode(context),
                    arrived));
            }
        }

        context.Items[RecordItem] = (Action<int>)Record;
        context.Response.OnStarting(() =>
        {
            Record(context.Response.StatusCode);
            return Task.CompletedTask;
        });

        try
        {
            if (tooLarge)
            {
                await LarkResponses.Error(
                    context,
                    StatusCodes.Status413PayloadTooLarge,
                    RequestGuard.BadRequest,
                    "The request body is larger than the sandbox accepts (31 MB, room for a 30 MB upload).").ConfigureAwait(false);
                return;
            }

            if (request.Path.StartsWithSegments("/open-apis", StringComparison.Ordinal))
            {
                // The network: half the round trip (plus jitter) before the request reaches Lark's logic, which counts
                // the quotas on arrival; the other half (plus its own jitter) before the answer starts back.
                var inbound = state.Faults.OneWayDelay();
                if (inbound > TimeSpan.Zero)
                {
                    await Task.Delay(inbound, context.RequestAborted).ConfigureAwait(false);
                }

                var outbound = state.Faults.OneWayDelay();
                if (outbound > TimeSpan.Zero)
                {
                    context.Response.OnStarting(() => Task.Delay(outbound, context.RequestAborted));
                }
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
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // A sandbox bug or an input no endpoint foresaw: still an answer in Lark's shape, never an empty 500.
            context.Response.Clear();
            LarkResponses.AssignLogId(context, LarkResponses.LogId(context));  // Clear() dropped the header
            await LarkResponses.Error(
                context,
                StatusCodes.Status500InternalServerError,
                Endpoints.LarkCodes.InternalError,
                "internal error: " + ex.GetType().Name).ConfigureAwait(false);
        }
        finally
        {
            var dropped = context.Items.ContainsKey(DroppedItem) || context.RequestAborted.IsCancellationRequested;
            Record(dropped && !context.Response.HasStarted ? 0 : context.Response.StatusCode);
        }
    }
}
