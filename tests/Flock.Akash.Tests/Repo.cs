namespace Flock.Akash.Tests;

/// <summary>Paths in the repository and the test fixtures.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string NodeModules => Path.Combine(Root, ".tools", "npm", "node_modules");

    public static string ReferenceScripts => Path.Combine(Root, "tools", "akash-reference");

    public static string SeedTemplates => Path.Combine(Root, "tests", "Fixtures", "seed-templates");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Operator.sln not found above the test binaries.");
    }
}
