using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests;

public class DiscoveryTests
{
    [Fact]
    public void Flock_group_version_lists_both_kinds_with_short_names_categories_and_status()
    {
        var list = DiscoveryDocuments.ApiResourceList(AllResources, "flock.io", "v1alpha1")!;

        Assert.Equal("APIResourceList", list["kind"]!.GetValue<string>());
        Assert.Equal("v1", list["apiVersion"]!.GetValue<string>());
        Assert.Equal("flock.io/v1alpha1", list["groupVersion"]!.GetValue<string>());
        var names = Strings(new JsonArray(list["resources"]!.AsArray().Select(r => (JsonNode)JsonValue.Create(r!["name"]!.GetValue<string>())).ToArray()));
        Assert.Equal(["flocktrainingnodes", "flocktrainingnodes/status", "flockvalidators", "flockvalidators/status"], names);

        var ftn = Find(list["resources"], "name", "flocktrainingnodes");
        Assert.Equal("flocktrainingnode", ftn["singularName"]!.GetValue<string>());
        Assert.True(ftn["namespaced"]!.GetValue<bool>());
        Assert.Equal("FlockTrainingNode", ftn["kind"]!.GetValue<string>());
        Assert.Equal(["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"], Strings(ftn["verbs"]));
        Assert.Equal(["ftn"], Strings(ftn["shortNames"]));
        Assert.Equal(["flock"], Strings(ftn["categories"]));
        Assert.Matches("^[A-Za-z0-9+/]{11}=$", ftn["storageVersionHash"]!.GetValue<string>());

        var status = Find(list["resources"], "name", "flocktrainingnodes/status");
        Assert.Equal("", status["singularName"]!.GetValue<string>());
        Assert.Equal("FlockTrainingNode", status["kind"]!.GetValue<string>());
        Assert.Equal(["get", "patch", "update"], Strings(status["verbs"]));
        Assert.Null(status["shortNames"]);
    }

    [Fact]
    public void Core_v1_lists_pods_with_log_and_status_subresources_and_no_api_version_field()
    {
        var list = DiscoveryDocuments.ApiResourceList(AllResources, "", "v1")!;

        Assert.Null(list["apiVersion"]);
        Assert.Equal("v1", list["groupVersion"]!.GetValue<string>());
        var pods = Find(list["resources"], "name", "pods");
        Assert.Equal(["po"], Strings(pods["shortNames"]));
        Assert.Equal(["all"], Strings(pods["categories"]));
        // The hash a real v1.32 apiserver reports for pods.
        Assert.Equal("xPOwRZ+Yhw8=", pods["storageVersionHash"]!.GetValue<string>());
        Assert.Equal(["get"], Strings(Find(list["resources"], "name", "pods/log")["verbs"]));
        Assert.Equal(["get", "patch", "update"], Strings(Find(list["resources"], "name", "pods/status")["verbs"]));
        Assert.False(Find(list["resources"], "name", "namespaces")["namespaced"]!.GetValue<bool>());
    }

    [Fact]
    public void Deployment_scale_answers_autoscaling_v1_Scale()
    {
        var list = DiscoveryDocuments.ApiResourceList(AllResources, "apps", "v1")!;

        var scale = Find(list["resources"], "name", "deployments/scale");
        Assert.Equal("autoscaling", scale["group"]!.GetValue<string>());
        Assert.Equal("v1", scale["version"]!.GetValue<string>());
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        Assert.Equal("8aSe+NMegvE=", Find(list["resources"], "name", "deployments")["storageVersionHash"]!.GetValue<string>());
        Assert.Null(Find(list["resources"], "name", "deployments/status")["group"]);
    }

    [Fact]
    public void Create_only_kinds_have_no_storage_version_hash()
    {
        var list = DiscoveryDocuments.ApiResourceList(AllResources, "authorization.k8s.io", "v1")!;

        var ssar = Find(list["resources"], "name", "selfsubjectaccessreviews");
        Assert.Equal(["create"], Strings(ssar["verbs"]));
        Assert.Null(ssar["storageVersionHash"]);
    }

