using System.Collections.Concurrent;

namespace LarkPS.Sandbox.State;

/// <summary>What one upload left behind: its kind, the name and size given, and (images only) the bytes to show.</summary>
internal sealed record UploadRecord(string Key, string FileType, string? FileName, long Size, string? ContentType, byte[]? Bytes);

/// <summary>
/// Keys handed out by the upload endpoints and what was uploaded under them, so a send can refuse a
/// key of the wrong kind (230055) and the inbox page can show the image or the file's name. Keys the
/// sandbox never issued are unknown, not wrong: they may come from a real upload elsewhere. Image
/// bytes are kept for the inbox page up to <see cref="MaxKeptBytes"/> in all; older images then lose
/// their bytes (never their record).
/// </summary>
internal sealed class UploadStore : IDisposable
{
    /// <summary>The pseudo file type recorded for image uploads.</summary>
    public const string ImageType = "image";

    public const long MaxKeptBytes = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, UploadRecord> keys = new(StringComparer.Ordinal);
    private readonly Queue<string> withBytes = new();
    private readonly object gate = new();
    private long keptBytes;

    public void Remember(string key, string fileType) => keys[key] = new UploadRecord(key, fileType, null, 0, null, null);

    public void Remember(UploadRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        keys[record.Key] = record;
        if (record.Bytes is not { } bytes)
        {
            return;
        }

        lock (gate)
        {
            withBytes.Enqueue(record.Key);
            keptBytes += bytes.Length;
            while (keptBytes > MaxKeptBytes && withBytes.Count > 1)
            {
                var oldest = withBytes.Dequeue();
                if (keys.TryGetValue(oldest, out var old) && old.Bytes is { } oldBytes)
                {
                    keys[oldest] = old with { Bytes = null };
                    keptBytes -= oldBytes.Length;
                }
            }
        }
    }

    public string? TypeOf(string key) => keys.TryGetValue(key, out var record) ? record.FileType : null;

    public UploadRecord? Find(string key) => keys.TryGetValue(key, out var record) ? record : null;

    /// <summary>How many uploads succeeded since the sandbox started.</summary>
    public int Count => keys.Count;

    // Issue 25: every upload's whole bytes, on disk (never in memory), for GET im/v1/messages/{id}/resources/{key}.
    private readonly Lazy<string> blobs = new(() => Directory.CreateTempSubdirectory("larkps-sandbox-uploads-").FullName);

    /// <summary>A new file to write an upload's bytes into while it is read; kept by <see cref="KeepBlob"/> once accepted.</summary>
    public string NewBlobPath() => Path.Combine(blobs.Value, Guid.NewGuid().ToString("N") + ".part");

    /// <summary>Keeps the bytes written to <paramref name="partPath"/> as the upload <paramref name="key"/>'s.</summary>
    public void KeepBlob(string key, string partPath) => File.Move(partPath, Path.Combine(blobs.Value, key), overwrite: true);

    /// <summary>The file holding the upload's bytes; null for a key this sandbox did not issue.</summary>
    public string? BlobOf(string key)
    {
        if (!blobs.IsValueCreated || key.IndexOfAny(['/', '\\', '.']) >= 0)
        {
            return null;
        }

        var path = Path.Combine(blobs.Value, key);
        return File.Exists(path) ? path : null;
    }

    public void Dispose()
    {
        if (blobs.IsValueCreated)
        {
            try
            {
                Directory.Delete(blobs.Value, recursive: true);
            }
            catch (IOException)
            {
                // A download still reading a file: the temp folder is left for the OS to clean.
            }
        }
    }
}
