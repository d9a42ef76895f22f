using System.Security.Cryptography;
using System.Text;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>One receiver of the benchmark: how LarkPS names its type (user, chat), how Lark does (open_id, chat_id), and its id.</summary>
internal sealed record BenchReceiver(string ReceiveType, string LarkIdType, string Id);

/// <summary>
/// The receivers the benchmark spreads its messages over, and a sandbox directory that holds them. Lark's 5/s limit is
/// per destination chat, so every receiver must be a different chat: generated visible users (each has its own
/// one-to-one chat with the bot) plus one group chat with the bot for every five receivers.
/// </summary>
internal static class BenchReceivers
{
    public static (SandboxDirectory Directory, IReadOnlyList<BenchReceiver> Receivers) Create(int count)
    {
        var chats = count / 5;
        var users = count - chats;
        var directory = new SandboxDirectory();
        var receivers = new List<BenchReceiver>(count);
        for (var i = 1; i <= users; i++)
        {
            var openId = "ou_" + Hex($"bench-user-{i}", 32);
            directory.Users.Add(new SandboxUser(
                openId,
                "on_" + Hex($"bench-union-{i}", 32),
                Hex($"bench-userid-{i}", 8),
                $"Bench user {i}",
                $"bench{i}@example.com",
                Mobile: null,
                Visible: true,
                Resigned: false));
            receivers.Add(new BenchReceiver("user", "open_id", openId));
        }

        for (var i = 1; i <= chats; i++)
        {
            var chatId = "oc_" + Hex($"bench-chat-{i}", 32);
            directory.Chats.Add(new SandboxChat(chatId, $"Bench chat {i}", BotIsMember: true));
            receivers.Add(new BenchReceiver("chat", "chat_id", chatId));
        }

        // Users and chats interleaved, so round robin never sends two messages in a row into one kind.
        var ordered = receivers.Select((r, index) => (r, key: r.ReceiveType == "chat" ? (index - users) * 5.0 + 2.5 : index))
            .OrderBy(x => x.key).Select(x => x.r).ToList();
        return (directory, ordered);
    }

    // Stable ids with Lark's shapes, the same on every run.
    private static string Hex(string seed, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..length];
}