    [Fact]
    public void Group_list_orders_builtin_groups_by_priority_then_custom_groups_with_preferred_versions()
    {
        var groups = DiscoveryDocuments.ApiGroupList(AllResources)["groups"]!.AsArray();
        var names = groups.Select(g => g!["name"]!.GetValue<string>()).ToList();

        Assert.DoesNotContain("", names);
        Assert.Equal("apps", names[0]);
        Assert.Equal("flock.io", names[^1]);
        Assert.True(names.IndexOf("batch") < names.IndexOf("rbac.authorization.k8s.io"));
        var flock = Find(groups, "name", "flock.io");
        Assert.Equal("flock.io/v1alpha1", flock["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        Assert.Equal("v1alpha1", flock["versions"]![0]!["version"]!.GetValue<string>());
    }

    [Fact]
    public void Preferred_version_is_the_highest_kube_aware_version()
    {
        var baseResource = Custom("FlockValidator");
        var resources = new[] { baseResource, baseResource with { Version = "v1beta1" }, baseResource with { Version = "v1" } };

        var group = DiscoveryDocuments.ApiGroup(resources, "flock.io")!;

        Assert.Equal("APIGroup", group["kind"]!.GetValue<string>());
        Assert.Equal("v1", group["preferredVersion"]!["version"]!.GetValue<string>());
        Assert.Equal(["v1", "v1beta1", "v1alpha1"], group["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<string>()));
    }

    [Fact]
    public void Api_versions_carries_server_address()
    {
        var versions = DiscoveryDocuments.ApiVersions("10.0.0.1:6443");

        Assert.Equal("""{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}]}""",
            versions.ToJsonString());
    }

    [Fact]
    public void Unserved_group_versions_have_no_document()
    {
        Assert.Null(DiscoveryDocuments.ApiResourceList(AllResources, "flock.io", "v1"));
        Assert.Null(DiscoveryDocuments.ApiGroup(AllResources, "example.com"));
    }

    [Fact]
    public void Crd_conversion_takes_names_scope_and_subresources_from_the_crd()
    {
        var ftn = Custom("FlockTrainingNode");

        Assert.Equal("flock.io", ftn.Group);
        Assert.Equal("flocktrainingnodes", ftn.Plural);
        Assert.Equal("FlockTrainingNodeList", ftn.ListKindName);
        Assert.True(ftn.HasStatusSubresource);
        Assert.True(ftn.IsCustom);
        Assert.NotNull(ftn.Schema);
        Assert.Equal("flocktrainingnodes.flock.io", ftn.GroupResource);
    }

    [Fact]
    public void Catalog_serves_only_established_crds()
    {
        var crd = Crd("FlockTrainingNode");
        Assert.DoesNotContain(ApiCatalog.Build([crd]).Resources, r => r.Group == "flock.io");

        var established = KubernetesClone(crd);
        established.Status = new k8s.Models.V1CustomResourceDefinitionStatus
        {
            Conditions = [new k8s.Models.V1CustomResourceDefinitionCondition { Type = "Established", Status = "True" }],
        };
        var catalog = ApiCatalog.Build([established]);

        Assert.NotNull(catalog.Find("flock.io", "v1alpha1", "flocktrainingnodes"));
        Assert.Equal("Deployment", catalog.FindByApiVersion("apps/v1", "Deployment")!.Kind);
        Assert.Equal("pods", catalog.FindByApiVersion("v1", "Pod")!.Plural);
    }

    private static k8s.Models.V1CustomResourceDefinition KubernetesClone(k8s.Models.V1CustomResourceDefinition crd) =>
        k8s.KubernetesJson.Deserialize<k8s.Models.V1CustomResourceDefinition>(k8s.KubernetesJson.Serialize(crd));
}
