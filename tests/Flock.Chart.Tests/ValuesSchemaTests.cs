namespace Flock.Chart.Tests;

public class ValuesSchemaTests
{
    private const string SchemaFailure = "values don't meet the specifications of the schema";

    [Theory]
    [InlineData("replicas=two", "replicas")]
    [InlineData("replicas=-1", "replicas")]
    [InlineData("replica=2", "replica")]
    [InlineData("image.pullPolicy=Sometimes", "image.pullPolicy")]
    [InlineData("image.registry=docker.io", "registry")]
    [InlineData("logLevel=Verbose", "logLevel")]
    [InlineData("watchNamespaces[0]=Team_A", "watchNamespaces")]
    [InlineData("leaderElection.enabled=maybe", "leaderElection.enabled")]
    [InlineData("staking.chainId=0", "staking.chainId")]
    [InlineData("staking.taskManager=0x1234", "staking.taskManager")]
    [InlineData("flock.apiBaseUrl=ftp://example.org", "flock.apiBaseUrl")]
    [InlineData("metrics.port=70000", "metrics.port")]
    [InlineData("metrics.serviceMonitor.interval=often", "metrics.serviceMonitor.interval")]
    [InlineData("resources.limits.gpu=1", "gpu")]
    public void Template_RejectsABadValueNamingTheField(string assignment, string field)
    {
        var result = HelmRunner.Instance.Template("--set", assignment);

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains(SchemaFailure, result.StdErr, StringComparison.Ordinal);
        Assert.Contains(field, result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_RejectsAnUnknownTopLevelKeyFromAValuesFile()
    {
        var valuesFile = Path.Combine(Path.GetTempPath(), $"flock-chart-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(valuesFile, "watchNamespace:\n  - team-a\n");
        try
        {
            var result = HelmRunner.Instance.Template("--values", valuesFile);

            Assert.False(result.Succeeded, result.ToString());
            Assert.Contains("Additional property watchNamespace is not allowed", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(valuesFile);
        }
    }

    [Fact]
    public void Lint_FailsOnABadValue()
    {
        var result = HelmRunner.Instance.Lint("--strict", "--set", "replicas=two");

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("replicas", result.StdOut + result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_AcceptsEveryDefaultAndTheCustomizedValues()
    {
        Assert.True(HelmRunner.Instance.Template().Succeeded);
        var customized = HelmRunner.Instance.Template("--values", ChartRenders.CustomizedValuesFile);
        Assert.True(customized.Succeeded, customized.ToString());
    }
}
