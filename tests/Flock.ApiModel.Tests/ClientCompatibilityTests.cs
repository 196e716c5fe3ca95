using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using k8s;
using k8s.Models;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests;

/// <summary>The documents deserialize into the KubernetesClient models the C# client uses.</summary>
public class ClientCompatibilityTests
{
    [Fact]
    public void Discovery_documents_read_as_client_models()
    {
        var resources = KubernetesJson.Deserialize<V1APIResourceList>(DiscoveryDocuments.ApiResourceList(AllResources, "apps", "v1")!.ToJsonString());
        Assert.Equal("Scale", resources.Resources.Single(r => r.Name == "deployments/scale").Kind);

        var groups = KubernetesJson.Deserialize<V1APIGroupList>(DiscoveryDocuments.ApiGroupList(AllResources).ToJsonString());
        Assert.Equal("v1alpha1", groups.Groups.Single(g => g.Name == "flock.io").PreferredVersion.Version);

        var versions = KubernetesJson.Deserialize<V1APIVersions>(DiscoveryDocuments.ApiVersions().ToJsonString());
        Assert.Equal(["v1"], versions.Versions);

        var aggregated = KubernetesJson.Deserialize<V2APIGroupDiscoveryList>(AggregatedDiscovery.ForApis(AllResources).ToJsonString());
        var ftn = aggregated.Items.Single(i => i.Metadata.Name == "flock.io").Versions.Single().Resources.Single(r => r.Resource == "flocktrainingnodes");
        Assert.Equal("FlockTrainingNode", ftn.ResponseKind.Kind);
        Assert.Equal("status", ftn.Subresources.Single().Subresource);
    }

    [Fact]
    public void Status_bodies_read_as_client_status()
    {
        var status = KubernetesJson.Deserialize<V1Status>(StatusErrors.Conflict("flock.io", "flocktrainingnodes", "t").ToJsonString());

        Assert.Equal(409, status.Code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("flocktrainingnodes", status.Details.Kind);
    }

    [Fact]
    public void Namespaces_cannot_be_deleted_as_a_collection()
    {
        var namespaces = Find(DiscoveryDocuments.ApiResourceList(AllResources, "", "v1")!["resources"], "name", "namespaces");

        Assert.DoesNotContain("deletecollection", Strings(namespaces["verbs"]));
    }

    [Fact]
    public void Label_selectors_print_sorted_by_key()
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["tier"] = "gpu" },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "In", Values = ["b", "a"] }],
        };

        Assert.Equal("app in (a,b),tier=gpu", LabelSelectors.Format(selector));
        Assert.True(LabelSelectors.Matches(selector, new Dictionary<string, string> { ["tier"] = "gpu", ["app"] = "a" }));
        Assert.False(LabelSelectors.Matches(selector, new Dictionary<string, string> { ["tier"] = "gpu", ["app"] = "c" }));
        Assert.False(LabelSelectors.Matches(null, new Dictionary<string, string>()));
    }

    [Fact]
    public void Service_pvc_and_event_tables()
    {
        var now = DateTimeOffset.Parse("2026-11-25T07:20:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var service = Obj("""{"metadata":{"name":"api"},"spec":{"type":"NodePort","clusterIP":"10.96.0.10","ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"selector":{"app":"api"}}}""");
        var pvc = Obj("""{"metadata":{"name":"hf-cache"},"spec":{"volumeName":"pv-1","storageClassName":"fast"},"status":{"phase":"Bound","capacity":{"storage":"100Gi"},"accessModes":["ReadWriteOnce"]}}""");
        var ev = Obj("""{"metadata":{"name":"t1.1"},"type":"Warning","reason":"LeaseFailed","message":"no bids","involvedObject":{"kind":"FlockTrainingNode","name":"t1"},"source":{"component":"flock-operator"},"firstTimestamp":"2026-11-25T07:00:00Z","lastTimestamp":"2026-11-25T07:19:00Z","count":3}""");

        Assert.Equal("""["api","NodePort","10.96.0.10","\u003Cnone\u003E","80:30080/TCP,53/UDP","\u003Cunknown\u003E","app=api"]""",
            TableConverter.Convert(Builtin("", "services"), [service], new TableOptions { Now = now })["rows"]![0]!["cells"]!.ToJsonString());
        Assert.Equal("""["hf-cache","Bound","pv-1","100Gi","RWO","fast","\u003Cunset\u003E","\u003Cunknown\u003E","\u003Cunset\u003E"]""",
            TableConverter.Convert(Builtin("", "persistentvolumeclaims"), [pvc], new TableOptions { Now = now })["rows"]![0]!["cells"]!.ToJsonString());
        var eventCells = TableConverter.Convert(Builtin("", "events"), [ev], new TableOptions { Now = now })["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("""["60s","Warning","LeaseFailed","flocktrainingnode/t1","","flock-operator","no bids","20m",3,"t1.1"]""", eventCells.ToJsonString());
    }
}
