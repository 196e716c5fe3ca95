namespace Flock.Chart.Tests;

public class CrdSyncTests
{
    [Fact]
    public void ChartCrds_AreByteIdenticalToConfigCrdBases()
    {
        var chartFiles = Directory.GetFiles(RepositoryPaths.ChartCrds).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var baseFiles = Directory.GetFiles(RepositoryPaths.CrdBases).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(new[] { "flock.io_flocktrainingnodes.yaml", "flock.io_flockvalidators.yaml" }, baseFiles);
        Assert.Equal(baseFiles, chartFiles);
        Assert.All(baseFiles, name =>
        {
            var expected = File.ReadAllBytes(Path.Combine(RepositoryPaths.CrdBases, name!));
            var actual = File.ReadAllBytes(Path.Combine(RepositoryPaths.ChartCrds, name!));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} in the chart differs from config/crd/bases: run `make crds`");
        });
    }

    [Fact]
    public void ChartCrds_AreTheFlockKindsHelmInstalls()
    {
        var show = HelmRunner.Instance.Show("crds");
        Assert.True(show.Succeeded, show.ToString());

        var crds = RenderedManifest.Parse(show.StdOut).OfKind("CustomResourceDefinition");
        Assert.Equal(
            new[] { "flocktrainingnodes.flock.io", "flockvalidators.flock.io" },
            crds.Select(c => c.Text("metadata", "name")).Order(StringComparer.Ordinal));
    }
}
