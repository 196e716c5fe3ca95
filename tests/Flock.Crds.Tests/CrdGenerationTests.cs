using Flock.Crds.Schema;

namespace Flock.Crds.Tests;

/// <summary>The committed CRDs are exactly what the generator makes from the C# types today.</summary>
public sealed class CrdGenerationTests
{
    public static TheoryData<string> Directories() => new() { RepositoryPaths.CrdBases, RepositoryPaths.ChartCrds };

    [Theory]
    [MemberData(nameof(Directories))]
    public void Committed_crds_match_a_fresh_generation(string directory)
    {
        var fresh = CrdYaml.RenderAll();
        var committed = Directory.GetFiles(directory, "*.yaml").ToDictionary(p => Path.GetFileName(p), File.ReadAllText);

        Assert.Equal(fresh.Keys.Order(), committed.Keys.Order());
        foreach (var (name, yaml) in fresh)
        {
            Assert.True(yaml == committed[name], $"{Path.Combine(directory, name)} is out of date: run `make crds`");
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = CrdYaml.RenderAll();
        var second = CrdYaml.RenderAll();

        Assert.Equal(first, second);
    }

    [Fact]
    public void One_crd_per_kind_named_plural_dot_group()
    {
        var names = CommittedCrds.All.Values.Select(c => c.Metadata.Name).Order();

        Assert.Equal(["flocktrainingnodes.flock.io", "flockvalidators.flock.io"], names);
    }
}
