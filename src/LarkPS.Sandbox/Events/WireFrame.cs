using Google.Protobuf;

namespace LarkPS.Sandbox.Events;

/// <summary>
/// pbbp2.Frame as Lark's server sends and reads it, encoded with Google.Protobuf's CodedOutputStream and read with its
/// CodedInputStream: an implementation independent of the module's hand-written codec, so the two check each other,
/// and the official Node SDK (protobufjs) checks both.
/// </summary>
internal sealed class WireFrame
{
    public ulong SeqId { get; set; }
    public ulong LogId { get; set; }
    public int Service { get; set; }
    public int Method { get; set; }
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public string? PayloadEncoding { get; set; }
    public string? PayloadType { get; set; }
    public byte[]? Payload { get; set; }
    public string? LogIdNew { get; set; }

    public string? Header(string key) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);

        // proto2 required fields: written even when zero (node's decoder refuses a frame without them).
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteUInt64(SeqId);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteUInt64(LogId);
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteInt32(Service);
        output.WriteTag(4, WireFormat.WireType.Varint);
        output.WriteInt32(Method);
        foreach (var (key, value) in Headers)
        {
            using var header = new MemoryStream();
            var headerOutput = new CodedOutputStream(header);
            headerOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
            headerOutput.WriteString(key);
            headerOutput.WriteTag(2, WireFormat.WireType.LengthDelimited);
            headerOutput.WriteString(value);
            headerOutput.Flush();
            output.WriteTag(5, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(header.ToArray()));
        }

        WriteOptional(output, 6, PayloadEncoding);
        WriteOptional(output, 7, PayloadType);
        if (Payload is not null)
        {
            output.WriteTag(8, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(Payload));
        }

        WriteOptional(output, 9, LogIdNew);
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>Reads a frame; throws <see cref="InvalidProtocolBufferException"/> or <see cref="InvalidDataException"/> for bytes that are not one (or miss a required field).</summary>
    public static WireFrame Decode(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var frame = new WireFrame();
        var seen = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: frame.SeqId = input.ReadUInt64(); seen |= 1; break;
                case 2: frame.LogId = input.ReadUInt64(); seen |= 2; break;
                case 3: frame.Service = input.ReadInt32(); seen |= 4; break;
                case 4: frame.Method = input.ReadInt32(); seen |= 8; break;
                case 5: frame.Headers.Add(ReadHeader(input.ReadBytes())); break;
                case 6: frame.PayloadEncoding = input.ReadString(); break;
                case 7: frame.PayloadType = input.ReadString(); break;
                case 8: frame.Payload = input.ReadBytes().ToByteArray(); break;
                case 9: frame.LogIdNew = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }

        if (seen != 15)
        {
            throw new InvalidDataException("pbbp2.Frame is missing a required field (SeqID, LogID, service, method)");
        }

        return frame;
    }

    private static KeyValuePair<string, string> ReadHeader(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string? key = null, value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }

        return key is null || value is null
            ? throw new InvalidDataException("pbbp2.Header is missing its required key or value")
            : new(key, value);
    }

    private static void WriteOptional(CodedOutputStream output, int field, string? value)
    {
        if (value is not null)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteString(value);
        }
    }
}
