using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace LarkPS.Pacing;

/// <summary>
/// One quota's recent calls as every process on this machine sees them (issue 24): a small file in the user's temp
/// folder, named by a SHA-256 of what shares the quota (the App ID and host, or a webhook's address, and the quota
/// class), holding a ring of the last calls' times and arrival estimates. A process claims a call's place only when the
/// union of everyone's calls leaves room in Lark's windows, so scripts on one machine draw no refusal from each other.
/// </summary>
/// <remarks>
/// <para>
/// Nothing secret is in it: the name is a hash, a record is two times, a sequence number and a 32-bit hash of the
/// receiver. A record that was never answered counts as arriving "now" for <see cref="PacingOptions.SharedUnansweredHold"/>
/// at most, so a process that crashed mid-request stops holding the windows within that hold plus a window's length;
/// answered records age out with the windows, as they do at Lark.
/// </para>
/// <para>
/// Locking: the file is opened with FileShare.None for each operation (on Windows a sharing lock; on Linux and macOS
/// .NET takes flock(LOCK_EX) for it) and the open is retried until <see cref="PacingOptions.SharedLockTimeout"/>; then the
/// call goes ahead on this process's own windows (counted in <see cref="Misses"/>). A file that cannot be written at all
/// (permissions, a read-only temp folder) turns sharing off for this quota. Works the same on .NET Framework (Windows
/// PowerShell 5.1) and .NET (PowerShell 7): nothing but FileStream.
/// </para>
/// <para>Thread-safe: every operation holds the file's exclusive open; an in-process lock keeps threads from spinning on it.</para>
/// </remarks>
internal sealed class SharedQuotaFile
{
    // Layout, little-endian: header "LPSQ", version, next sequence; then Capacity records of
    // sequence (0 = empty), recorded at, arrival estimate (0 = not answered yet), receiver hash (0 = none), spare.
    private const int Magic = 0x5153504C;
    private const int Version = 1;
    private const int HeaderSize = 16;
    private const int RecordSize = 32;

    private readonly object _inProcess = new();
    private readonly long _hold;
    private readonly long _lockTimeoutTicks;
    private readonly byte[] _buffer;
    private bool _disabled;
    private bool _folderMade;
    private int _misses;

    /// <summary>Opens (or creates, on first use) the file at <paramref name="path"/>.</summary>
    public SharedQuotaFile(string path, PacingOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        Path = path ?? throw new ArgumentNullException(nameof(path));
        Capacity = options.SharedRecords;
        _hold = options.SharedUnansweredHold.Ticks;
        _lockTimeoutTicks = (long)(options.SharedLockTimeout.TotalSeconds * Stopwatch.Frequency);
        _buffer = new byte[HeaderSize + (Capacity * RecordSize)];
    }

    /// <summary>The file; its name is a hash, never the App ID or the hook's address.</summary>
    public string Path { get; }

    /// <summary>How many calls the ring holds: the minute window counts at most this many.</summary>
    public int Capacity { get; }

    /// <summary>Calls that went ahead on this process's windows alone because the file stayed locked too long.</summary>
    public int Misses => Volatile.Read(ref _misses);

    /// <summary>True once the file proved unusable (it cannot be created or written): sharing is off for this quota.</summary>
    public bool Disabled => Volatile.Read(ref _disabled);

    /// <summary>The file for one sharer and quota class, in <paramref name="folder"/> (default: the user's temp folder's LarkPS-quota).</summary>
    public static SharedQuotaFile For(string sharer, QuotaClass quota, PacingOptions options, string? folder = null)
    {
        folder ??= SharedQuotaFolder.Default;
        SharedQuotaFolder.SweepOnce(folder);
        return new SharedQuotaFile(System.IO.Path.Combine(folder, "quota-" + Hash(sharer + "\n" + quota) + ".bin"), options);
    }

