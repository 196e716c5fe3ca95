using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flock.Sandbox.Tests;

public sealed class CustomResourceTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private const string Group = "flock.io";
    private const string Version = "v1alpha1";
    private const string Plural = "flocktrainingnodes";
    private readonly Kubernetes _k = fx.Client;

    private async Task<JsonObject> GetAsync(string ns, string name) =>
        (await _k.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, Plural, name)).AsJson();

    [Fact]
    public async Task Crd_becomes_established_and_served_in_discovery()
    {
        await _k.InstallCrdsAsync();
        var crd = await _k.ApiextensionsV1.ReadCustomResourceDefinitionAsync("flocktrainingnodes.flock.io");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True");
        Assert.Equal("FlockTrainingNode", crd.Status.AcceptedNames.Kind);
        Assert.Equal(["v1alpha1"], crd.Status.StoredVersions);
        var resources = await _k.CustomObjects.GetAPIResourcesAsync(Group, Version);
        var ftn = Assert.Single(resources.Resources, r => r.Name == "flocktrainingnodes");
        Assert.Contains("ftn", ftn.ShortNames);
        Assert.Contains(resources.Resources, r => r.Name == "flocktrainingnodes/status");
    }

    [Fact]
    public async Task Custom_resource_crud_with_generation_and_status_subresource()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        var created = (await _k.CustomObjects.CreateNamespacedCustomObjectAsync(Helpers.TrainingNode("n1", ns), Group, Version, ns, Plural)).AsJson();
        Assert.Equal(1, (long)created["metadata"]!["generation"]!);

        // A status write does not bump generation, and a main-resource write ignores .status.
        var withStatus = created.DeepClone().AsObject();
        withStatus["status"] = new JsonObject { ["phase"] = "Running" };
        var afterStatus = (await _k.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(withStatus, Group, Version, ns, Plural, "n1")).AsJson();
        Assert.Equal("Running", (string?)afterStatus["status"]!["phase"]);
        Assert.Equal(1, (long)afterStatus["metadata"]!["generation"]!);

        var mainWrite = afterStatus.DeepClone().AsObject();
        mainWrite["status"] = new JsonObject { ["phase"] = "Failed" };
        mainWrite["metadata"]!["labels"] = new JsonObject { ["tier"] = "gold" };
        var afterMain = (await _k.CustomObjects.ReplaceNamespacedCustomObjectAsync(mainWrite, Group, Version, ns, Plural, "n1")).AsJson();
        Assert.Equal("Running", (string?)afterMain["status"]!["phase"]);
        Assert.Equal(1, (long)afterMain["metadata"]!["generation"]!);
        Assert.Equal("gold", (string?)afterMain["metadata"]!["labels"]!["tier"]);

        var specPatch = new V1Patch("{\"spec\":{\"taskId\":13}}", V1Patch.PatchType.MergePatch);
        var afterSpec = (await _k.CustomObjects.PatchNamespacedCustomObjectAsync(specPatch, Group, Version, ns, Plural, "n1")).AsJson();
        Assert.Equal(2, (long)afterSpec["metadata"]!["generation"]!);
        Assert.Equal(13, (long)afterSpec["spec"]!["taskId"]!);

        var statusPatch = new V1Patch("{\"spec\":{\"taskId\":99},\"status\":{\"phase\":\"Degraded\"}}", V1Patch.PatchType.MergePatch);
        var afterStatusPatch = (await _k.CustomObjects.PatchNamespacedCustomObjectStatusAsync(statusPatch, Group, Version, ns, Plural, "n1")).AsJson();
        Assert.Equal("Degraded", (string?)afterStatusPatch["status"]!["phase"]);
        Assert.Equal(13, (long)afterStatusPatch["spec"]!["taskId"]!);
        Assert.Equal(2, (long)afterStatusPatch["metadata"]!["generation"]!);

        var list = (await _k.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, ns, Plural)).AsJson();
        Assert.Equal("FlockTrainingNodeList", (string?)list["kind"]);
        Assert.Single(list["items"]!.AsArray());

        await _k.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, "n1");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => GetAsync(ns, "n1"));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("flocktrainingnodes.flock.io \\\"n1\\\" not found", e.Response.Content);
    }

    [Fact]
    public async Task Update_of_a_custom_resource_without_resourceVersion_is_invalid()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        await _k.CustomObjects.CreateNamespacedCustomObjectAsync(Helpers.TrainingNode("n1", ns), Group, Version, ns, Plural);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CustomObjects.ReplaceNamespacedCustomObjectAsync(Helpers.TrainingNode("n1", ns), Group, Version, ns, Plural, "n1"));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", e.Response.Content);
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_unsupported()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        await _k.CustomObjects.CreateNamespacedCustomObjectAsync(Helpers.TrainingNode("n1", ns), Group, Version, ns, Plural);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"taskId\":2}}", V1Patch.PatchType.StrategicMergePatch), Group, Version, ns, Plural, "n1"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, e.Response.StatusCode);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_updates_with_managed_fields()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        var applied = Helpers.TrainingNode("applied", ns);
        var first = (await _k.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch),
            Group, Version, ns, Plural, "applied", fieldManager: "test-manager")).AsJson();
        var managed = first["metadata"]!["managedFields"]!.AsArray();
        Assert.Contains(managed, m => (string?)m!["manager"] == "test-manager" && (string?)m["operation"] == "Apply");

        applied["spec"]!["taskId"] = 42;
        var second = (await _k.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch),
            Group, Version, ns, Plural, "applied", fieldManager: "test-manager")).AsJson();
        Assert.Equal(42, (long)second["spec"]!["taskId"]!);
        Assert.Equal(2, (long)second["metadata"]!["generation"]!);

        // Another manager changing the same field conflicts unless it forces.
        applied["spec"]!["taskId"] = 7;
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch), Group, Version, ns, Plural, "applied", fieldManager: "other"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("Apply failed with", e.Response.Content);
        var forced = (await _k.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch),
            Group, Version, ns, Plural, "applied", fieldManager: "other", force: true)).AsJson();
        Assert.Equal(7, (long)forced["spec"]!["taskId"]!);
    }

    [Fact]
    public async Task Deleting_a_crd_deletes_its_custom_resources()
    {
        // A CRD of its own, so the shared ones stay.
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "widgets.example.com" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "example.com",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Kind = "Widget", Plural = "widgets", Singular = "widget", ListKind = "WidgetList" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1alpha1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["spec"] = new() { Type = "object", XKubernetesPreserveUnknownFields = true },
                                },
                            },
                        },
                    },
                ],
            },
        };
        await _k.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        await Helpers.Eventually(async () => (await _k.Apis.GetAPIVersionsAsync()).Groups.Any(g => g.Name == "example.com"), "widgets served");
        var ns = await _k.NewNamespaceAsync();
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1alpha1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w" },
            ["spec"] = new JsonObject { ["taskIds"] = new JsonArray(1) },
        };
        await _k.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1alpha1", ns, "widgets");

        await _k.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.com");
        await Helpers.Eventually(async () =>
        {
            try
            {
                await _k.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "CRD gone");
        Assert.DoesNotContain((await _k.Apis.GetAPIVersionsAsync()).Groups, g => g.Name == "example.com");
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1alpha1", ns, "widgets"));
        Assert.Equal(HttpStatusCode.NotFound, list.Response.StatusCode);
    }

    [Fact]
    public async Task Table_responses_use_the_printer_columns()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        await _k.CustomObjects.CreateNamespacedCustomObjectAsync(Helpers.TrainingNode("t1", ns), Group, Version, ns, Plural);
        using var http = fx.Server.RawClient();
        using var req = new HttpRequestMessage(HttpMethod.Get, $"/apis/{Group}/{Version}/namespaces/{ns}/{Plural}");
        req.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var resp = await http.SendAsync(req);
        var table = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!;
        Assert.Equal("Table", (string?)table["kind"]);
        var columns = table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]).ToList();
        Assert.Equal(["Name", "Phase", "Task", "Backend", "Staked", "Provider", "Price", "Ready", "Reason", "Age"], columns);
        var row = Assert.Single(table["rows"]!.AsArray());
        Assert.Equal("t1", (string?)row!["cells"]![0]);
        Assert.Equal(12, (long)row["cells"]![2]!);
    }

    [Fact]
    public async Task Schema_defaults_are_applied_and_unknown_fields_pruned()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        var body = Helpers.TrainingNode("d1", ns);
        body["spec"]!["surprise"] = true;
        var created = (await _k.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, ns, Plural)).AsJson();
        Assert.Equal("public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash", (string?)created["spec"]!["image"]);
        Assert.Null(created["spec"]!["surprise"]);

        body = Helpers.TrainingNode("d2", ns);
        body["spec"]!["surprise"] = true;
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, ns, Plural, fieldValidation: "Strict"));
        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Contains("FlockTrainingNode in version \\\"v1alpha1\\\" cannot be handled as a FlockTrainingNode: strict decoding error: unknown field \\\"spec.surprise\\\"", e.Response.Content);
    }

    [Fact]
    public async Task Schema_and_cel_validation_reject_invalid_objects()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        var body = Helpers.TrainingNode("bad", ns);
        body["spec"]!["taskId"] = "not-a-number";
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, ns, Plural));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("FlockTrainingNode.flock.io \\\"bad\\\" is invalid", e.Response.Content);
        Assert.Contains("spec.taskId", e.Response.Content);

        body = Helpers.TrainingNode("bad2", ns);
        body["spec"]!["placement"] = JsonNode.Parse("""
            {"mode":"Akash","akash":{"accountSecretRef":{"name":"w","key":"m"},"maxPrice":{"amount":"10","denom":"uact"},
             "deposit":{"amount":"5","denom":"uakt"}}}
            """);
        e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, ns, Plural));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("deposit.denom must equal maxPrice.denom", e.Response.Content);
    }

    [Fact]
    public async Task Invalid_crds_are_rejected()
    {
        V1CustomResourceDefinition Crd(string name, string rule) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "bad.example.com",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Kind = "Gadget", Plural = "gadgets" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["spec"] = new()
                                    {
                                        Type = "object",
                                        Properties = new Dictionary<string, V1JSONSchemaProps> { ["size"] = new() { Type = "integer" } },
                                        XKubernetesValidations = [new V1ValidationRule { Rule = rule }],
                                    },
                                },
                            },
                        },
                    },
                ],
            },
        };

        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd("gadgets.wrong.example.com", "self.size > 0")));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("must be spec.names.plural+", e.Response.Content);

        e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd("gadgets.bad.example.com", "self.nosuchfield > 0")));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("x-kubernetes-validations", e.Response.Content);

        var ok = await _k.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd("gadgets.bad.example.com", "self.size > 0"));
        Assert.Equal("gadgets.bad.example.com", ok.Metadata.Name);
    }
}
