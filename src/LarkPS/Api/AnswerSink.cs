using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Api;

/// <summary>
/// Where a request that downloads bytes (issue 25: a message's image or file) puts the answer's body: the choke point
/// hands it the body as a stream, bounded by <see cref="LarkApiClient.MaxDownloadBytes"/>, instead of reading it into
/// memory. Called once per attempt: a retried download starts over, so a sink begins by discarding what it had.
/// </summary>
internal interface IAnswerSink
{
    Task ReceiveAsync(Stream body, DownloadHeaders headers, CancellationToken cancellationToken);
}

/// <summary>What the headers of a download said: its length, type and the file name Lark reports (never trusted as a path).</summary>
internal sealed class DownloadHeaders
{
    public DownloadHeaders(long? length, string? contentType, string? fileName)
    {
        Length = length;
        ContentType = contentType;
        FileName = fileName;
    }

    public long? Length { get; }

    public string? ContentType { get; }

    /// <summary>Content-Disposition's filename* (RFC 5987) where given, else its filename; null without one.</summary>
    public string? FileName { get; }
}

/// <summary>A sink's own failure (the local disk, the folder): passed through the choke point as it is, never taken for a network fault.</summary>
internal sealed class AnswerSinkException : Exception
{
    public AnswerSinkException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A read-only view of a body that fails once more than its limit has been read: memory and disk stay bounded.</summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private long _read;

    public BoundedReadStream(Stream inner, long limit)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _limit = limit;
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        if (Interlocked.Add(ref _read, read) > _limit)
        {
            throw new AnswerTooLargeException(_limit);
        }

        return read;
    }
}

/// <summary>A download that passed its limit (the choke point turns it into its AnswerTooLarge error).</summary>
internal sealed class AnswerTooLargeException : IOException
{
    public AnswerTooLargeException(long limit)
        : base("the answer passed " + limit + " bytes")
    {
    }
}
