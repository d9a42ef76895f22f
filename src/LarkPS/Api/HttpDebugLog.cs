using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;

namespace LarkPS.Api;

/// <summary>
/// What -Debug shows of the wire: each request (method, path, body with every secret masked) and each answer
/// (status, code, log id, time taken), gathered at the choke point on whatever thread sends, for the cmdlet to write
/// on its pipeline thread (cmdlets may write from no other).
/// </summary>
/// <remarks>
/// A command attaches its log to the <see cref="HttpDebugTap"/> of each connection it uses, for as long as it runs; the
/// choke point writes every line to the logs attached to its tap. Nothing is looked up from ambient state. Answer
/// bodies are never kept: the token endpoint's answer holds the token.
/// </remarks>
internal sealed class HttpDebugLog
{
    /// <summary>The most lines held between two writes; beyond it lines are counted, not kept, so memory stays bounded.</summary>
    public const int MaxHeldLines = 10_000;

    /// <summary>The most characters of a request body shown.</summary>
    public const int MaxBodyChars = 16 * 1024;

    private const string Masked = "***";

    // Names whose values are secrets wherever they appear in a JSON body (Lark's token requests, webhook signatures).
    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "app_secret", "app_access_token", "tenant_access_token", "user_access_token", "access_token", "refresh_token",
        "token", "secret", "sign", "password", "authorization", "app_ticket",

        // The long connection's endpoint body (issue 21): {"AppID","AppSecret"}.
        "AppSecret",
    };

    // A custom bot's address carries its token in the path: /open-apis/bot/v2/hook/<token>.
    private static readonly Regex HookToken = new("(/hook/)[^/?#]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly ConcurrentQueue<string> _lines = new();
    private int _held;
    private int _dropped;
    private int _closed;

    /// <summary>Records that <paramref name="request"/> is being sent.</summary>
    public void Request(LarkRequest request) => Add(RequestLine(request));

    /// <summary>Records the answer to <paramref name="request"/>: status, Lark's code and log id, and the time it took.</summary>
    public void Answer(LarkRequest request, HttpStatusCode? status, int? code, string? logId, TimeSpan took) =>
        Add(AnswerLine(request, status, code, logId, took));

    /// <summary>Records a request that got no answer (a time-out, a reset, a stop).</summary>
    public void NoAnswer(LarkRequest request, string why, TimeSpan took) => Add(NoAnswerLine(request, why, took));

    /// <summary>The line of a request being sent: method, masked path and masked body.</summary>
    internal static string RequestLine(LarkRequest request)
    {
        var body = request.JsonBody is { } json ? MaskBody(json) : request.ContentFactory is not null ? "(a multipart body, not shown)" : "(no body)";
        return "HTTP " + request.Method.Method + " " + MaskPath(request.PathAndQuery) + " " + body;
    }

    /// <summary>The line of an answer: status, Lark's code and log id, and the time it took.</summary>
    internal static string AnswerLine(LarkRequest request, HttpStatusCode? status, int? code, string? logId, TimeSpan took)
    {
        var line = new StringBuilder("HTTP ");
        line.Append(status is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "(no status)")
            .Append(" answered ").Append(request.Method.Method).Append(' ').Append(MaskPath(request.PathAndQuery))
            .Append(": code ").Append(code is { } c ? c.ToString(CultureInfo.InvariantCulture) : "(none)")
            .Append(", log id ").Append(string.IsNullOrEmpty(logId) ? "(none)" : logId)
            .Append(", ").Append(Milliseconds(took));
        return line.ToString();
    }

    /// <summary>The line of a request that got no answer.</summary>
    internal static string NoAnswerLine(LarkRequest request, string why, TimeSpan took) =>
        "HTTP no answer to " + request.Method.Method + " " + MaskPath(request.PathAndQuery) + ": " + why + ", " + Milliseconds(took);

    /// <summary>The lines gathered since the last call, oldest first; call on the pipeline thread and write them.</summary>
    public IEnumerable<string> Drain()
    {
        while (_lines.TryDequeue(out var line))
        {
            Interlocked.Decrement(ref _held);
            yield return line;
        }

        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            yield return dropped.ToString(CultureInfo.InvariantCulture) + " more HTTP debug line(s) were not kept (more than " + MaxHeldLines.ToString(CultureInfo.InvariantCulture) + " between two writes).";
        }
    }

    /// <summary>Nothing more is recorded: a task still sending after its command ended adds nothing.</summary>
    public void Close() => Interlocked.Exchange(ref _closed, 1);

    /// <summary>A path with a custom bot's token masked.</summary>
    internal static string MaskPath(string pathAndQuery)
    {
        var path = HookToken.Replace(pathAndQuery ?? string.Empty, "$1" + Masked);
        return path.StartsWith("/", StringComparison.Ordinal) || path.Contains("://") ? path : "/" + path;
    }

    /// <summary>A JSON body as compact text with the value of every secret-named property masked, at any depth.</summary>
    internal static string MaskBody(byte[] json)
    {
        string text;
        try
        {
            using var document = JsonDocument.Parse(json);
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                WriteMasked(writer, document.RootElement);
            }

            text = Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (JsonException)
        {
            // Not JSON: shown by size only, since nothing in it can be told apart from a secret.
            return "(a body of " + json.Length.ToString(CultureInfo.InvariantCulture) + " bytes that is not JSON, not shown)";
        }

        return text.Length <= MaxBodyChars
            ? text
            : text.Substring(0, MaxBodyChars) + "… (" + (text.Length - MaxBodyChars).ToString(CultureInfo.InvariantCulture) + " more characters)";
    }

    private static void WriteMasked(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (SecretNames.Contains(property.Name) && property.Value.ValueKind is not JsonValueKind.Null)
                    {
                        writer.WriteStringValue(Masked);
                    }
                    else
                    {
                        WriteMasked(writer, property.Value);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteMasked(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string Milliseconds(TimeSpan took) => Math.Round(took.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";

    /// <summary>Keeps one line (unless closed, or more than <see cref="MaxHeldLines"/> are held).</summary>
    internal void Add(string line)
    {
        if (Volatile.Read(ref _closed) == 1)
        {
            return;
        }

        if (Interlocked.Increment(ref _held) > MaxHeldLines)
        {
            Interlocked.Decrement(ref _held);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _lines.Enqueue(line);
    }
}
