using System;
using System.Collections.Generic;
using System.Globalization;

namespace LarkPS.Events;

/// <summary>
/// One frame of Lark's long connection: the nine fields of the official SDKs' <c>pbbp2.Frame</c> (proto2).
/// Control frames (method 0) carry ping and pong; data frames (method 1) carry events and their acknowledgements.
/// </summary>
internal sealed class LarkFrame
{
    /// <summary>method 0: ping / pong.</summary>
    public const int ControlMethod = 0;

    /// <summary>method 1: an event (or its acknowledgement).</summary>
    public const int DataMethod = 1;

    /// <summary>Field 1, required.</summary>
    public ulong SeqId { get; set; }

    /// <summary>Field 2, required.</summary>
    public ulong LogId { get; set; }

    /// <summary>Field 3, required: the endpoint URL's service_id in every frame the client sends.</summary>
    public int Service { get; set; }

    /// <summary>Field 4, required: <see cref="ControlMethod"/> or <see cref="DataMethod"/>.</summary>
    public int Method { get; set; }

    /// <summary>Field 5, repeated: key/value strings (type, message_id, sum, seq, trace_id, biz_rt…), in wire order.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = new();

    /// <summary>Field 6, optional.</summary>
    public string? PayloadEncoding { get; set; }

    /// <summary>Field 7, optional.</summary>
    public string? PayloadType { get; set; }

    /// <summary>Field 8, optional: the event JSON (UTF-8), a pong's ClientConfig, an ack's answer.</summary>
    public byte[]? Payload { get; set; }

    /// <summary>Field 9, optional.</summary>
    public string? LogIdNew { get; set; }

    /// <summary>The first header named <paramref name="key"/> (compared without case), or null.</summary>
    public string? Header(string key)
    {
        foreach (var pair in Headers)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>The header <paramref name="key"/> as a whole number; null where absent or not a number.</summary>
    public int? IntHeader(string key) =>
        int.TryParse(Header(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A copy with the same fields and headers (the acknowledgement starts as one).</summary>
    public LarkFrame Copy()
    {
        var copy = new LarkFrame
        {
            SeqId = SeqId,
            LogId = LogId,
            Service = Service,
            Method = Method,
            PayloadEncoding = PayloadEncoding,
            PayloadType = PayloadType,
            Payload = Payload,
            LogIdNew = LogIdNew,
        };
        copy.Headers.AddRange(Headers);
        return copy;
    }

    /// <summary>Header names used on the wire (LARK-API.md, "Handshake and frames").</summary>
    internal static class Keys
    {
        public const string Type = "type";
        public const string MessageId = "message_id";
        public const string Sum = "sum";
        public const string Seq = "seq";
        public const string TraceId = "trace_id";
        public const string BizRt = "biz_rt";
    }

    /// <summary>Values of the <c>type</c> header.</summary>
    internal static class Types
    {
        public const string Ping = "ping";
        public const string Pong = "pong";
        public const string Event = "event";
        public const string Card = "card";
    }
}
