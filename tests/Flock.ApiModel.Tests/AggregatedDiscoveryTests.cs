using Flock.Sandbox.ApiModel;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests;

public class AggregatedDiscoveryTests
{
    private const string KubectlAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public void Kubectl_accept_header_negotiates_v2_and_plain_json_does_not()
    {
        Assert.Equal("v2", AggregatedDiscovery.NegotiateVersion(KubectlAccept));
        Assert.Equal("v2beta1", AggregatedDiscovery.NegotiateVersion("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"));
        Assert.Null(AggregatedDiscovery.NegotiateVersion("application/json, */*"));
        Assert.Null(AggregatedDiscovery.NegotiateVersion(null));
        Assert.Equal(AggregatedDiscovery.V2MediaType, AggregatedDiscovery.MediaTypeFor("v2"));
    }

    [Fact]
    public void Apis_document_describes_custom_resources_with_full_response_kind()
    {
        var doc = AggregatedDiscovery.ForApis(AllResources);

        Assert.Equal("APIGroupDiscoveryList", doc["kind"]!.GetValue<string>());
        Assert.Equal("apidiscovery.k8s.io/v2", doc["apiVersion"]!.GetValue<string>());
        var flock = doc["items"]!.AsArray().Single(i => i!["metadata"]!["name"]?.GetValue<string>() == "flock.io")!;
        var version = flock["versions"]![0]!;
        Assert.Equal("v1alpha1", version["version"]!.GetValue<string>());
        Assert.Equal("Current", version["freshness"]!.GetValue<string>());
        var ftn = Find(version["resources"], "resource", "flocktrainingnodes");
        Assert.Equal("""{"group":"flock.io","version":"v1alpha1","kind":"FlockTrainingNode"}""", ftn["responseKind"]!.ToJsonString());
        Assert.Equal("Namespaced", ftn["scope"]!.GetValue<string>());
        Assert.Equal("flocktrainingnode", ftn["singularResource"]!.GetValue<string>());
        Assert.Equal(["ftn"], Strings(ftn["shortNames"]));
        Assert.Equal(["flock"], Strings(ftn["categories"]));
        var status = ftn["subresources"]!.AsArray().Single()!;
        Assert.Equal("status", status["subresource"]!.GetValue<string>());
        Assert.Equal(["get", "patch", "update"], Strings(status["verbs"]));
    }

    [Fact]
    public void Builtin_resources_leave_response_kind_group_and_version_empty_except_scale()
    {
        var doc = AggregatedDiscovery.ForApis(AllResources);

        var apps = doc["items"]![0]!;
        Assert.Equal("apps", apps["metadata"]!["name"]!.GetValue<string>());
        var deployments = Find(apps["versions"]![0]!["resources"], "resource", "deployments");
        Assert.Equal("""{"group":"","version":"","kind":"Deployment"}""", deployments["responseKind"]!.ToJsonString());
        var subresources = deployments["subresources"]!.AsArray();
        Assert.Equal(["scale", "status"], subresources.Select(s => s!["subresource"]!.GetValue<string>()));
        Assert.Equal("""{"group":"autoscaling","version":"v1","kind":"Scale"}""", subresources[0]!["responseKind"]!.ToJsonString());
    }

    [Fact]
    public void Legacy_document_has_one_unnamed_core_group()
    {
        var doc = AggregatedDiscovery.ForLegacy(AllResources, "v2beta1");

        Assert.Equal("apidiscovery.k8s.io/v2beta1", doc["apiVersion"]!.GetValue<string>());
        var core = doc["items"]!.AsArray().Single()!;
        Assert.Null(core["metadata"]!["name"]);
        var resources = core["versions"]!.AsArray().Single()!["resources"];
        Assert.Equal("Cluster", Find(resources, "resource", "nodes")["scope"]!.GetValue<string>());
        Assert.Equal(["log", "status"], Find(resources, "resource", "pods")["subresources"]!.AsArray().Select(s => s!["subresource"]!.GetValue<string>()));
        Assert.DoesNotContain(resources!.AsArray(), r => r!["resource"]!.GetValue<string>() == "deployments");
    }
}
