using System.Security.Cryptography;
using System.Text;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>
/// One workload: for each message, in input order, the receiver it goes to; whether the Node SDK runs it too; and the
/// key Lark counts its 5/s under (the destination chat, which for a user or a phone number is the bot's chat with them).
/// </summary>
internal sealed record Workload(string Name, IReadOnlyList<BenchReceiver> Messages, bool WithNode)
{
    public int Count => Messages.Count;
}

/// <summary>The workloads over one sandbox directory: 20 group chats and 300 users who have phone numbers.</summary>
internal static class Workloads
{
    public static (SandboxDirectory Directory, IReadOnlyList<Workload> Workloads) Create(bool quick)
    {
        var directory = new SandboxDirectory();
        var chats = new List<BenchReceiver>();
        for (var i = 1; i <= 20; i++)
        {
            var chatId = "oc_" + Hex($"bench-chat-{i}", 32);
            directory.Chats.Add(new SandboxChat(chatId, $"Bench chat {i}", BotIsMember: true));
            chats.Add(new BenchReceiver("chat", "chat_id", chatId));
        }

        var users = new List<BenchReceiver>();
        var phones = new List<BenchReceiver>();
        for (var i = 1; i <= 300; i++)
        {
            var openId = "ou_" + Hex($"bench-user-{i}", 32);
            var mobile = "139" + i.ToString("00000000", System.Globalization.CultureInfo.InvariantCulture);
            directory.Users.Add(new SandboxUser(
                openId, "on_" + Hex($"bench-union-{i}", 32), Hex($"bench-userid-{i}", 8), $"Bench user {i}", $"bench{i}@example.com",
                Mobile: "+86" + mobile, Visible: true, Resigned: false));
            users.Add(new BenchReceiver("user", "open_id", openId));
            phones.Add(new BenchReceiver("phone", "mobile", mobile));
        }

        var oneChat = quick ? 60 : 300;
        var spread = quick ? 1100 : 2000;
        var spreadUsers = spread / 10;
        var list = new List<Workload>
        {
            new("300 to 20 chats", Enumerable.Range(0, 300).Select(i => chats[i % 20]).ToList(), WithNode: true),
            new($"{oneChat} to 1 chat", Enumerable.Range(0, oneChat).Select(_ => chats[0]).ToList(), WithNode: true),
            new("300 to 20 chats, 15 in a row", Enumerable.Range(0, 300).Select(i => chats[i / 15]).ToList(), WithNode: true),
            new("300 to phone numbers", phones.ToList(), WithNode: true),
            new($"{spread} to {spreadUsers} users", Enumerable.Range(0, spread).Select(i => users[i % spreadUsers]).ToList(), WithNode: false),
        };
        return (directory, list);
    }

    /// <summary>
    /// The shortest time Lark's windows allow for <paramref name="messages"/> (50/s and 1000/min per app, 5/s per receiver,
    /// all sliding), plus one latency for the last answer: each message is sent at the earliest moment every window has
    /// room, taking receivers with work in turn (earliest slot first).
    /// </summary>
    public static double LimitSeconds(IReadOnlyList<BenchReceiver> messages, SandboxQuotas quotas, double latencySeconds)
    {
        var second = new List<double>();
        var minute = new List<double>();
        var perReceiver = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var queues = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var m in messages)
        {
            if (!queues.TryAdd(m.Id, 1))
            {
                queues[m.Id]++;
            }
            else
            {
                order.Add(m.Id);
                perReceiver[m.Id] = new List<double>();
            }
        }

        var now = 0.0;
        for (var left = messages.Count; left > 0; left--)
        {
            var app = Math.Max(Free(second, quotas.AppPerSecond, 1, now), Free(minute, quotas.AppPerMinute, 60, now));
            string? best = null;
            var bestAt = double.MaxValue;
            foreach (var id in order)
            {
                if (queues[id] == 0)
                {
                    continue;
                }

                var at = Math.Max(app, Free(perReceiver[id], quotas.ReceiverPerSecond, 1, now));
                if (at < bestAt)
                {
                    bestAt = at;
                    best = id;
                }
            }

            queues[best!]--;
            second.Add(bestAt);
            minute.Add(bestAt);
            perReceiver[best!].Add(bestAt);
            now = bestAt;
        }

        return now + latencySeconds;

        static double Free(List<double> window, int limit, double length, double now) =>
            window.Count < limit ? now : Math.Max(now, window[^limit] + length);
    }

    /// <summary>
    /// True when the messages go to phone numbers: Lark sends only to ids, so a number is looked up (batch_get_id, 50 a
    /// call) before its first send can leave, one round trip that no client can skip; the limit adds it.
    /// </summary>
    public static bool NeedsLookUp(IReadOnlyList<BenchReceiver> messages) => messages.Any(m => m.ReceiveType == "phone");

    private static string Hex(string seed, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..length];
}
