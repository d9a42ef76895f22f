using System.Collections.Generic;

namespace LarkPS.Uploads;

/// <summary>The local files one item sends: each placeholder key its content carries until the upload gives the real one.</summary>
internal sealed class ItemUploads
{
    public ItemUploads(IReadOnlyList<KeyValuePair<string, LocalAttachment>> files) => Files = files;

    /// <summary>Placeholder → file, in the order they appear.</summary>
    public IReadOnlyList<KeyValuePair<string, LocalAttachment>> Files { get; }

    /// <summary>The content with every placeholder replaced by its key (placeholders are whole JSON strings).</summary>
    public static string Fill(string content, IReadOnlyDictionary<string, string> keys)
    {
        foreach (var pair in keys)
        {
            content = content.Replace("\"" + pair.Key + "\"", "\"" + pair.Value + "\"");
        }

        return content;
    }
}
