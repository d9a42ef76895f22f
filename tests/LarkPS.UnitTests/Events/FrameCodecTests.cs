using System.IO;
using System.Text;
using LarkPS.Events;
using Xunit;

namespace LarkPS.UnitTests.Events;

/// <summary>
/// The hand-written pbbp2.Frame codec against bytes the official Node SDK's protobufjs encoder produced
/// (pbbp2.Frame.encode in @larksuiteoapi/node-sdk 1.74.0): the same bytes out, the same fields back.
/// </summary>
public class FrameCodecTests
{
    // {SeqID:7, LogID:1234567890123, service:447082, method:1, headers:[type=event, message_id=m1, sum=1, seq=0], payload:'{"code":200}'}
    private const string NodeDataFrame = "080710cb89ec8ff72318eaa41b20012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d312a080a0373756d1201312a080a03736571120130420c7b22636f6465223a3230307d";

    // The SDK's ping: {SeqID:0, LogID:0, service:3, method:0, headers:[type=ping]}: the zeros are written.
    private const string NodePing = "08001000180320002a0c0a0474797065120470696e67";

    // service -1: an int32 below zero takes ten bytes, as in protobuf.
    private const string NodeNegativeService = "0800100018ffffffffffffffffff012000";

    [Fact]
    public void Encodes_a_data_frame_byte_for_byte_as_protobufjs_does()
    {
        var frame = new LarkFrame { SeqId = 7, LogId = 1234567890123, Service = 447082, Method = 1, Payload = Encoding.UTF8.GetBytes("{\"code\":200}") };
        frame.Headers.Add(new("type", "event"));
        frame.Headers.Add(new("message_id", "m1"));
        frame.Headers.Add(new("sum", "1"));
        frame.Headers.Add(new("seq", "0"));

        Assert.Equal(NodeDataFrame, Hex(FrameCodec.Encode(frame)));
    }

    [Fact]
    public void Writes_the_required_fields_even_when_zero()
    {
        var ping = new LarkFrame { Service = 3, Method = LarkFrame.ControlMethod };
        ping.Headers.Add(new("type", "ping"));

        Assert.Equal(NodePing, Hex(FrameCodec.Encode(ping)));
        Assert.Equal(NodeNegativeService, Hex(FrameCodec.Encode(new LarkFrame { Service = -1 })));
    }

    [Fact]
    public void Decodes_what_protobufjs_encoded()
    {
        var frame = FrameCodec.Decode(Bytes(NodeDataFrame));

        Assert.Equal(7UL, frame.SeqId);
        Assert.Equal(1234567890123UL, frame.LogId);
        Assert.Equal(447082, frame.Service);
        Assert.Equal(1, frame.Method);
        Assert.Equal(new[] { "type", "message_id", "sum", "seq" }, frame.Headers.Select(h => h.Key));
        Assert.Equal("m1", frame.Header("MESSAGE_ID"));
        Assert.Equal(1, frame.IntHeader("sum"));
        Assert.Equal("{\"code\":200}", Encoding.UTF8.GetString(frame.Payload!));
        Assert.Equal(-1, FrameCodec.Decode(Bytes(NodeNegativeService)).Service);
    }

    [Fact]
    public void Round_trips_every_field_and_skips_unknown_ones()
    {
        var frame = new LarkFrame { SeqId = ulong.MaxValue, LogId = 1, Service = int.MaxValue, Method = 1, PayloadEncoding = "gzip", PayloadType = "json", Payload = new byte[300], LogIdNew = "log-新" };
        frame.Headers.Add(new("trace_id", string.Empty));
        var bytes = FrameCodec.Encode(frame).Concat(new byte[] { 0x50, 0x05, 0x5a, 0x01, 0x41 }).ToArray();   // field 10 varint, field 11 bytes

        var back = FrameCodec.Decode(bytes);

        Assert.Equal(ulong.MaxValue, back.SeqId);
        Assert.Equal(int.MaxValue, back.Service);
        Assert.Equal("gzip", back.PayloadEncoding);
        Assert.Equal("json", back.PayloadType);
        Assert.Equal(300, back.Payload!.Length);
        Assert.Equal("log-新", back.LogIdNew);
        Assert.Equal(string.Empty, back.Header("trace_id"));
    }

    [Theory]
    [InlineData("100018002000", "SeqID")]            // no field 1
    [InlineData("080018002000", "LogID")]
    [InlineData("080010002000", "service")]
    [InlineData("080010001800", "method")]
    public void Refuses_a_frame_without_a_required_field(string hex, string missing)
    {
        var error = Assert.Throws<InvalidDataException>(() => FrameCodec.Decode(Bytes(hex)));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("08")]                    // ends inside a number
    [InlineData("0800100018002000420a7b")] // a payload of 10 bytes with 1 left
    [InlineData("08ffffffffffffffffffff01")] // a varint of eleven bytes
    [InlineData("0800100018002000" + "2a020a05")] // a header whose key runs past the header
    [InlineData("0b")]                    // wire type 3 (a group), which pbbp2 never uses
    public void Refuses_truncated_or_hostile_bytes_without_reading_past_them(string hex)
    {
        Assert.Throws<InvalidDataException>(() => FrameCodec.Decode(Bytes(hex)));
    }

    [Fact]
    public void Refuses_a_header_without_its_value()
    {
        var bytes = Bytes("08001000180020002a060a0474797065");
        var error = Assert.Throws<InvalidDataException>(() => FrameCodec.Decode(bytes));
        Assert.Contains("value", error.Message, StringComparison.Ordinal);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
