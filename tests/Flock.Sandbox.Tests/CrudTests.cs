using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flock.Sandbox.Tests;

public sealed class CrudTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private readonly Kubernetes _k = fx.Client;

    private static async Task<HttpStatusCode> StatusOf(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        return e.Response.StatusCode;
    }

    [Fact]
    public async Task Namespace_secret_and_deployment_round_trip()
    {
        var ns = await _k.NewNamespaceAsync();
        var created = await _k.CoreV1.ReadNamespaceAsync(ns);
        Assert.Equal("Active", created.Status.Phase);
        Assert.Equal(ns, created.Metadata.Labels["kubernetes.io/metadata.name"]);

        var secret = await _k.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            StringData = new Dictionary<string, string> { ["api-key"] = "s3cret" },
        }, ns);
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(secret.Data["api-key"]));
        Assert.False(string.IsNullOrEmpty(secret.Metadata.Uid));
        Assert.NotNull(secret.Metadata.CreationTimestamp);

        var deployment = await _k.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        }, ns);
        Assert.Equal(1, deployment.Metadata.Generation);
        Assert.Equal(1, deployment.Spec.Replicas);

        var list = await _k.AppsV1.ListNamespacedDeploymentAsync(ns);
        Assert.Equal("web", Assert.Single(list.Items).Metadata.Name);
        // As from a real apiserver, items of a built-in list carry no kind/apiVersion.
        Assert.Null(list.Items[0].Kind);
        Assert.Null(list.Items[0].ApiVersion);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));

        deployment.Spec.Replicas = 3;
        var updated = await _k.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", ns);
        Assert.Equal(2, updated.Metadata.Generation);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion) > long.Parse(deployment.Metadata.ResourceVersion));

        await _k.AppsV1.DeleteNamespacedDeploymentAsync("web", ns);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(() => _k.AppsV1.ReadNamespacedDeploymentAsync("web", ns)));
        await _k.CoreV1.DeleteNamespacedSecretAsync("creds", ns);
        Assert.Empty((await _k.CoreV1.ListNamespacedSecretAsync(ns)).Items);
    }

    [Fact]
    public async Task Create_in_missing_namespace_is_not_found_and_duplicates_conflict()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "does-not-exist"));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("namespaces \\\"does-not-exist\\\" not found", e.Response.Content);

        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, ns);
        var dup = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, ns));
        Assert.Equal(HttpStatusCode.Conflict, dup.Response.StatusCode);
        Assert.Contains("AlreadyExists", dup.Response.Content);
    }

    [Fact]
    public async Task GenerateName_gets_a_five_character_suffix()
    {
        var ns = await _k.NewNamespaceAsync();
        var a = await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cfg-" } }, ns);
        var b = await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cfg-" } }, ns);
        Assert.Matches("^cfg-[a-z0-9]{5}$", a.Metadata.Name);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Resource_versions_increase_across_the_cluster()
    {
        var ns = await _k.NewNamespaceAsync();
        var a = await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, ns);
        var b = await _k.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "b" } }, ns);
        Assert.True(long.Parse(b.Metadata.ResourceVersion) > long.Parse(a.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Stale_update_conflicts()
    {
        var ns = await _k.NewNamespaceAsync();
        var cm = await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c" },
            Data = new Dictionary<string, string> { ["k"] = "1" },
        }, ns);
        var stale = await _k.CoreV1.ReadNamespacedConfigMapAsync("c", ns);
        cm.Data["k"] = "2";
        await _k.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "c", ns);
        stale.Data["k"] = "3";
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "c", ns));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", e.Response.Content);
        Assert.Equal("2", (await _k.CoreV1.ReadNamespacedConfigMapAsync("c", ns)).Data["k"]);
    }

    [Fact]
    public async Task Merge_json_and_strategic_patches_apply()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        }, ns);
        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"b\":null,\"c\":\"3\"}}", V1Patch.PatchType.MergePatch), "p", ns);
        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"10\"}]", V1Patch.PatchType.JsonPatch), "p", ns);
        var cm = await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", V1Patch.PatchType.StrategicMergePatch), "p", ns);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "10", ["c"] = "3" }, cm.Data);
        Assert.Equal("y", cm.Metadata.Labels["x"]);
    }

    [Fact]
    public async Task DryRun_does_not_persist()
    {
        var ns = await _k.NewNamespaceAsync();
        var cm = await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "d" } }, ns, dryRun: "All");
        Assert.Equal("d", cm.Metadata.Name);
        Assert.DoesNotContain((await _k.CoreV1.ListNamespacedConfigMapAsync(ns)).Items, i => i.Metadata.Name == "d");
    }

    [Fact]
    public async Task Strict_field_validation_rejects_unknown_fields()
    {
        var ns = await _k.NewNamespaceAsync();
        var body = new V1Patch("{\"data\":{\"a\":\"1\"},\"spec\":{\"foo\":1}}", V1Patch.PatchType.MergePatch);
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "v" } }, ns);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CoreV1.PatchNamespacedConfigMapAsync(body, "v", ns, fieldValidation: "Strict"));
        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Contains("strict decoding error: unknown field \\\"spec\\\"", e.Response.Content);

        var warned = await _k.CoreV1.PatchNamespacedConfigMapWithHttpMessagesAsync(body, "v", ns, fieldValidation: "Warn");
        Assert.Contains(warned.Response.Headers.GetValues("Warning"), w => w.Contains("unknown field \\\"spec\\\"", StringComparison.Ordinal));
        Assert.Equal("1", warned.Body.Data["a"]);
    }

    [Fact]
    public async Task Unauthenticated_requests_get_401_status()
    {
        using var anonymous = fx.Server.CreateClient("not-a-token");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => anonymous.CoreV1.ListNamespaceAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Unauthorized", (string?)status["reason"]);
    }

    [Fact]
    public async Task Version_is_v1_32()
    {
        var v = await _k.Version.GetCodeAsync();
        Assert.Equal("1", v.Major);
        Assert.Equal("32", v.Minor);
        Assert.StartsWith("v1.32", v.GitVersion);
    }

    [Fact]
    public async Task Deployment_scale_subresource_reads_and_writes_replicas()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        }, ns);
        var scale = await _k.AppsV1.ReadNamespacedDeploymentScaleAsync("web", ns);
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("app=web", scale.Status.Selector);
        await _k.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":5}}", V1Patch.PatchType.MergePatch), "web", ns);
        Assert.Equal(5, (await _k.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task Invalid_labels_owner_references_and_immutable_fields_are_rejected()
    {
        var ns = await _k.NewNamespaceAsync();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "l", Labels = new Dictionary<string, string> { ["app"] = new string('x', 64) } },
        }, ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("must be no more than 63 characters", e.Response.Content);

        e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "o", OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "x" }] },
        }, ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("metadata.ownerReferences.uid: Invalid value: \\\"\\\": uid must not be empty", e.Response.Content);

        var secret = await _k.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "frozen" },
            Immutable = true,
            StringData = new Dictionary<string, string> { ["k"] = "v" },
        }, ns);
        secret.Data["k"] = "w"u8.ToArray();
        e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.ReplaceNamespacedSecretAsync(secret, "frozen", ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("field is immutable when `immutable` is set", e.Response.Content);

        await _k.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
        }, ns);
        await _k.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.37\"}]}}",
            V1Patch.PatchType.StrategicMergePatch), "p", ns);
        e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("{\"spec\":{\"restartPolicy\":\"Never\"}}", V1Patch.PatchType.MergePatch), "p", ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Contains("pod updates may not change fields other than", e.Response.Content);
    }
}
