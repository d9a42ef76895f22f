using System.Collections.Concurrent;

namespace LarkPS.Sandbox.State;

/// <summary>
/// Keys handed out by the upload endpoints and what was uploaded under them, so a send can refuse a
/// key of the wrong kind (230055). Keys the sandbox never issued are unknown, not wrong: they may come
/// from a real upload elsewhere.
/// </summary>
internal sealed class UploadStore
{
    /// <summary>The pseudo file type recorded for image uploads.</summary>
    public const string ImageType = "image";

    private readonly ConcurrentDictionary<string, string> keys = new(StringComparer.Ordinal);

    public void Remember(string key, string fileType) => keys[key] = fileType;

    public string? TypeOf(string key) => keys.TryGetValue(key, out var type) ? type : null;
}
