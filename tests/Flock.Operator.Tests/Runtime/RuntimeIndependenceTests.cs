using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Tests.Integration;

namespace Flock.Operator.Tests.Runtime;

/// <summary>
/// The controller runtime knows nothing of FLock: its assembly references no FLock assembly, its project file no
/// FLock project, and every type it declares lives under Flock.Operator.Runtime. The same checks run on the operator
/// assembly, which does depend on FLock code, to show they find a dependency when there is one.
/// </summary>
public sealed class RuntimeIndependenceTests
{
    private const string RuntimeName = "Flock.Operator.Runtime";
    private static readonly Assembly RuntimeAssembly = typeof(ObjectKey).Assembly;

    private static string ProjectFile => Path.Combine(Paths.Root, "src", "Operator", RuntimeName, RuntimeName + ".csproj");

    [Fact]
    public void The_runtime_assembly_references_no_flock_assembly()
    {
        Assert.Equal(RuntimeName, RuntimeAssembly.GetName().Name);

        Assert.Empty(FlockReferences(RuntimeAssembly));
    }

    [Fact]
    public void The_runtime_project_references_no_other_project()
    {
        // An unused reference leaves no trace in the assembly's metadata; the project file shows it.
        var references = XDocument.Load(ProjectFile).Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).ToList();

        Assert.Empty(references);
    }

    [Fact]
    public void Every_runtime_type_lives_in_the_runtime_namespace()
    {
        Assert.Empty(TypesOutside(RuntimeAssembly, RuntimeName));
    }

    [Fact]
    public void The_checks_find_the_flock_dependencies_of_the_operator()
    {
        var operatorAssembly = typeof(OperatorApplication).Assembly;

        Assert.Contains("Flock.Crds", FlockReferences(operatorAssembly));
        Assert.Contains(RuntimeName, FlockReferences(operatorAssembly));
        Assert.Contains(typeof(OperatorApplication), TypesOutside(operatorAssembly, RuntimeName));
    }

    /// <summary>The FLock assemblies <paramref name="assembly"/> references, other than itself.</summary>
    private static List<string> FlockReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(n => n.StartsWith("Flock", StringComparison.OrdinalIgnoreCase) && n != assembly.GetName().Name)
            .ToList();

    /// <summary>
    /// Declared types whose namespace is not <paramref name="ns"/> or below it. Types the compiler makes for itself
    /// (nullable attributes, private implementation details, collection-expression lists) are not ours: left out.
    /// </summary>
    private static List<Type> TypesOutside(Assembly assembly, string ns) =>
        assembly.GetTypes()
            .Where(t => !CompilerMade(t))
            .Where(t => t.Namespace != ns && t.Namespace?.StartsWith(ns + ".", StringComparison.Ordinal) != true)
            .ToList();

    // Names in angle brackets cannot be written in C#, so only the compiler gives them.
    private static bool CompilerMade(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || type.Name.StartsWith('<')
        || (type.DeclaringType is { } outer && CompilerMade(outer));
}
