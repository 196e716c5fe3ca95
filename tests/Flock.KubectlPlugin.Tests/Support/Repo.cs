namespace Flock.KubectlPlugin.Tests.Support;

/// <summary>Paths inside the repository, rooted at Flock.Testing.RepositoryRoot.</summary>
internal static class Repo
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static string CrdBases => Path.Combine(Root, "config", "crd", "bases");

    public static string Samples => Path.Combine(Root, "config", "samples");

    public static string ToolsBin => Path.Combine(Root, ".tools", "bin");

    public static string NodeModules => Path.Combine(Root, ".tools", "npm", "node_modules");

    public static string AkashReferenceScripts => Path.Combine(Root, "tools", "akash-reference");

    /// <summary>deploy/krew: the krew manifest and the release scripts that fill in its sha256.</summary>
    public static string Krew => Path.Combine(Root, "deploy", "krew");

    public static string PluginProject => Path.Combine(Root, "src", "Operator", "Flock.KubectlPlugin", "Flock.KubectlPlugin.csproj");

    public static string ChartYaml => Path.Combine(Root, "deploy", "helm", "flock-operator", "Chart.yaml");

    /// <summary>The plugin's build output: the kubectl-flock apphost kubectl finds on PATH.</summary>
    public static string PluginDir
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Debug"
                : "Release";
            var dir = Path.Combine(Root, "src", "Operator", "Flock.KubectlPlugin", "bin", configuration, "net10.0");
            return File.Exists(Path.Combine(dir, "kubectl-flock")) ? dir : throw new InvalidOperationException($"kubectl-flock not built in {dir}");
        }
    }

    public static string Tool(string name)
    {
        var path = Path.Combine(ToolsBin, name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{name} not found at {path}: run `make tools`");
    }
}
