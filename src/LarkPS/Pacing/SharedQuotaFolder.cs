using System;
using System.Collections.Generic;
using System.IO;

namespace LarkPS.Pacing;

/// <summary>
/// The folder of the machine's shared quota files (issue 24). Each app and host (or hook) and quota class has its file;
/// one a process opens today may never be opened again (a sandbox on a new port, an app retired), so the first process
/// to use a folder deletes the files no one has written to for <see cref="StaleAfter"/>: no window counts a call that old.
/// </summary>
internal static class SharedQuotaFolder
{
    /// <summary>How long a file may go unwritten before it is deleted: far beyond the minute window and its margins.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private static readonly HashSet<string> Swept = new(StringComparer.Ordinal);

    /// <summary>The default folder: the user's temp folder's LarkPS-quota.</summary>
    public static string Default => Path.Combine(Path.GetTempPath(), "LarkPS-quota");

    /// <summary>Deletes the stale files of <paramref name="folder"/>, once per process and folder.</summary>
    public static void SweepOnce(string folder)
    {
        lock (Swept)
        {
            if (!Swept.Add(folder))
            {
                return;
            }
        }

        Sweep(folder, DateTime.UtcNow - StaleAfter);
    }

    /// <summary>
    /// Deletes the quota files of <paramref name="folder"/> last written before <paramref name="writtenBeforeUtc"/>, and
    /// returns how many. A file another process holds or deletes at the same moment is left to it; a folder that cannot
    /// be read is left alone (sharing itself reports a folder it cannot use).
    /// </summary>
    public static int Sweep(string folder, DateTime writtenBeforeUtc)
    {
        var deleted = 0;
        try
        {
            if (!Directory.Exists(folder))
            {
                return 0;
            }

            foreach (var file in Directory.GetFiles(folder, "quota-*.bin"))
            {
                try
                {
                    if (File.GetLastWriteTimeUtc(file) < writtenBeforeUtc)
                    {
                        File.Delete(file);
                        deleted++;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Held or gone: another process is using or sweeping it.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return deleted;
        }

        return deleted;
    }
}
