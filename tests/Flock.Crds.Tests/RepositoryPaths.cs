namespace Flock.Crds.Tests;

/// <summary>Paths inside the repository the tests read, found from the test binary's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static string CrdBases => Path.Combine(Root, "config", "crd", "bases");
    public static string ChartCrds => Path.Combine(Root, "deploy", "helm", "flock-operator", "crds");
    public static string Samples => Path.Combine(Root, "config", "samples");
}
