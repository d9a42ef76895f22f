namespace LarkPS.EngineTests.Infrastructure;

/// <summary>Where the repository and the built module are, found from the test binaries upward.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The module exactly as users import it.</summary>
    public static string ModuleManifest => Path.Combine(Root, "out", "LarkPS", "LarkPS.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LarkPS.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find LarkPS.sln above " + AppContext.BaseDirectory);
    }
}
