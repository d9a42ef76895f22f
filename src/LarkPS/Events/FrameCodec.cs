using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace LarkPS.Events;

/// <summary>
/// Writes and reads <see cref="LarkFrame"/> in protobuf's proto2 wire format, by hand: varints and length-delimited
/// fields, nothing more. Not Google.Protobuf: a binary module shares its process with every other module's DLLs, and a
/// second Google.Protobuf version loaded by another module would break one of them; nine fields do not need a library.
/// </summary>
/// <remarks>
/// The required fields (SeqID, LogID, service, method; a header's key and value) are always written, even when zero or
/// empty: node's protobufjs decoder throws <c>missing required 'SeqID'</c> on a frame that leaves them out, as a
/// proto3-style encoder would. Reading is strict where the SDKs are (a missing required field is an error) and lenient
/// where protobuf is (unknown fields are skipped, a repeated scalar's last value wins).
/// </remarks>
internal static class FrameCodec
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    /// <summary>Encodes <paramref name="frame"/> as Lark's SDKs do (fields in number order).</summary>
    public static byte[] Encode(LarkFrame frame)
    {
        if (frame is null)
        {
            throw new ArgumentNullException(nameof(frame));
        }

        using var output = new MemoryStream(64 + (frame.Payload?.Length ?? 0));
        WriteTag(output, 1, Varint);
        WriteVarint(output, frame.SeqId);
        WriteTag(output, 2, Varint);
        WriteVarint(output, frame.LogId);
        WriteTag(output, 3, Varint);
        WriteVarint(output, unchecked((ulong)(long)frame.Service));   // int32: a negative value takes ten bytes, as in protobuf
        WriteTag(output, 4, Varint);
        WriteVarint(output, unchecked((ulong)(long)frame.Method));
        foreach (var header in frame.Headers)
        {
            var key = Encoding.UTF8.GetBytes(header.Key ?? string.Empty);
            var value = Encoding.UTF8.GetBytes(header.Value ?? string.Empty);
            WriteTag(output, 5, LengthDelimited);
            WriteVarint(output, (ulong)(SizeOfField(1, key.Length) + SizeOfField(2, value.Length)));
            WriteBytesField(output, 1, key);
            WriteBytesField(output, 2, value);
        }

        if (frame.PayloadEncoding is not null)
        {
            WriteBytesField(output, 6, Encoding.UTF8.GetBytes(frame.PayloadEncoding));
        }

        if (frame.PayloadType is not null)
        {
            WriteBytesField(output, 7, Encoding.UTF8.GetBytes(frame.PayloadType));
        }

        if (frame.Payload is not null)
        {
            WriteBytesField(output, 8, frame.Payload);
        }

        if (frame.LogIdNew is not null)
        {
            WriteBytesField(output, 9, Encoding.UTF8.GetBytes(frame.LogIdNew));
        }

        return output.ToArray();
    }

    /// <summary>Decodes one frame; throws <see cref="InvalidDataException"/> for bytes that are not a valid frame.</summary>
    public static LarkFrame Decode(byte[] bytes) => Decode(bytes, 0, bytes?.Length ?? 0);

    /// <summary>Decodes one frame from <paramref name="count"/> bytes of <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    public static LarkFrame Decode(byte[] buffer, int offset, int count)
    {
        if (buffer is null)
        {
            throw new ArgumentNullException(nameof(buffer));
        }

        var reader = new Reader(buffer, offset, offset + count);
        var frame = new LarkFrame();
        bool seq = false, log = false, service = false, method = false;
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.Tag();
            switch (field)
            {
                case 1 when wireType == Varint: frame.SeqId = reader.Varint(); seq = true; break;
                case 2 when wireType == Varint: frame.LogId = reader.Varint(); log = true; break;
                case 3 when wireType == Varint: frame.Service = unchecked((int)reader.Varint()); service = true; break;
                case 4 when wireType == Varint: frame.Method = unchecked((int)reader.Varint()); method = true; break;
                case 5 when wireType == LengthDelimited: frame.Headers.Add(DecodeHeader(reader.Slice())); break;
                case 6 when wireType == LengthDelimited: frame.PayloadEncoding = reader.Slice().Text(); break;
                case 7 when wireType == LengthDelimited: frame.PayloadType = reader.Slice().Text(); break;
                case 8 when wireType == LengthDelimited: frame.Payload = reader.Slice().Bytes(); break;
                case 9 when wireType == LengthDelimited: frame.LogIdNew = reader.Slice().Text(); break;
                default: reader.Skip(field, wireType); break;
            }
        }

        var missing = !seq ? "SeqID" : !log ? "LogID" : !service ? "service" : !method ? "method" : null;
        if (missing is not null)
        {
            throw new InvalidDataException("The frame has no '" + missing + "' field, which pbbp2.Frame requires.");
        }

        return frame;
    }

    private static KeyValuePair<string, string> DecodeHeader(Reader reader)
    {
        string? key = null, value = null;
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.Tag();
            switch (field)
            {
                case 1 when wireType == LengthDelimited: key = reader.Slice().Text(); break;
                case 2 when wireType == LengthDelimited: value = reader.Slice().Text(); break;
                default: reader.Skip(field, wireType); break;
            }
        }

        if (key is null || value is null)
        {
            throw new InvalidDataException("A frame header has no '" + (key is null ? "key" : "value") + "' field, which pbbp2.Header requires.");
        }

        return new KeyValuePair<string, string>(key, value);
    }

    private static void WriteTag(Stream output, int field, int wireType) => WriteVarint(output, (ulong)((field << 3) | wireType));

    private static void WriteBytesField(Stream output, int field, byte[] bytes)
    {
        WriteTag(output, field, LengthDelimited);
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes, 0, bytes.Length);
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    private static int SizeOfVarint(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int SizeOfField(int field, int length) => SizeOfVarint((ulong)(field << 3)) + SizeOfVarint((ulong)length) + length;

    /// <summary>A bounded view of the bytes: every read checks the end, so a truncated or hostile frame is an error, never an overrun.</summary>
    private sealed class Reader
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _position;

        public Reader(byte[] buffer, int start, int end)
        {
            if (start < 0 || end > buffer.Length || start > end)
            {
                throw new ArgumentOutOfRangeException(nameof(end), "The range lies outside the buffer.");
            }

            _buffer = buffer;
            _position = start;
            _end = end;
        }

        public bool AtEnd => _position >= _end;

        public (int Field, int WireType) Tag()
        {
            var tag = Varint();
            var field = (int)(tag >> 3);
            if (field <= 0 || tag > int.MaxValue)
            {
                throw new InvalidDataException("The frame has an invalid field number.");
            }

            return (field, (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                if (_position >= _end)
                {
                    throw new InvalidDataException("The frame ends inside a number.");
                }

                var b = _buffer[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException("The frame has a number longer than ten bytes.");
        }

        public Reader Slice()
        {
            var length = Varint();
            if (length > (ulong)(_end - _position))
            {
                throw new InvalidDataException("The frame ends inside a field (a length of " + length + " bytes where " + (_end - _position) + " are left).");
            }

            var slice = new Reader(_buffer, _position, _position + (int)length);
            _position += (int)length;
            return slice;
        }

        public byte[] Bytes()
        {
            var bytes = new byte[_end - _position];
            Buffer.BlockCopy(_buffer, _position, bytes, 0, bytes.Length);
            _position = _end;
            return bytes;
        }

        public string Text()
        {
            var text = Encoding.UTF8.GetString(_buffer, _position, _end - _position);
            _position = _end;
            return text;
        }

        public void Skip(int field, int wireType)
        {
            switch (wireType)
            {
                case FrameCodec.Varint: Varint(); break;
                case Fixed64: Advance(8); break;
                case LengthDelimited: Slice(); break;
                case Fixed32: Advance(4); break;
                default: throw new InvalidDataException("The frame's field " + field + " has wire type " + wireType + ", which pbbp2.Frame does not use.");
            }
        }

        private void Advance(int count)
        {
            if (_end - _position < count)
            {
                throw new InvalidDataException("The frame ends inside a fixed-size field.");
            }

            _position += count;
        }
    }
}
