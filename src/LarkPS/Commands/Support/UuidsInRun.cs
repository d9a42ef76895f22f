using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using LarkPS.Messages;

namespace LarkPS.Commands.Support;

/// <summary>
/// Every uuid one Send-LarkMessage run sends, with the item that first carried it and a fingerprint of its message.
/// Lark keeps one message per uuid for an hour, so a second, different message with the same uuid would be reported
/// sent as the first one's message and never arrive: that item is refused. The same message again (same receiver,
/// type and content) is Lark's own de-duplication at work and goes through.
/// </summary>
internal sealed class UuidsInRun
{
    private readonly Dictionary<string, (string Item, string Fingerprint)> _first = new(StringComparer.Ordinal);

    /// <summary>
    /// Claims <paramref name="uuid"/> for <paramref name="message"/>: true when it is new in this run or carried the
    /// same message before; false, with the item that carries it, when another message already uses it.
    /// </summary>
    public bool TryClaim(string uuid, OutgoingMessage message, string receiveId, string description, out string firstItem)
    {
        var fingerprint = Fingerprint(message, receiveId);
        if (_first.TryGetValue(uuid, out var first))
        {
            firstItem = first.Item;
            return first.Fingerprint == fingerprint;
        }

        _first[uuid] = (description, fingerprint);
        firstItem = description;
        return true;
    }

    // SHA-256 of what makes two messages the same to Lark's reader: receiver, type and content.
    private static string Fingerprint(OutgoingMessage message, string receiveId)
    {
        using var sha = SHA256.Create();
        var head = Encoding.UTF8.GetBytes(message.ReceiveType + "\n" + receiveId + "\n" + message.MsgType + "\n");
        var all = new byte[head.Length + message.ContentUtf8.Length];
        Buffer.BlockCopy(head, 0, all, 0, head.Length);
        Buffer.BlockCopy(message.ContentUtf8, 0, all, head.Length, message.ContentUtf8.Length);
        return Convert.ToBase64String(sha.ComputeHash(all));
    }
}
