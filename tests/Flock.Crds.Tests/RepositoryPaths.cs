namespace Flock.Crds.Tests;

/// <summary>Paths inside the repository the tests read, found from the test binary's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string CrdBases => Path.Combine(Root, "config", "crd", "bases");
    public static string ChartCrds => Path.Combine(Root, "deploy", "helm", "flock-operator", "crds");
    public static string Samples => Path.Combine(Root, "config", "samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Operator.sln not found above " + AppContext.BaseDirectory);
    }
}
