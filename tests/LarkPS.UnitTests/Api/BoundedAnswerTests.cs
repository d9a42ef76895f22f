using System.IO.Compression;
using System.Net.Http;
using System.Text;
using LarkPS.Api;
using LarkPS.Session;
using static LarkPS.UnitTests.Api.TestConnections;
using Xunit;

namespace LarkPS.UnitTests.Api;

/// <summary>
/// Issue 14's reproduction: a 1.5 GB answer, or a 1 MB gzip that expands to 1 GB, took the working set to 3–4.6 GB for
/// one message. Against real sockets with the connection's own handler: answers the cap stops before they are read
/// whole, however they are framed, with memory that shows it.
/// </summary>
public class BoundedAnswerTests
{
    private const string TokenAnswer = "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-secret-token\",\"expire\":7200}";

    [Fact]
    public async Task An_answer_announcing_1_5_GB_fails_as_too_large_without_waiting_for_a_byte_of_it()
    {
        // The head says 1.5 GB; no byte of the body ever comes. Reading it would end in a broken connection instead.
        await using var server = new RawHttpServer(request => request.Contains("tenant_access_token", StringComparison.Ordinal)
            ? RawHttpServer.Answer(200, "OK", TokenAnswer)
            : Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1610612736\r\nConnection: close\r\n\r\n"));
        using var connection = Connect(server.BaseUri);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Send(), CancellationToken.None));

        Assert.Equal(LarkCodeTable.AnswerTooLarge, error.Row.Code);
        Assert.False(error.IsTransport);
        Assert.True(error.MayHaveArrived);
        Assert.Contains("8 MB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_answer_with_no_length_is_stopped_at_the_cap_and_not_read_to_its_end()
    {
        // 9 MB of chunks and no last chunk: a reader that went on to the end would meet the closed connection.
        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
        body.Write(Chunk(Encoding.ASCII.GetBytes("{\"code\":0,\"pad\":\"")));
        for (var i = 0; i < 9 * 16; i++)
        {
            body.Write(Chunk(chunk));
        }

        var answer = body.ToArray();
        await using var server = new RawHttpServer(request => request.Contains("tenant_access_token", StringComparison.Ordinal)
            ? RawHttpServer.Answer(200, "OK", TokenAnswer)
            : answer);
        using var connection = Connect(server.BaseUri);

        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Send(), CancellationToken.None));

        Assert.Equal(LarkCodeTable.AnswerTooLarge, error.Row.Code);
        Assert.False(error.IsTransport);
    }

    [Fact]
    public async Task A_gzip_answer_expanding_to_512_MB_is_stopped_at_the_cap_with_memory_far_below_its_size()
    {
        var compressed = GzipOfSpaces(512);
        // Under the cap on the wire: only its decompressed size can pass it.
        Assert.True(compressed.Length < LarkApiClient.MaxAnswerBytes, "the answer should be under the cap on the wire: " + compressed.Length);
        await using var server = new RawHttpServer(request =>
        {
            if (request.Contains("tenant_access_token", StringComparison.Ordinal))
            {
                return RawHttpServer.Answer(200, "OK", TokenAnswer);
            }

            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {compressed.Length}\r\nConnection: close\r\n\r\n");
            return head.Concat(compressed).ToArray();
        });
        using var connection = Connect(server.BaseUri);
        await connection.EnsureTokenAsync(CancellationToken.None);

        // Bytes allocated by the whole process while the answer is read: reading it whole would allocate over 512 MB
        // (1 GB as UTF-16 text); bounded, it is the 8 MB cap and buffers. Other tests' allocations only add to it.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Assert.ThrowsAsync<LarkApiException>(() => connection.Client.SendAsync(Send(), CancellationToken.None));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(LarkCodeTable.AnswerTooLarge, error.Row.Code);
        Assert.True(allocated < 160L * 1024 * 1024, $"{allocated / (1024 * 1024)} MB allocated while a 512 MB answer was refused");
    }

    private static byte[] Chunk(byte[] data) =>
        Encoding.ASCII.GetBytes(data.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n")
            .Concat(data).Concat(Encoding.ASCII.GetBytes("\r\n")).ToArray();

    private static byte[] GzipOfSpaces(int megabytes)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var spaces = Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024));
            gzip.Write("{\"code\":0,\"pad\":\""u8);
            for (var i = 0; i < megabytes; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("\"}"u8);
        }

        return packed.ToArray();
    }
}
