namespace Flock.Chart.Tests;

public class LabelTests
{
    private static readonly string[] StandardLabels =
    [
        "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
        "app.kubernetes.io/managed-by", "app.kubernetes.io/component", "helm.sh/chart",
    ];

    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void EveryObject_CarriesTheStandardLabels(string render)
    {
        var manifest = ChartRenders.ByName(render);

        Assert.NotEmpty(manifest.Objects);
        Assert.All(manifest.Objects, o =>
        {
            var labels = o.StringMap("metadata", "labels");
            Assert.All(StandardLabels, key => Assert.False(string.IsNullOrEmpty(labels.GetValueOrDefault(key)), $"{o.Text("kind")} {o.Text("metadata", "name")} lacks {key}"));
            Assert.Equal("flock-operator", labels["app.kubernetes.io/name"]);
            Assert.Equal(HelmRunner.ReleaseName, labels["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", labels["app.kubernetes.io/managed-by"]);
        });
    }

    [Fact]
    public void NamespacedObjects_GoToTheReleaseNamespaceOrAWatchedOne()
    {
        var manifest = ChartRenders.Customized;
        var allowed = new[] { HelmRunner.ReleaseNamespace, "team-a", "team-b" };
        var namespaced = manifest.Objects.Where(o => !o.Text("kind")!.StartsWith("Cluster", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(namespaced);
        Assert.All(namespaced, o => Assert.Contains(o.Text("metadata", "namespace"), allowed));
        Assert.All(manifest.OfKind("ClusterRole").Concat(manifest.OfKind("ClusterRoleBinding")), o => Assert.Null(o.At("metadata", "namespace")));
    }
}
