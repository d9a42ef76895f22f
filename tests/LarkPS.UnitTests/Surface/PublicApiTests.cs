using System.Reflection;
using System.Text;
using LarkPS.Commands;
using Xunit;
using LarkPS.Api;

namespace LarkPS.UnitTests.Surface;

/// <summary>
/// The module's public surface, kept in PublicApi.txt so that every addition or removal is a visible change in
/// review. Public is only what PowerShell and users need: cmdlets, their output types, completers, the region type
/// and the exceptions a user may catch. To accept a deliberate change, copy the "actual" listing into the file.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_surface_is_the_checked_in_list()
    {
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Surface", "PublicApi.txt")).Replace("\r\n", "\n").Trim();
        var actual = Describe(typeof(SendLarkMessageCommand).Assembly).Trim();

        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            var path = Path.Combine(Path.GetTempPath(), "LarkPS.PublicApi.actual.txt");
            File.WriteAllText(path, actual + "\n");
            Assert.Fail($"The public surface changed. If that is intended, copy {path} over tests/LarkPS.UnitTests/Surface/PublicApi.txt.\n"
                + "Added: " + string.Join(" | ", actual.Split('\n').Except(expected.Split('\n'))) + "\n"
                + "Removed: " + string.Join(" | ", expected.Split('\n').Except(actual.Split('\n'))));
        }
    }

    [Fact]
    public void Nothing_internal_to_delivery_or_the_wire_is_public()
    {
        var exported = typeof(SendLarkMessageCommand).Assembly.GetExportedTypes().Select(t => t.Name).ToHashSet();

        foreach (var name in new[] { "LarkApiClient", "TokenCache", "TenantToken", "ConnectionStore", "DeliveryEngine`2", "RateLimiter", "RetryPolicy", "MessageValidator", "OutgoingMessage", "LarkCodeTable", "ErrorIds" })
        {
            Assert.DoesNotContain(name, exported);
        }
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(Kind(type) + " " + type.FullName + (type.BaseType is { } b && b != typeof(object) && b != typeof(Enum) ? " : " + b.Name : string.Empty));
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = type.GetMembers(flags)
                .Where(IsVisible)
                .Select(m => "  " + Member(m))
                .Distinct()
                .OrderBy(m => m, StringComparer.Ordinal);
            lines.AddRange(members);
        }

        return string.Join("\n", lines);
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) && (m is ConstructorInfo || !m.IsSpecialName),
        PropertyInfo p => p.GetAccessors(true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        FieldInfo f => (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly) && !f.IsSpecialName,
        EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily),
        _ => false,
    };

    private static string Member(MemberInfo member) => member switch
    {
        ConstructorInfo c => "ctor(" + Parameters(c) + ")",
        MethodInfo m => (m.IsStatic ? "static " : string.Empty) + (m.IsFamily ? "protected " : string.Empty) + Name(m.ReturnType) + " " + m.Name + "(" + Parameters(m) + ")",
        PropertyInfo p => Name(p.PropertyType) + " " + p.Name + " {" + (p.GetMethod is { } g && (g.IsPublic || g.IsFamily) ? " get;" : string.Empty)
            + (p.SetMethod is { } s && (s.IsPublic || s.IsFamily) ? " set;" : string.Empty) + " }",
        FieldInfo f => (f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty) + Name(f.FieldType) + " " + f.Name,
        _ => member.Name,
    };

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType)));

    private static string Name(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var builder = new StringBuilder(type.Name.Substring(0, type.Name.IndexOf('`', StringComparison.Ordinal))).Append('<');
        builder.Append(string.Join(",", type.GetGenericArguments().Select(Name)));
        return builder.Append('>').ToString();
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
}
