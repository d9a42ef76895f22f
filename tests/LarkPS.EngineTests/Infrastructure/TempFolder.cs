namespace LarkPS.EngineTests.Infrastructure;

/// <summary>A folder of its own under the temp directory for a test class's local files, deleted with it.</summary>
internal sealed class TempFolder : IDisposable
{
    /// <summary>A 1×1 PNG: the smallest file Lark (and the sandbox) take as an image.</summary>
    public static readonly byte[] PixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public TempFolder(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
