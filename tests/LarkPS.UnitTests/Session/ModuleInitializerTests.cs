using LarkPS;
using Xunit;

namespace LarkPS.UnitTests.Session;

public class ModuleInitializerTests
{
    [Fact]
    public void Resolves_a_dependency_by_simple_name_whatever_version_is_asked_for()
    {
        var folder = Directory.CreateTempSubdirectory("larkps-init-").FullName;
        File.WriteAllText(Path.Combine(folder, "System.Memory.dll"), string.Empty);

        Assert.Equal(Path.Combine(folder, "System.Memory.dll"), ModuleInitializer.FindDependency(folder, "System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"));
        Assert.Null(ModuleInitializer.FindDependency(folder, "System.Buffers, Version=4.0.3.0"));
        Assert.Null(ModuleInitializer.FindDependency(folder, "LarkPS, Version=0.1.0.0"));
    }

    [Fact]
    public void The_resolver_is_only_needed_on_NET_Framework()
    {
        Assert.False(ModuleInitializer.IsNetFramework);
    }
}
