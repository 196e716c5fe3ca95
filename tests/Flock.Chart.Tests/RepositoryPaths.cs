namespace Flock.Chart.Tests;

/// <summary>Paths inside the repository the tests read, rooted at Flock.Testing.RepositoryRoot.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static string Chart => Path.Combine(Root, "deploy", "helm", "flock-operator");
    public static string ChartCrds => Path.Combine(Chart, "crds");
    public static string CrdBases => Path.Combine(Root, "config", "crd", "bases");
    public static string RbacConfig => Path.Combine(Root, "config", "rbac");
    public static string ToolsBin => Path.Combine(Root, ".tools", "bin");
    public static string TestValues => Path.Combine(Root, "tests", "Flock.Chart.Tests", "values");
    public static string InstallYaml => Path.Combine(Root, "deploy", "install.yaml");
    public static string GenerateInstallScript => Path.Combine(Root, "tools", "generate-install.sh");
}