    /// <summary>A stable, one-way name for a sharer: the first 32 hex digits of its SHA-256.</summary>
    public static string Hash(string text)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(32);
        for (var i = 0; i < 16; i++)
        {
            hex.Append(digest[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <summary>A receiver's 32-bit FNV-1a hash, the same in every process (string.GetHashCode is not); never 0.</summary>
    public static int ReceiverHash(string? receiverKey)
    {
        if (receiverKey is null)
        {
            return 0;
        }

        unchecked
        {
            var hash = (int)2166136261;
            foreach (var ch in receiverKey)
            {
                hash = (hash ^ ch) * 16777619;
            }

            return hash == 0 ? 1 : hash;
        }
    }

    /// <summary>
    /// Claims a place for one call at <paramref name="now"/> if every window, counted over all processes' calls, has
    /// room; otherwise says how long until the app's windows (<paramref name="appWait"/>) or the receiver's
    /// (<paramref name="receiverWait"/>) free. Returns the claim's sequence, 0 when refused, -1 when it went ahead unrecorded.
    /// </summary>
    public long TryClaim(long now, string? receiverKey, SharedLimits limits, out long appWait, out long receiverWait)
    {
        appWait = 0;
        receiverWait = 0;
        if (Disabled)
        {
            return -1;
        }

        var receiver = ReceiverHash(receiverKey);
        lock (_inProcess)
        {
            using var file = OpenLocked();
            if (file is null)
            {
                return -1;
            }

            var next = Read(file);
            appWait = Math.Max(
                Wait(now, next, limits.AppPerSecond, TimeSpan.TicksPerSecond + limits.Margin, 0),
                Wait(now, next, limits.AppPerMinute, TimeSpan.TicksPerMinute + limits.Margin, 0));
            if (receiver != 0)
            {
                receiverWait = Wait(now, next, limits.ReceiverPerSecond, TimeSpan.TicksPerSecond + limits.Margin, receiver);
            }

            if (appWait > 0 || receiverWait > 0)
            {
                return 0;
            }

            var sequence = next;
            var at = Offset(sequence);
            WriteLong(at, sequence);
            WriteLong(at + 8, now);
            WriteLong(at + 16, 0);
            WriteInt(at + 24, receiver);
            WriteLong(8, next + 1);
            Write(file, 0, HeaderSize);
            Write(file, at, RecordSize);
            return sequence;
        }
    }

    /// <summary>
    /// How many calls of every process the windows hold at <paramref name="now"/> (each window <paramref name="margin"/>
    /// longer): the app's second and minute, and <paramref name="receiverKey"/>'s second (-1 without one); -1 each when unreadable.
    /// </summary>
    public (int Second, int Minute, int Receiver) Count(long now, long margin, string? receiverKey)
    {
        var receiver = ReceiverHash(receiverKey);
        lock (_inProcess)
        {
            using var file = Disabled ? null : OpenLocked();
            if (file is null)
            {
                return (-1, -1, -1);
            }

            var next = Read(file);
            return (
                CountSince(now, next, now - TimeSpan.TicksPerSecond - margin, 0),
                CountSince(now, next, now - TimeSpan.TicksPerMinute - margin, 0),
                receiver == 0 ? -1 : CountSince(now, next, now - TimeSpan.TicksPerSecond - margin, receiver));
        }
    }

    /// <summary>The call of <paramref name="sequence"/> was answered: from now on it counts at <paramref name="estimate"/> (clock ticks).</summary>
    public void Answered(long sequence, long estimate)
    {
        if (sequence <= 0 || Disabled)
        {
            return;
        }

        lock (_inProcess)
        {
            using var file = OpenLocked();
            if (file is null)
            {
                return;
            }

            var at = Offset(sequence);
            file.Position = at;
            if (ReadFully(file, _buffer, at, 8) < 8 || ReadLong(at) != sequence)
            {
                // Overwritten by a newer call (the ring went round): it no longer counts anyway.
                return;
            }

            WriteLong(at + 16, Math.Max(1, estimate));
            file.Position = at + 16;
            file.Write(_buffer, at + 16, 8);
        }
    }

    // Ticks until one more arrival at `now` keeps at most `limit` in any `length` (0 when it fits); receiver 0 counts every call.
    private long Wait(long now, long next, int limit, long length, int receiver)
    {
        if (limit <= 0)
        {
            return 0;
        }

        var since = now - length;
        var count = 0;
        var earliest = new long[limit + 1];
        var kept = 0;
        for (var sequence = Math.Max(1, next - Capacity); sequence < next; sequence++)
        {
            var at = Offset(sequence);
            if (ReadLong(at) != sequence || (receiver != 0 && ReadInt(at + 24) != receiver))
            {
                continue;
            }

            var arrival = Arrival(at, now);
            if (arrival <= since)
            {
                continue;
            }

            count++;

            // Keep the earliest limit+1 arrivals: the (count − limit)-th earliest decides when one more fits.
            if (kept < earliest.Length)
            {
                earliest[kept++] = arrival;
            }
            else
            {
                var latest = 0;
                for (var i = 1; i < kept; i++)
                {
                    latest = earliest[i] > earliest[latest] ? i : latest;
                }

                if (arrival < earliest[latest])
                {
                    earliest[latest] = arrival;
                }
            }
        }

        if (count < limit)
        {
            return 0;
        }

        Array.Sort(earliest, 0, kept);
        var k = Math.Min(count - limit, kept - 1);
        return Math.Max(1, earliest[k] + length - now);
    }

    private int CountSince(long now, long next, long since, int receiver)
    {
        var count = 0;
        for (var sequence = Math.Max(1, next - Capacity); sequence < next; sequence++)
        {
            var at = Offset(sequence);
            if (ReadLong(at) == sequence && (receiver == 0 || ReadInt(at + 24) == receiver) && Arrival(at, now) > since)
            {
                count++;
            }
        }

        return count;
    }

    // A record's arrival estimate: as answered, or (never answered) "now" for the hold at most.
    private long Arrival(int at, long now)
    {
        var estimate = ReadLong(at + 16);
        return estimate != 0 ? estimate : Math.Min(now, ReadLong(at + 8) + _hold);
    }

    private int Offset(long sequence) => HeaderSize + (int)(sequence % Capacity * RecordSize);

    // Reads the whole file into the buffer (a new or foreign file starts empty); returns the next sequence.
    private long Read(FileStream file)
    {
        file.Position = 0;
        var read = ReadFully(file, _buffer, 0, _buffer.Length);
        if (read < HeaderSize || ReadInt(0) != Magic || ReadInt(4) != Version || read < _buffer.Length)
        {
            Array.Clear(_buffer, 0, _buffer.Length);
            WriteInt(0, Magic);
            WriteInt(4, Version);
            WriteLong(8, 1);
            file.SetLength(_buffer.Length);
            Write(file, 0, _buffer.Length);
        }

        var next = ReadLong(8);
        return next < 1 ? 1 : next;
    }

    private FileStream? OpenLocked()
    {
        var started = Stopwatch.GetTimestamp();
        var tries = 0;
        while (true)
        {
            try
            {
                if (!_folderMade)
                {
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                    _folderMade = true;
                }

                return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
            {
                // Another process holds it (a sharing violation, or flock's EWOULDBLOCK): it holds it for microseconds.
                if (Stopwatch.GetTimestamp() - started > _lockTimeoutTicks)
                {
                    Interlocked.Increment(ref _misses);
                    return null;
                }

                if (++tries < 50)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or NotSupportedException or System.Security.SecurityException)
            {
                Volatile.Write(ref _disabled, true);
                return null;
            }
        }
    }

    private void Write(FileStream file, int offset, int count)
    {
        file.Position = offset;
        file.Write(_buffer, offset, count);
    }

    private static int ReadFully(FileStream file, byte[] buffer, int offset, int count)
    {
        var total = 0;
        while (total < count)
        {
            var read = file.Read(buffer, offset + total, count - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private long ReadLong(int at) => BitConverter.ToInt64(_buffer, at);

    private int ReadInt(int at) => BitConverter.ToInt32(_buffer, at);

    private void WriteLong(int at, long value) => Buffer.BlockCopy(BitConverter.GetBytes(value), 0, _buffer, at, 8);

    private void WriteInt(int at, int value) => Buffer.BlockCopy(BitConverter.GetBytes(value), 0, _buffer, at, 4);
}

/// <summary>The limits and margin one claim is checked against (the claiming limiter's: processes may set lower quotas than Lark's).</summary>
internal readonly struct SharedLimits
{
    public SharedLimits(int appPerSecond, int appPerMinute, int receiverPerSecond, long margin)
    {
        AppPerSecond = appPerSecond;
        AppPerMinute = appPerMinute;
        ReceiverPerSecond = receiverPerSecond;
        Margin = margin;
    }

    public int AppPerSecond { get; }

    public int AppPerMinute { get; }

    public int ReceiverPerSecond { get; }

    /// <summary>Ticks added to every window's length.</summary>
    public long Margin { get; }
}
