namespace Flock.Akash.Tests;

/// <summary>Paths in the repository and the test fixtures.</summary>
internal static class Repo
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static string NodeModules => Path.Combine(Root, ".tools", "npm", "node_modules");

    public static string ReferenceScripts => Path.Combine(Root, "tools", "akash-reference");

    public static string SeedTemplates => Path.Combine(Root, "tests", "Fixtures", "seed-templates");
}
