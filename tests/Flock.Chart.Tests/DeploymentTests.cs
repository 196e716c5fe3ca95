using YamlDotNet.RepresentationModel;

namespace Flock.Chart.Tests;

public class DeploymentTests
{
    /// <summary>Every Operator/Flock/Staking/Akash/Logging setting the chart always passes.</summary>
    private static readonly string[] AlwaysSetEnv =
    [
        "POD_NAME", "POD_NAMESPACE",
        "Operator__LeaderElection__Enabled", "Operator__LeaderElection__Namespace", "Operator__LeaderElection__LeaseName",
        "Operator__MetricsPort", "Operator__HealthPort",
        "Flock__ApiBaseUrl",
        "Staking__RpcUrl", "Staking__ChainId", "Staking__Confirmations",
        "Akash__ChainId",
        "Logging__LogLevel__Default",
    ];

    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void PodSecurityContext_RunsAsNonRootUser65532WithRuntimeDefaultSeccomp(string render)
    {
        var pod = new OperatorDeployment(ChartRenders.ByName(render)).PodSpec;

        Assert.Equal("true", pod.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("65532", pod.Text("securityContext", "runAsUser"));
        Assert.Equal("65532", pod.Text("securityContext", "runAsGroup"));
        Assert.Equal("65532", pod.Text("securityContext", "fsGroup"));
        Assert.Equal("RuntimeDefault", pod.Text("securityContext", "seccompProfile", "type"));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void ContainerSecurityContext_IsReadOnlyUnprivilegedAndDropsAllCapabilities(string render)
    {
        var container = new OperatorDeployment(ChartRenders.ByName(render)).Container;

        Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", container.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("65532", container.Text("securityContext", "runAsUser"));
        Assert.Equal(new[] { "ALL" }, container.Texts("securityContext", "capabilities", "drop"));
        Assert.Null(container.At("securityContext", "capabilities", "add"));
        Assert.Equal("RuntimeDefault", container.Text("securityContext", "seccompProfile", "type"));
    }

    [Fact]
    public void Tmp_IsAWritableEmptyDirBecauseTheRootFilesystemIsReadOnly()
    {
        var deployment = new OperatorDeployment(ChartRenders.Default);

        var mount = Assert.Single(deployment.Container.Items("volumeMounts"), m => m.Text("mountPath") == "/tmp");
        Assert.NotEqual("true", mount.Text("readOnly"));
        var volume = Assert.Single(deployment.PodSpec.Items("volumes"), v => v.Text("name") == mount.Text("name"));
        Assert.IsType<YamlMappingNode>(volume.At("emptyDir"));
    }

    [Fact]
    public void Probes_CheckHealthzAndReadyzOnTheHealthPort()
    {
        var deployment = new OperatorDeployment(ChartRenders.Default);

        Assert.Equal("8080", deployment.Port("metrics"));
        Assert.Equal("8081", deployment.Port("health"));
        Assert.Equal("/healthz", deployment.Container.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal("health", deployment.Container.Text("livenessProbe", "httpGet", "port"));
        Assert.Equal("/readyz", deployment.Container.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("health", deployment.Container.Text("readinessProbe", "httpGet", "port"));
    }

    [Fact]
    public void Defaults_TwoReplicasOfTheAppVersionImageWithRequestsAndAMemoryLimit()
    {
        var deployment = new OperatorDeployment(ChartRenders.Default);
        var appVersion = RenderedManifest.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "Chart.yaml"))).Objects[0].Text("appVersion");

        Assert.Equal("2", deployment.Object.Text("spec", "replicas"));
        Assert.Equal($"ghcr.io/flock-operator/flock-operator:{appVersion}", deployment.Container.Text("image"));
        Assert.Equal("IfNotPresent", deployment.Container.Text("imagePullPolicy"));
        Assert.Equal("100m", deployment.Container.Text("resources", "requests", "cpu"));
        Assert.Equal("128Mi", deployment.Container.Text("resources", "requests", "memory"));
        Assert.Equal("512Mi", deployment.Container.Text("resources", "limits", "memory"));
        Assert.Equal("30", deployment.PodSpec.Text("terminationGracePeriodSeconds"));
    }

    [Fact]
    public void DefaultEnv_ConfiguresTheOperatorAndWatchesAllNamespaces()
    {
        var deployment = new OperatorDeployment(ChartRenders.Default);

        Assert.All(AlwaysSetEnv, name => Assert.Contains(name, deployment.Env.Keys));
        Assert.DoesNotContain("Operator__WatchNamespaces", deployment.Env.Keys);
        Assert.Equal("metadata.name", deployment.Env["POD_NAME"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", deployment.Env["POD_NAMESPACE"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("true", deployment.EnvValue("Operator__LeaderElection__Enabled"));
        Assert.Equal(HelmRunner.ReleaseNamespace, deployment.EnvValue("Operator__LeaderElection__Namespace"));
        Assert.Equal("flock-operator-leader", deployment.EnvValue("Operator__LeaderElection__LeaseName"));
        Assert.Equal("8080", deployment.EnvValue("Operator__MetricsPort"));
        Assert.Equal("8081", deployment.EnvValue("Operator__HealthPort"));
        Assert.Equal("https://fed-ledger-prod.flock.io/api/v1", deployment.EnvValue("Flock__ApiBaseUrl"));
        Assert.Equal("8453", deployment.EnvValue("Staking__ChainId"));
        Assert.Equal("akashnet-2", deployment.EnvValue("Akash__ChainId"));
        Assert.Equal("Information", deployment.EnvValue("Logging__LogLevel__Default"));
    }

    [Fact]
    public void DefaultEnv_LeavesUnsetAddressesToTheOperatorsOwnDefaults()
    {
        var env = new OperatorDeployment(ChartRenders.Default).Env;

        // An empty env var would bind as "" and override the operator's default, so empty values are not passed.
        Assert.DoesNotContain("Staking__TaskManager", env.Keys);
        Assert.DoesNotContain("Akash__GrpcUrl", env.Keys);
        Assert.All(env.Values.Where(e => e.At("valueFrom") is null), e => Assert.False(string.IsNullOrEmpty(e.Text("value")), e.Text("name")));
    }

    [Fact]
    public void CustomizedEnv_JoinsWatchNamespacesAndPassesEverySetting()
    {
        var deployment = new OperatorDeployment(ChartRenders.Customized);

        Assert.All(AlwaysSetEnv, name => Assert.Contains(name, deployment.Env.Keys));
        Assert.Equal("team-a,team-b", deployment.EnvValue("Operator__WatchNamespaces"));
        Assert.Equal("flock-leader-test", deployment.EnvValue("Operator__LeaderElection__LeaseName"));
        Assert.Equal("https://sepolia.base.org", deployment.EnvValue("Staking__RpcUrl"));
        Assert.Equal("84532", deployment.EnvValue("Staking__ChainId"));
        Assert.Equal("0x29d4ecea4b1fcac239bf4b4dc3b42829c2e69fed", deployment.EnvValue("Staking__TaskManager"));
        Assert.Equal("5", deployment.EnvValue("Staking__Confirmations"));
        Assert.Equal("https://akash-grpc.example.org:443", deployment.EnvValue("Akash__GrpcUrl"));
        Assert.Equal("sandbox-01", deployment.EnvValue("Akash__ChainId"));
        Assert.Equal("Debug", deployment.EnvValue("Logging__LogLevel__Default"));
    }

    [Fact]
    public void CustomizedEnv_AppendsExtraEnvAfterTheChartsOwn()
    {
        var deployment = new OperatorDeployment(ChartRenders.Customized);
        var names = deployment.Container.Items("env").Select(e => e.Text("name")).ToList();

        Assert.Equal("2m", deployment.EnvValue("Akash__BidWindow"));
        Assert.Equal("extra", deployment.Env["EXTRA_TOKEN"].Text("valueFrom", "secretKeyRef", "name"));
        Assert.Equal(new[] { "Akash__BidWindow", "EXTRA_TOKEN" }, names.TakeLast(2));
    }

    [Fact]
    public void Customized_ReplicasImageAndSchedulingFollowTheValues()
    {
        var deployment = new OperatorDeployment(ChartRenders.Customized);

        Assert.Equal("2", deployment.Object.Text("spec", "replicas"));
        Assert.Equal("registry.example.com/flock/operator:v9.9.9", deployment.Container.Text("image"));
        Assert.Equal("Always", deployment.Container.Text("imagePullPolicy"));
        Assert.Equal("linux", deployment.PodSpec.Text("nodeSelector", "kubernetes.io/os"));
        Assert.Equal("dedicated", Assert.Single(deployment.PodSpec.Items("tolerations")).Text("key"));
        Assert.Equal("system-cluster-critical", deployment.PodSpec.Text("priorityClassName"));
        Assert.Equal("45", deployment.PodSpec.Text("terminationGracePeriodSeconds"));
        Assert.Equal("ml", deployment.Object.Text("spec", "template", "metadata", "labels", "team"));
        Assert.Equal("ml-platform", deployment.Object.Text("spec", "template", "metadata", "annotations", "example.org/owner"));
    }

    [Fact]
    public void ImageDigest_WinsOverTheTag()
    {
        var digest = "sha256:" + new string('a', 64);
        var deployment = new OperatorDeployment(HelmRunner.Instance.Render("--set", "image.tag=v1", "--set", "image.digest=" + digest));

        Assert.Equal("ghcr.io/flock-operator/flock-operator@" + digest, deployment.Container.Text("image"));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void Selector_MatchesThePodLabels(string render)
    {
        var deployment = new OperatorDeployment(ChartRenders.ByName(render));
        var podLabels = deployment.Object.StringMap("spec", "template", "metadata", "labels");
        var selector = deployment.Object.StringMap("spec", "selector", "matchLabels");

        Assert.NotEmpty(selector);
        Assert.All(selector, pair => Assert.Equal(pair.Value, podLabels.GetValueOrDefault(pair.Key)));
    }

    [Fact]
    public void ServiceAccount_IsCreatedWithTokenAutomountAndUsedByThePod()
    {
        var manifest = ChartRenders.Default;
        var account = manifest.Single("ServiceAccount");

        Assert.Equal("true", account.Text("automountServiceAccountToken"));
        Assert.Equal(account.Text("metadata", "name"), new OperatorDeployment(manifest).PodSpec.Text("serviceAccountName"));
    }

    [Fact]
    public void ServiceAccount_WhenNotCreated_UsesTheGivenNameEverywhere()
    {
        var manifest = HelmRunner.Instance.Render("--set", "serviceAccount.create=false", "--set", "serviceAccount.name=existing-sa");

        Assert.Empty(manifest.OfKind("ServiceAccount"));
        Assert.Equal("existing-sa", new OperatorDeployment(manifest).PodSpec.Text("serviceAccountName"));
        var subjects = manifest.OfKind("ClusterRoleBinding").Concat(manifest.OfKind("RoleBinding")).SelectMany(b => b.Items("subjects")).ToList();
        Assert.NotEmpty(subjects);
        Assert.All(subjects, s => Assert.Equal("existing-sa", s.Text("name")));
    }
}
