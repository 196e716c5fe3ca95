namespace Flock.Reliability.Tests.Support;

/// <summary>Paths inside the repository, found from the test binary's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static string CrdBases => Path.Combine(Root, "config", "crd", "bases");

    public static string Samples => Path.Combine(Root, "config", "samples");

    /// <summary>The Akash Console SDLs the operator's renderer replaces (copied into tests/Fixtures: a clone carries its own fixtures).</summary>
    public static string SeedTemplates => Path.Combine(Root, "tests", "Fixtures", "seed-templates");
}
