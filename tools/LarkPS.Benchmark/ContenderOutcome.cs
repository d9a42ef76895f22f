using System.Globalization;
using System.Text.Json;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>What one contender achieved, judged by what the sandbox actually delivered, not by what the client said.</summary>
internal sealed record ContenderOutcome(
    string Name,
    int Messages,
    int Delivered,
    int Duplicated,
    int Refused429,
    int Refused230020,
    int RefusedMessages,
    int RefusedThenDelivered,
    int Reordered,
    double Seconds,
    string ClientReport)
{
    public int Lost => Messages - Delivered;

    public double MessagesPerSecond => Seconds > 0 ? Delivered / Seconds : 0;

    /// <summary>
    /// Reads the sandbox after a run: delivered = distinct "bench #n" in the inbox, duplicated = inbox entries beyond
    /// one per n, which of the messages Lark's quotas refused at least once still made it in the end, and how many
    /// messages reached their receiver after a later-numbered message to the same receiver.
    /// </summary>
    public static ContenderOutcome Read(string name, int messages, SandboxServer sandbox, double seconds, string clientReport)
    {
        var perSequence = new Dictionary<int, int>();
        var latestPerReceiver = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicated = 0;
        var reordered = 0;
        foreach (var message in sandbox.Inbox)
        {
            if (Sequence(message.Content) is not { } n || n < 1 || n > messages)
            {
                continue;
            }

            if (latestPerReceiver.GetValueOrDefault(message.ChatId) > n)
            {
                reordered++;
            }
            else
            {
                latestPerReceiver[message.ChatId] = n;
            }

            perSequence[n] = perSequence.GetValueOrDefault(n) + 1;
            if (perSequence[n] > 1)
            {
                duplicated++;
            }
        }

        var refused = new HashSet<int>();
        foreach (var request in sandbox.Requests)
        {
            if (IsSend(request)
                && request.Code is 99991400 or 230020
                && ContentOfBody(request.Body) is { } content
                && Sequence(content) is { } n)
            {
                refused.Add(n);
            }
        }

        var stats = sandbox.Stats;
        return new ContenderOutcome(
            name,
            messages,
            perSequence.Count,
            duplicated,
            stats.Refused429,
            stats.Refused230020,
            refused.Count,
            refused.Count(perSequence.ContainsKey),
            reordered,
            seconds,
            clientReport);
    }

    // The content of every benchmark message is {"text":"bench #n"}.
    /// <summary>True for a message send (POST /open-apis/im/v1/messages), the requests the quotas count.</summary>
    public static bool IsSend(RecordedRequest request) =>
        request.Method == "POST" && request.PathAndQuery.StartsWith("/open-apis/im/v1/messages", StringComparison.Ordinal);

    private static int? Sequence(string content)
    {
        try
        {
            using var json = JsonDocument.Parse(content);
            var text = json.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null;
            const string Prefix = "bench #";
            return text is not null && text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ContentOfBody(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
