namespace Flock.Testing;

/// <summary>
/// The repository's root, found once by walking up from the test binary to Operator.sln, and the folders the test
/// projects read. Nothing outside the repository is read: a fresh clone carries every fixture its tests need.
/// </summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The generated CRDs (config/crd/bases).</summary>
    public static string CrdBases => Combine("config", "crd", "bases");

    /// <summary>The sample resources with their Secrets (config/samples).</summary>
    public static string Samples => Combine("config", "samples");

    /// <summary>The Akash Console SDLs the operator's renderer replaces (tests/Fixtures/seed-templates).</summary>
    public static string SeedTemplates => Combine("tests", "Fixtures", "seed-templates");

    /// <summary>The pinned outside tools `make tools` installs (.tools/bin: helm, kubectl).</summary>
    public static string ToolsBin => Combine(".tools", "bin");

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Operator.sln not found above " + AppContext.BaseDirectory);
    }
}
