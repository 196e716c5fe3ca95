namespace Flock.Chart.Tests;

/// <summary>The HA install: two replicas under leader election, a disruption budget and a spread over nodes, all configurable.</summary>
public class HighAvailabilityTests
{
    [Fact]
    public void Defaults_TwoReplicasWithLeaderElection()
    {
        var deployment = new OperatorDeployment(ChartRenders.Default);

        Assert.Equal("2", deployment.Object.Text("spec", "replicas"));
        Assert.Equal("true", deployment.EnvValue("Operator__LeaderElection__Enabled"));
        Assert.Single(ChartRenders.Default.OfKind("Role"), r => r.Text("metadata", "name")!.EndsWith("-leader-election", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_ABudgetKeepsOnePodThroughVoluntaryDisruptions()
    {
        var manifest = ChartRenders.Default;
        var budget = manifest.Single("PodDisruptionBudget");
        var podLabels = new OperatorDeployment(manifest).Object.StringMap("spec", "template", "metadata", "labels");

        Assert.Equal("policy/v1", budget.Text("apiVersion"));
        Assert.Equal(HelmRunner.ReleaseNamespace, budget.Text("metadata", "namespace"));
        Assert.Equal("1", budget.Text("spec", "minAvailable"));
        Assert.Null(budget.At("spec", "maxUnavailable"));
        Assert.Equal("AlwaysAllow", budget.Text("spec", "unhealthyPodEvictionPolicy"));
        var selector = budget.StringMap("spec", "selector", "matchLabels");
        Assert.NotEmpty(selector);
        Assert.All(selector, pair => Assert.Equal(pair.Value, podLabels.GetValueOrDefault(pair.Key)));
    }

    [Fact]
    public void Defaults_PodsSpreadOverNodesWithoutBlockingASingleNodeCluster()
    {
        var deployment = new OperatorDeployment(ChartRenders.Default);
        var podLabels = deployment.Object.StringMap("spec", "template", "metadata", "labels");

        var constraint = Assert.Single(deployment.PodSpec.Items("topologySpreadConstraints"));
        Assert.Equal("kubernetes.io/hostname", constraint.Text("topologyKey"));
        Assert.Equal("1", constraint.Text("maxSkew"));
        Assert.Equal("ScheduleAnyway", constraint.Text("whenUnsatisfiable"));
        var selector = constraint.StringMap("labelSelector", "matchLabels");
        Assert.Equal(deployment.Object.StringMap("spec", "selector", "matchLabels"), selector);
        Assert.All(selector, pair => Assert.Equal(pair.Value, podLabels.GetValueOrDefault(pair.Key)));
    }

    [Fact]
    public void OneReplica_HasNoBudget()
    {
        // minAvailable 1 of a single pod would forbid every eviction and block node drains.
        var manifest = HelmRunner.Instance.Render("--set", "replicas=1");

        Assert.Empty(manifest.OfKind("PodDisruptionBudget"));
        Assert.Equal("1", new OperatorDeployment(manifest).Object.Text("spec", "replicas"));
    }

    [Fact]
    public void BudgetDisabled_HasNoBudget()
    {
        Assert.Empty(HelmRunner.Instance.Render("--set", "podDisruptionBudget.enabled=false").OfKind("PodDisruptionBudget"));
    }

    [Fact]
    public void Customized_BudgetAndSpreadFollowTheValues()
    {
        var manifest = ChartRenders.Customized;
        var budget = manifest.Single("PodDisruptionBudget");
        var constraint = Assert.Single(new OperatorDeployment(manifest).PodSpec.Items("topologySpreadConstraints"));

        Assert.Equal("50%", budget.Text("spec", "minAvailable"));
        Assert.Equal("IfHealthyBudget", budget.Text("spec", "unhealthyPodEvictionPolicy"));
        Assert.Equal("topology.kubernetes.io/zone", constraint.Text("topologyKey"));
        Assert.Equal("DoNotSchedule", constraint.Text("whenUnsatisfiable"));
        // A selector the user gave is kept as it is.
        Assert.Equal(new Dictionary<string, string> { ["team"] = "ml" }, constraint.StringMap("labelSelector", "matchLabels"));
    }

    [Fact]
    public void NoSpread_WhenTheListIsEmpty()
    {
        var deployment = new OperatorDeployment(HelmRunner.Instance.Render("--set", "topologySpreadConstraints=null"));

        Assert.Null(deployment.PodSpec.At("topologySpreadConstraints"));
    }

    [Fact]
    public void SeveralReplicasWithoutLeaderElection_AreRefusedWithTheReason()
    {
        var result = HelmRunner.Instance.Template("--set", "leaderElection.enabled=false");

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("replicas > 1 needs leaderElection.enabled", result.StdErr, StringComparison.Ordinal);
        Assert.True(HelmRunner.Instance.Template("--set", "leaderElection.enabled=false", "--set", "replicas=1").Succeeded);
    }

    [Theory]
    [InlineData("podDisruptionBudget.minAvailable=half", "minAvailable")]
    [InlineData("podDisruptionBudget.unhealthyPodEvictionPolicy=Never", "unhealthyPodEvictionPolicy")]
    [InlineData("topologySpreadConstraints[0].whenUnsatisfiable=Maybe", "whenUnsatisfiable")]
    [InlineData("topologySpreadConstraints[0].maxSkew=0", "maxSkew")]
    [InlineData("grafanaDashboard.enabled=yes", "grafanaDashboard.enabled")]
    public void Schema_RejectsBadHighAvailabilityAndDashboardValues(string assignment, string field)
    {
        var result = HelmRunner.Instance.Template("--set", assignment);

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains(field, result.StdErr, StringComparison.Ordinal);
    }
}
