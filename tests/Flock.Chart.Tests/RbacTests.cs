using YamlDotNet.RepresentationModel;

namespace Flock.Chart.Tests;

public class RbacTests
{
    private const string Release = HelmRunner.ReleaseName;

    private static readonly string[] FlockKinds = ["flocktrainingnodes", "flockvalidators"];

    /// <summary>The rules of the task, as (apiGroup, resource, verb) grants, without the cluster-scoped node reads.</summary>
    private static readonly IReadOnlySet<RbacGrant> OperatorGrants = Grants(
    [
        ("flock.io", FlockKinds, ["get", "list", "watch", "update", "patch"]),
        ("flock.io", ["flocktrainingnodes/status", "flockvalidators/status"], ["get", "update", "patch"]),
        ("flock.io", ["flocktrainingnodes/finalizers", "flockvalidators/finalizers"], ["update"]),
        ("apps", ["deployments"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
        ("batch", ["jobs"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
        ("", ["persistentvolumeclaims"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
        ("", ["secrets"], ["get", "list", "watch"]),
        ("", ["pods"], ["get", "list", "watch"]),
        ("", ["events"], ["create", "patch"]),
        ("events.k8s.io", ["events"], ["create", "patch"]),
    ]);

    private static readonly IReadOnlySet<RbacGrant> NodeReadGrants = Grants([("", ["nodes"], ["get", "list", "watch"])]);

    private static readonly string[] ReadOnly = ["get", "list", "watch"]; // sorted, as VerbsOn returns them

    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void NoRoleUsesAWildcard(string render)
    {
        var roles = Roles(ChartRenders.ByName(render));

        Assert.NotEmpty(roles);
        Assert.All(roles, role => Assert.DoesNotContain(role.Items("rules").SelectMany(r => r.AllScalars()), s => s.Contains('*', StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void Secrets_AreOnlyEverRead(string render)
    {
        var roles = Roles(ChartRenders.ByName(render));
        var withSecrets = roles.Where(r => RbacGrant.VerbsOn(r, "", "secrets").Count > 0).ToList();

        Assert.NotEmpty(withSecrets);
        Assert.All(withSecrets, role => Assert.Equal(ReadOnly, RbacGrant.VerbsOn(role, "", "secrets")));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("customized")]
    public void StatusAndFinalizerSubresources_HaveExactlyTheirVerbs(string render)
    {
        var operatorRoles = Roles(ChartRenders.ByName(render)).Where(r => RbacGrant.VerbsOn(r, "flock.io", "flockvalidators").Count > 0).ToList();

        Assert.NotEmpty(operatorRoles);
        Assert.All(operatorRoles, role =>
        {
            foreach (var kind in FlockKinds)
            {
                Assert.Equal(new[] { "get", "patch", "update" }, RbacGrant.VerbsOn(role, "flock.io", kind + "/status"));
                Assert.Equal(new[] { "update" }, RbacGrant.VerbsOn(role, "flock.io", kind + "/finalizers"));
                Assert.DoesNotContain("create", RbacGrant.VerbsOn(role, "flock.io", kind));
                Assert.DoesNotContain("delete", RbacGrant.VerbsOn(role, "flock.io", kind));
            }
        });
    }

    [Fact]
    public void AllNamespaces_OneClusterRoleWithTheOperatorRulesAndNodeReads()
    {
        var manifest = ChartRenders.Default;
        var clusterRole = manifest.Single("ClusterRole");

        Assert.Equal(Release, clusterRole.Text("metadata", "name"));
        RbacGrant.AssertSame(OperatorGrants.Union(NodeReadGrants), RbacGrant.Of(clusterRole));
        AssertBindsOperatorAccount(manifest.Single("ClusterRoleBinding"), "ClusterRole", Release);
        Assert.Equal($"{Release}-leader-election", Assert.Single(manifest.OfKind("Role")).Text("metadata", "name"));
    }

    [Fact]
    public void WatchNamespaces_ARoleInEachAndOnlyNodeReadsClusterWide()
    {
        var manifest = ChartRenders.Customized;

        foreach (var watched in new[] { "team-a", "team-b" })
        {
            RbacGrant.AssertSame(OperatorGrants, RbacGrant.Of(manifest.Single("Role", Release, watched)));
            AssertBindsOperatorAccount(manifest.Single("RoleBinding", Release, watched), "Role", Release);
        }

        var clusterRole = manifest.Single("ClusterRole");
        RbacGrant.AssertSame(NodeReadGrants, RbacGrant.Of(clusterRole));
        AssertBindsOperatorAccount(manifest.Single("ClusterRoleBinding"), "ClusterRole", clusterRole.Text("metadata", "name")!);
        var namespacesWithOperatorRole = manifest.OfKind("Role")
            .Where(r => RbacGrant.Of(r).Overlaps(OperatorGrants.Where(g => g.ApiGroup == "flock.io")))
            .Select(r => r.Text("metadata", "namespace"));
        Assert.Equal(new[] { "team-a", "team-b" }, namespacesWithOperatorRole.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LeaderElection_ARoleForLeasesInTheReleaseNamespace()
    {
        var manifest = ChartRenders.Default;
        var role = manifest.Single("Role", $"{Release}-leader-election", HelmRunner.ReleaseNamespace);

        Assert.Equal(new[] { "create", "get", "update" }, RbacGrant.VerbsOn(role, "coordination.k8s.io", "leases"));
        Assert.Equal(new[] { "create", "patch" }, RbacGrant.VerbsOn(role, "", "events"));
        AssertBindsOperatorAccount(manifest.Single("RoleBinding", $"{Release}-leader-election", HelmRunner.ReleaseNamespace), "Role", $"{Release}-leader-election");
    }

    [Fact]
    public void LeaderElection_WhenDisabled_HasNoLeaseRole()
    {
        var manifest = HelmRunner.Instance.Render("--set", "leaderElection.enabled=false", "--set", "replicas=1");

        Assert.Empty(manifest.OfKind("Role"));
        Assert.Empty(manifest.OfKind("RoleBinding"));
        Assert.Equal("false", new OperatorDeployment(manifest).EnvValue("Operator__LeaderElection__Enabled"));
    }

    [Fact]
    public void KustomizeClusterRole_GrantsExactlyWhatTheChartsDefaultClusterRoleGrants()
    {
        var kustomizeRole = RenderedManifest.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.RbacConfig, "role.yaml"))).Single("ClusterRole");

        Assert.Equal("flock-operator", kustomizeRole.Text("metadata", "name"));
        RbacGrant.AssertSame(RbacGrant.Of(ChartRenders.Default.Single("ClusterRole")), RbacGrant.Of(kustomizeRole));
    }

    [Fact]
    public void KustomizeRbac_BuildsTheAccountRolesAndBindingsInFlockSystem()
    {
        var build = ToolProcess.Run(ToolProcess.Locate("kubectl"), ["kustomize", RepositoryPaths.RbacConfig]);
        Assert.True(build.Succeeded, build.ToString());
        var manifest = RenderedManifest.Parse(build.StdOut);

        Assert.Equal(
            new[] { "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount" },
            manifest.Objects.Select(o => o.Text("kind")).Order(StringComparer.Ordinal));
        Assert.All(manifest.Objects.Where(o => !o.Text("kind")!.StartsWith("Cluster", StringComparison.Ordinal)),
            o => Assert.Equal("flock-system", o.Text("metadata", "namespace")));
        Assert.All(manifest.Objects.SelectMany(o => o.Items("subjects")), s =>
        {
            Assert.Equal("flock-operator", s.Text("name"));
            Assert.Equal("flock-system", s.Text("namespace"));
        });
        var chartLeaderRole = ChartRenders.Default.Single("Role", $"{Release}-leader-election", HelmRunner.ReleaseNamespace);
        RbacGrant.AssertSame(RbacGrant.Of(chartLeaderRole), RbacGrant.Of(manifest.Single("Role")));
        Assert.DoesNotContain(manifest.OfKind("ClusterRole").Concat(manifest.OfKind("Role")).SelectMany(r => r.Items("rules")).SelectMany(r => r.AllScalars()),
            s => s.Contains('*', StringComparison.Ordinal));
    }

    private static List<YamlMappingNode> Roles(RenderedManifest manifest) =>
        [.. manifest.OfKind("ClusterRole"), .. manifest.OfKind("Role")];

    private static void AssertBindsOperatorAccount(YamlNode binding, string roleKind, string roleName)
    {
        Assert.Equal(roleKind, binding.Text("roleRef", "kind"));
        Assert.Equal(roleName, binding.Text("roleRef", "name"));
        Assert.Equal("rbac.authorization.k8s.io", binding.Text("roleRef", "apiGroup"));
        var subject = Assert.Single(binding.Items("subjects"));
        Assert.Equal("ServiceAccount", subject.Text("kind"));
        Assert.Equal(Release, subject.Text("name"));
        Assert.Equal(HelmRunner.ReleaseNamespace, subject.Text("namespace"));
    }

    private static HashSet<RbacGrant> Grants(IEnumerable<(string ApiGroup, string[] Resources, string[] Verbs)> rules) =>
        rules.SelectMany(rule => rule.Resources.SelectMany(resource => rule.Verbs.Select(verb => new RbacGrant(rule.ApiGroup, resource, verb)))).ToHashSet();
}
