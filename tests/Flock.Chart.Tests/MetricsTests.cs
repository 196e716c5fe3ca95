namespace Flock.Chart.Tests;

public class MetricsTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void MetricsService_IsAClusterIpOnPort8080SelectingTheOperatorPods(string render)
    {
        var manifest = ChartRenders.ByName(render);
        var service = manifest.Single("Service");
        var podLabels = new OperatorDeployment(manifest).Object.StringMap("spec", "template", "metadata", "labels");

        Assert.Equal("ClusterIP", service.Text("spec", "type"));
        var port = Assert.Single(service.Items("spec", "ports"));
        Assert.Equal("metrics", port.Text("name"));
        Assert.Equal("8080", port.Text("port"));
        Assert.Equal("metrics", port.Text("targetPort"));
        var selector = service.StringMap("spec", "selector");
        Assert.NotEmpty(selector);
        Assert.All(selector, pair => Assert.Equal(pair.Value, podLabels.GetValueOrDefault(pair.Key)));
    }

    [Fact]
    public void ServiceMonitor_IsAbsentByDefault()
    {
        Assert.Empty(ChartRenders.Default.OfKind("ServiceMonitor"));
    }

    [Fact]
    public void ServiceMonitor_WhenEnabled_ScrapesTheMetricsServiceWithItsIntervalAndLabels()
    {
        var manifest = ChartRenders.Customized;
        var monitor = manifest.Single("ServiceMonitor");
        var serviceLabels = manifest.Single("Service").StringMap("metadata", "labels");

        Assert.Equal("monitoring.coreos.com/v1", monitor.Text("apiVersion"));
        Assert.Equal(HelmRunner.ReleaseNamespace, monitor.Text("metadata", "namespace"));
        Assert.Equal("kube-prometheus-stack", monitor.Text("metadata", "labels", "release"));
        var endpoint = Assert.Single(monitor.Items("spec", "endpoints"));
        Assert.Equal("metrics", endpoint.Text("port"));
        Assert.Equal("/metrics", endpoint.Text("path"));
        Assert.Equal("15s", endpoint.Text("interval"));
        Assert.Equal("10s", endpoint.Text("scrapeTimeout"));
        // The operator's series carry the worker's namespace label; it must not become exported_namespace.
        Assert.Equal("true", endpoint.Text("honorLabels"));
        var selector = monitor.StringMap("spec", "selector", "matchLabels");
        Assert.NotEmpty(selector);
        Assert.All(selector, pair => Assert.Equal(pair.Value, serviceLabels.GetValueOrDefault(pair.Key)));
    }
}
