using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests;

public class OpenApiTests
{
    private static readonly OpenApiDocuments Docs = new(AllResources);

    [Fact]
    public void V2_has_the_crd_schema_under_the_reversed_group_name_with_gvk_and_object_meta()
    {
        var definitions = Docs.V2()["definitions"]!;

        var ftn = definitions["io.flock.v1alpha1.FlockTrainingNode"]!;
        Assert.Equal("""[{"group":"flock.io","kind":"FlockTrainingNode","version":"v1alpha1"}]""", ftn["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/definitions/" + ModelNames.ObjectMeta, ftn["properties"]!["metadata"]!["$ref"]!.GetValue<string>());
        Assert.Equal("Where the worker runs: this cluster, Akash, or Auto.",
            ftn["properties"]!["spec"]!["properties"]!["placement"]!["description"]!.GetValue<string>());
        Assert.NotNull(definitions[ModelNames.ObjectMeta]);
        Assert.Equal("""[{"group":"flock.io","kind":"FlockTrainingNodeList","version":"v1alpha1"}]""",
            definitions["io.flock.v1alpha1.FlockTrainingNodeList"]!["x-kubernetes-group-version-kind"]!.ToJsonString());
    }

    [Fact]
    public void V2_drops_what_swagger_cannot_express_from_crd_schemas()
    {
        var cacheSize = Docs.V2()["definitions"]!["io.flock.v1alpha1.FlockTrainingNode"]!["properties"]!["spec"]!["properties"]!["cache"]!["properties"]!["size"]!;

        Assert.Null(cacheSize["anyOf"]);
        Assert.Null(cacheSize["type"]);
        Assert.True(cacheSize["x-kubernetes-int-or-string"]!.GetValue<bool>());
    }

    [Fact]
    public void V2_reflects_builtin_models_with_group_packages_and_json_names()
    {
        var definitions = Docs.V2()["definitions"]!;

        var deployment = definitions["io.k8s.api.apps.v1.Deployment"]!;
        Assert.Equal("""[{"group":"apps","kind":"Deployment","version":"v1"}]""", deployment["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/definitions/io.k8s.api.apps.v1.DeploymentSpec", deployment["properties"]!["spec"]!["$ref"]!.GetValue<string>());
        var spec = definitions["io.k8s.api.apps.v1.DeploymentSpec"]!;
        Assert.Equal("integer", spec["properties"]!["replicas"]!["type"]!.GetValue<string>());
        Assert.Equal("int32", spec["properties"]!["replicas"]!["format"]!.GetValue<string>());
        Assert.Equal(["selector", "template"], Strings(spec["required"]));
        Assert.Equal("#/definitions/io.k8s.api.core.v1.PodTemplateSpec", spec["properties"]!["template"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(definitions["io.k8s.api.core.v1.PodSpec"]);
        Assert.NotNull(definitions["io.k8s.api.core.v1.Event"]);
        Assert.NotNull(definitions["io.k8s.api.events.v1.Event"]);
        Assert.NotNull(definitions["io.k8s.api.autoscaling.v1.Scale"]);
        Assert.Equal("#/definitions/" + ModelNames.Time,
            definitions[ModelNames.ObjectMeta]!["properties"]!["creationTimestamp"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/definitions/" + ModelNames.IntOrString,
            definitions["io.k8s.api.core.v1.HTTPGetAction"]!["properties"]!["port"]!["$ref"]!.GetValue<string>());
        Assert.Equal("byte", definitions["io.k8s.api.core.v1.Secret"]!["properties"]!["data"]!["additionalProperties"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void Model_descriptions_come_from_the_client_documentation()
    {
        Assert.True(ModelDocs.Available, "KubernetesClient.xml was not found");
        var replicas = Docs.V2()["definitions"]!["io.k8s.api.apps.v1.DeploymentSpec"]!["properties"]!["replicas"]!;

        Assert.Equal("Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.",
            replicas["description"]!.GetValue<string>());
    }

    [Fact]
    public void V3_index_points_at_every_group_version_with_the_hash_of_its_document()
    {
        var paths = Docs.V3Index()["paths"]!.AsObject();

        Assert.Contains("api/v1", paths.Select(p => p.Key));
        Assert.Contains("apis/apps/v1", paths.Select(p => p.Key));
        var url = paths["apis/flock.io/v1alpha1"]!["serverRelativeURL"]!.GetValue<string>();
        var hash = OpenApiDocuments.Hash(Docs.V3Bytes("apis/flock.io/v1alpha1")!);
        Assert.Equal($"/openapi/v3/apis/flock.io/v1alpha1?hash={hash}", url);
        Assert.Matches("^[0-9A-F]{128}$", hash);
        Assert.Equal(Encoding.UTF8.GetString(Docs.V3Bytes("apis/flock.io/v1alpha1")!), Docs.V3("apis/flock.io/v1alpha1")!.ToJsonString());
    }

    [Fact]
    public void V3_group_version_document_carries_the_crd_schema_and_what_explain_needs()
    {
        var doc = Docs.V3("/apis/flock.io/v1alpha1/")!;

        Assert.Equal("3.0.0", doc["openapi"]!.GetValue<string>());
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var ftn = schemas["io.flock.v1alpha1.FlockTrainingNode"]!;
        Assert.Equal("""[{"group":"flock.io","kind":"FlockTrainingNode","version":"v1alpha1"}]""", ftn["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/components/schemas/" + ModelNames.ObjectMeta, ftn["properties"]!["metadata"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
        var maxPrice = ftn["properties"]!["spec"]!["properties"]!["placement"]!["properties"]!["akash"]!["properties"]!["maxPrice"]!;
        Assert.Equal("Highest price per block the operator accepts in a bid.", maxPrice["description"]!.GetValue<string>());
        Assert.NotNull(schemas[ModelNames.ObjectMeta]);
        Assert.NotNull(schemas[ModelNames.ListMeta]);
        Assert.DoesNotContain("io.k8s.api.apps.v1.Deployment", schemas.Select(s => s.Key));

        // kubectl explain takes the GVK from the operations on the resource's path ...
        var item = doc["paths"]!["/apis/flock.io/v1alpha1/namespaces/{namespace}/flocktrainingnodes/{name}"]!;
        Assert.Equal("""{"group":"flock.io","kind":"FlockTrainingNode","version":"v1alpha1"}""", item["get"]!["x-kubernetes-group-version-kind"]!.ToJsonString());
        // ... and kubectl's validation verifier looks for fieldValidation on PATCH.
        Assert.Contains(item["patch"]!["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
        Assert.NotNull(doc["paths"]!["/apis/flock.io/v1alpha1/namespaces/{namespace}/flocktrainingnodes/{name}/status"]!["patch"]);
        Assert.NotNull(doc["paths"]!["/apis/flock.io/v1alpha1/flocktrainingnodes"]!["get"]);
    }

    [Fact]
    public void V3_builtin_properties_reference_through_all_of_with_their_description()
    {
        var schemas = Docs.V3("apis/apps/v1")!["components"]!["schemas"]!;

        var spec = schemas["io.k8s.api.apps.v1.Deployment"]!["properties"]!["spec"]!;
        Assert.Equal("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec", spec["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.NotNull(spec["description"]);
        Assert.NotNull(schemas["io.k8s.api.core.v1.PodSpec"]);
        Assert.NotNull(schemas["io.k8s.api.autoscaling.v1.Scale"]);
    }

    [Fact]
    public void List_fields_carry_the_patch_strategies_client_side_apply_needs()
    {
        var schemas = Docs.V3("apis/apps/v1")!["components"]!["schemas"]!;

        var containers = schemas["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal("merge", containers["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Equal("name", containers["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal("containerPort", schemas["io.k8s.api.core.v1.Container"]!["properties"]!["ports"]!["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal("type", schemas["io.k8s.api.apps.v1.DeploymentStatus"]!["properties"]!["conditions"]!["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal("retainKeys", schemas["io.k8s.api.apps.v1.DeploymentSpec"]!["properties"]!["strategy"]!["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Null(schemas["io.k8s.api.core.v1.Container"]!["properties"]!["args"]!["x-kubernetes-patch-strategy"]);
    }

    [Theory]
    [InlineData("api/v1")]
    [InlineData("apis/apps/v1")]
    [InlineData("apis/flock.io/v1alpha1")]
    [InlineData("apis/rbac.authorization.k8s.io/v1")]
    [InlineData("apis/apiextensions.k8s.io/v1")]
    public void Every_reference_in_a_v3_document_resolves_inside_it(string path)
    {
        var doc = Docs.V3(path)!;
        var schemas = doc["components"]!["schemas"]!.AsObject();

        var references = References(doc).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(schemas.ContainsKey(r["#/components/schemas/".Length..]), r));
    }

    [Fact]
    public void V3_hash_is_stable_for_the_same_content_and_changes_with_it()
    {
        var again = new OpenApiDocuments(AllResources);
        Assert.Equal(Docs.V3Hash("apis/flock.io/v1alpha1"), again.V3Hash("apis/flock.io/v1alpha1"));

        var ftn = Custom("FlockTrainingNode");
        var schema = k8s.KubernetesJson.Deserialize<k8s.Models.V1JSONSchemaProps>(k8s.KubernetesJson.Serialize(ftn.Schema));
        schema.Properties["spec"].Description = "changed";
        var changed = new OpenApiDocuments(AllResources.Select(r => r.Kind == "FlockTrainingNode" ? r with { Schema = schema } : r));

        Assert.NotEqual(Docs.V3Hash("apis/flock.io/v1alpha1"), changed.V3Hash("apis/flock.io/v1alpha1"));
        Assert.Equal(Docs.V3Hash("apis/apps/v1"), changed.V3Hash("apis/apps/v1"));
        Assert.Null(Docs.V3Hash("apis/flock.io/v1"));
    }

    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var r))
                    {
                        yield return r;
                    }
                    else
                    {
                        foreach (var nested in References(value))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var nested in References(item))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }
}
