using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LarkPS.Journal;

/// <summary>
/// A journal's file, as Send-LarkMessage's and Send-LarkBroadcast's journals keep it: a header line (its format,
/// version and a random salt), then one JSON line per event, appended and flushed as it happens, so a run killed at any
/// point leaves every line it wrote. Keys are salted SHA-256 hashes: the salt stays in the file, so only a rerun with
/// the same file can match them, and nothing in the file gives away a receiver or a content.
/// </summary>
/// <remarks>Not thread-safe: the journal that owns it calls it under its own lock, or from one thread.</remarks>
internal sealed class JournalFile : IDisposable
{
    private readonly string _format;
    private readonly int _version;
    private readonly byte[] _salt;
    private FileStream? _stream;
    private bool _needsNewline;
    private bool _needsHeader;

    private JournalFile(string path, string format, int version, byte[] salt, bool needsHeader, bool needsNewline)
    {
        Path = path;
        _format = format;
        _version = version;
        _salt = salt;
        _needsHeader = needsHeader;
        _needsNewline = needsNewline;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>
    /// Reads the journal at <paramref name="path"/> (its event lines in <paramref name="lines"/>, the last one possibly
    /// unfinished), or starts an empty one, created on the first write.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The header's format, e.g. "LarkPS delivery journal".</param>
    /// <param name="version">The header's version.</param>
    /// <param name="lines">The lines after the header; empty for a new journal.</param>
    /// <exception cref="InvalidDataException">The file exists and its first line is not this journal's header.</exception>
    public static JournalFile Open(string path, string format, int version, out IReadOnlyList<string> lines)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            var fresh = new byte[16];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(fresh);
            }

            lines = Array.Empty<string>();
            return new JournalFile(path, format, version, fresh, needsHeader: true, needsNewline: false);
        }

        var bytes = File.ReadAllBytes(path);
        var all = Encoding.UTF8.GetString(bytes).Split('\n');
        byte[]? salt = null;
        try
        {
            using var header = JsonDocument.Parse(all[0]);
            var root = header.RootElement;
            if (root.GetProperty("format").GetString() == format && root.GetProperty("version").GetInt32() == version)
            {
                salt = Convert.FromBase64String(root.GetProperty("salt").GetString() ?? string.Empty);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            salt = null;
        }

        if (salt is null)
        {
            var what = format.StartsWith("LarkPS ", StringComparison.Ordinal) ? format.Substring("LarkPS ".Length) : format;
            throw new InvalidDataException($"'{path}' is not a LarkPS {what} (its first line is not the journal header); LarkPS does not overwrite it.");
        }

        var events = new string[all.Length - 1];
        Array.Copy(all, 1, events, 0, events.Length);
        lines = events;

        // A run killed in the middle of a line leaves it unfinished: the next line must start on its own.
        return new JournalFile(path, format, version, salt, needsHeader: false, needsNewline: bytes[bytes.Length - 1] != (byte)'\n');
    }

    /// <summary>The first 16 bytes, in hex, of the SHA-256 of the salt followed by <paramref name="head"/> and <paramref name="tail"/>.</summary>
    public string SaltedHash(byte[] head, byte[]? tail = null)
    {
        tail ??= Array.Empty<byte>();
        var salted = new byte[_salt.Length + head.Length + tail.Length];
        Buffer.BlockCopy(_salt, 0, salted, 0, _salt.Length);
        Buffer.BlockCopy(head, 0, salted, _salt.Length, head.Length);
        Buffer.BlockCopy(tail, 0, salted, _salt.Length + head.Length, tail.Length);
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(salted);
        var hex = new StringBuilder(32);
        for (var i = 0; i < 16; i++)
        {
            hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <summary>Appends one event line (the header first, for a new file); it reaches the operating system before this returns.</summary>
    public void Append(Action<Utf8JsonWriter> fields)
    {
        _stream ??= new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var line = new MemoryStream();
        if (_needsNewline)
        {
            line.WriteByte((byte)'\n');
            _needsNewline = false;
        }

        if (_needsHeader)
        {
            WriteLine(line, w =>
            {
                w.WriteString("format", _format);
                w.WriteNumber("version", _version);
                w.WriteString("salt", Convert.ToBase64String(_salt));
            });
            _needsHeader = false;
        }

        WriteLine(line, fields);
        line.Position = 0;
        line.CopyTo(_stream);
        _stream.Flush();
    }

    /// <summary>Every line already reached the operating system as it was written; at the end it also goes to the disk.</summary>
    public void Dispose()
    {
        if (_stream is not null)
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            _stream = null;
        }
    }

    private static void WriteLine(MemoryStream into, Action<Utf8JsonWriter> fields)
    {
        using (var writer = new Utf8JsonWriter(into))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        into.WriteByte((byte)'\n');
    }
}
