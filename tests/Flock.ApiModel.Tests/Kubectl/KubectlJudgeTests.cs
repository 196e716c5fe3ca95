using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests.Kubectl;

/// <summary>One server and kubectl for all the judge tests.</summary>
public sealed class KubectlFixture : IDisposable
{
    public KubectlFixture()
    {
        var rbac = RbacAuthorizer.FromJson(ConfigObjects("config/rbac/role.yaml").Concat(ConfigObjects("config/rbac/role_binding.yaml")));
        Server = new ModelServer(AllResources, rbac, UserInfo.ServiceAccount("flock-system", "flock-operator"), Objects);
        Kubectl = new KubectlRunner(Server.Port);
    }

    internal ModelServer Server { get; }

    internal KubectlRunner Kubectl { get; }

    public void Dispose()
    {
        Kubectl.Dispose();
        Server.Dispose();
    }

    private static IReadOnlyList<JsonObject> Objects(ApiResource resource) => resource.Kind switch
    {
        "FlockTrainingNode" =>
        [
            Obj("""
                {"apiVersion":"flock.io/v1alpha1","kind":"FlockTrainingNode",
                 "metadata":{"name":"trainer-akash","namespace":"default","creationTimestamp":"2020-01-01T00:00:00Z"},
                 "spec":{"taskId":12},
                 "status":{"phase":"Running","workload":{"backend":"Akash"},"staking":{"eligible":true},
                           "akash":{"provider":"akash1xyz","price":"12.5uact"},
                           "conditions":[{"type":"Ready","status":"False","reason":"LeasePending"}]}}
                """),
        ],
        _ => [],
    };
}

/// <summary>The real kubectl 1.32 reading what the builders produce.</summary>
public class KubectlJudgeTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private KubectlResult Kubectl(params string[] arguments)
    {
        var result = fixture.Kubectl.Run(arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public void Api_resources_lists_the_flock_kinds_from_aggregated_discovery()
    {
        var output = Kubectl("api-resources", "--api-group=flock.io", "-o", "wide").StdOut;

        Assert.Contains("flocktrainingnodes", output);
        Assert.Matches(@"flocktrainingnodes\s+ftn\s+flock\.io/v1alpha1\s+true\s+FlockTrainingNode\s+delete,deletecollection,get,list,patch,create,update,watch\s+flock", output);
        Assert.Matches(@"flockvalidators\s+fv\s+", output);
    }

    [Fact]
    public void Explain_prints_the_crd_field_descriptions()
    {
        var placement = Kubectl("explain", "ftn.spec.placement").StdOut;
        Assert.Contains("KIND:       FlockTrainingNode", placement);
        Assert.Contains("FIELD: placement <Object>", placement);
        Assert.Contains("Where the worker runs: this cluster, Akash, or Auto.", placement);
        Assert.Contains("enum: InCluster, Akash, Auto", placement);

        var maxPrice = Kubectl("explain", "ftn.spec.placement.akash.maxPrice", "--recursive").StdOut;
        Assert.Contains("Highest price per block the operator accepts in a bid.", maxPrice);
        Assert.Matches(@"amount\t<string> -required-", maxPrice);
    }

    [Fact]
    public void Explain_resolves_builtin_kinds_through_references()
    {
        var replicas = Kubectl("explain", "deployment.spec.replicas").StdOut;
        Assert.Contains("GROUP:      apps", replicas);
        Assert.Contains("FIELD: replicas <integer>", replicas);
        Assert.Contains("Number of desired pods.", replicas);

        var ports = Kubectl("explain", "pods.spec.containers.ports").StdOut;
        Assert.Contains("FIELD: ports <[]ContainerPort>", ports);
        Assert.Matches(@"containerPort\t<integer> -required-", ports);

        Assert.Contains("metadata\t<ObjectMeta>", Kubectl("explain", "ftn").StdOut);
    }

    [Fact]
    public void Client_side_dry_run_accepts_the_samples()
    {
        var output = Kubectl("create", "--dry-run=client", "-o", "name", "-f", "config/samples/training-node-akash.yaml").StdOut;

        Assert.Contains("flocktrainingnode.flock.io/trainer-akash", output);
    }

    [Fact]
    public void Get_renders_the_printer_columns_and_wide_ones()
    {
        var normal = Kubectl("get", "ftn").StdOut.Split('\n');
        Assert.Matches(@"^NAME\s+PHASE\s+TASK\s+BACKEND\s+STAKED\s+PRICE\s+AGE$", normal[0]);
        Assert.Matches(@"^trainer-akash\s+Running\s+12\s+Akash\s+true\s+12\.5uact\s+\d+y\S*$", normal[1]);

        var wide = Kubectl("get", "ftn", "-o", "wide").StdOut.Split('\n');
        Assert.Matches(@"^NAME\s+PHASE\s+TASK\s+BACKEND\s+STAKED\s+PROVIDER\s+PRICE\s+READY\s+REASON\s+AGE$", wide[0]);
        Assert.Matches(@"^trainer-akash\s+Running\s+12\s+Akash\s+true\s+akash1xyz\s+12\.5uact\s+False\s+LeasePending\s+\d+y\S*$", wide[1]);
    }

    [Fact]
    public void Auth_can_i_is_answered_from_rbac()
    {
        Assert.Equal("yes", Kubectl("auth", "can-i", "patch", "ftn", "--subresource=status", "-n", "team-a").StdOut.Trim());

        var denied = fixture.Kubectl.Run("auth", "can-i", "create", "secrets");
        Assert.Equal("no", denied.StdOut.Trim());
    }
}
