namespace Flock.Install.Tests.Support;

/// <summary>Paths inside the repository, rooted at Flock.Testing.RepositoryRoot.</summary>
internal static class Repo
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static string Chart => Path.Combine(Root, "deploy", "helm", "flock-operator");

    public static string Samples => Path.Combine(Root, "config", "samples");

    /// <summary>The one-file install generated from the chart (tools/generate-install.sh).</summary>
    public static string InstallYaml => Path.Combine(Root, "deploy", "install.yaml");

    public static string Tool(string name)
    {
        var path = Path.Combine(Root, ".tools", "bin", name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{name} not found at {path}: run `make tools`");
    }

    /// <summary>The operator binary the build put next to its project, in this test run's configuration.</summary>
    public static string OperatorDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Debug"
                : "Release";
            var dll = Path.Combine(Root, "src", "Operator", "Flock.Operator", "bin", configuration, "net10.0", "flock-operator.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} not built: build tests/Flock.Install.Tests first");
        }
    }
}
