namespace LarkPS.Pacing;

/// <summary>
/// That a connection shares its pacing with the other processes on this machine that use the same app and host (or the
/// same hook), and where their files live (issue 24). Connect-Lark turns it on unless -NoQuotaSharing.
/// </summary>
internal sealed class QuotaSharing
{
    /// <param name="folder">The folder of the shared files; null for the user's temp folder's LarkPS-quota.</param>
    public QuotaSharing(string? folder = null) => Folder = folder;

    /// <summary>The folder of the shared files; null for the default.</summary>
    public string? Folder { get; }
}
