namespace Flock.Chart.Tests;

public class LintTests
{
    [Fact]
    public void Lint_PassesWithDefaultValues()
    {
        var result = HelmRunner.Instance.Lint();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("0 chart(s) failed", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_PassesStrictWithDefaultValues()
    {
        var result = HelmRunner.Instance.Lint("--strict");

        Assert.True(result.Succeeded, result.ToString());
        Assert.DoesNotContain("[WARNING]", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_PassesStrictWithCustomizedValues()
    {
        var result = HelmRunner.Instance.Lint("--strict", "--values", ChartRenders.CustomizedValuesFile);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("0 chart(s) failed", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_DeclaresItsIdentityAndKubernetesRange()
    {
        var chart = RenderedManifest.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "Chart.yaml"))).Objects[0];

        Assert.Equal("v2", chart.Text("apiVersion"));
        Assert.Equal("flock-operator", chart.Text("name"));
        Assert.Equal("0.1.0", chart.Text("version"));
        Assert.Equal("0.1.0", chart.Text("appVersion"));
        Assert.Equal(">=1.29.0-0", chart.Text("kubeVersion"));
        Assert.False(string.IsNullOrWhiteSpace(chart.Text("description")));
    }

    [Fact]
    public void Install_IsRefusedOnAKubernetesOlderThan129()
    {
        var result = HelmRunner.Instance.Template("--kube-version", "1.28.0");

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("kubeVersion", result.StdErr, StringComparison.Ordinal);
    }
}
