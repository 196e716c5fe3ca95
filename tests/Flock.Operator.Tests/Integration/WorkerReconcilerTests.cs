using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>The operator against the sandbox API server: children, status, secrets, suspension, deletion.</summary>
public sealed class WorkerReconcilerTests : IClassFixture<Sandbox>
{
    private const string ApiKeyValue = "flock-key-7f3c9a1d5e";
    private const string HfTokenValue = "hf_token_0123456789abcdef";
    private readonly Sandbox _sandbox;

    public WorkerReconcilerTests(Sandbox sandbox) => _sandbox = sandbox;

    private async Task<string> NamespaceAsync()
    {
        await _sandbox.InstallCrdsAsync();
        var name = "rec-" + Guid.NewGuid().ToString("N")[..8];
        await _sandbox.Client().CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private async Task CreateSecretsAsync(string ns)
    {
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "flock", NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["api-key"] = ApiKeyValue },
        }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "hf", NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["username"] = "alice", ["token"] = HfTokenValue },
        }, ns);
    }

    private Task<FlockTrainingNode> CreateNodeAsync(string ns, string name, bool suspend = false)
    {
        var node = StatusWriterTests.NewNode(ns, name);
        node.Spec = node.Spec with { Suspend = suspend };
        return _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode> GetNodeAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private async Task<V1Deployment?> DeploymentAsync(string ns, string name) =>
        (await _sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(ns)).Items.SingleOrDefault(d => d.Metadata.Name == name + "-trainer");

    private static string? Reason(FlockTrainingNode node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Reason;

    [Fact]
    public async Task A_missing_secret_is_reported_then_the_worker_starts_when_it_appears()
    {
        var ns = await NamespaceAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateNodeAsync(ns, "n1");

        await Eventually.TrueAsync(async () => Reason(await GetNodeAsync(ns, "n1"), "Ready") == "SecretNotFound", "SecretNotFound reported");
        var blocked = await GetNodeAsync(ns, "n1");
        await CreateSecretsAsync(ns);
        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "n1") is not null, "Deployment created once the Secrets exist");
        await Eventually.TrueAsync(async () => (await GetNodeAsync(ns, "n1")).Status?.Phase == Phase.Provisioning, "Provisioning");

        Assert.Equal(Phase.Failed, blocked.Status!.Phase);
        Assert.Equal("SecretNotFound", Reason(blocked, "Stalled"));
        Assert.Contains($"Secret {ns}/flock does not exist", blocked.Status.Conditions!.Single(c => c.Type == "Ready").Message);
        Assert.Contains(FlockApi.CleanupFinalizer, blocked.Metadata.Finalizers);
        Assert.Equal(blocked.Metadata.Generation, blocked.Status.ObservedGeneration);
    }

    [Fact]
    public async Task The_deployment_is_owned_by_the_resource_and_carries_no_secret_value()
    {
        var ns = await NamespaceAsync();
        await CreateSecretsAsync(ns);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        var node = await CreateNodeAsync(ns, "n2");

        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "n2") is not null, "Deployment created");
        var deployment = (await DeploymentAsync(ns, "n2"))!;
        var claim = await _sandbox.Client().CoreV1.ReadNamespacedPersistentVolumeClaimAsync("n2-trainer-cache", ns);
        var json = KubernetesJson.Serialize(deployment);

        Assert.Equal(node.Metadata.Uid, Assert.Single(deployment.Metadata.OwnerReferences).Uid);
        Assert.Equal(node.Metadata.Uid, Assert.Single(claim.Metadata.OwnerReferences).Uid);
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.DoesNotContain(ApiKeyValue, json);
        Assert.DoesNotContain(HfTokenValue, json);
        Assert.Equal("flock", deployment.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "FLOCK_API_KEY").ValueFrom.SecretKeyRef.Name);
    }

    [Fact]
    public async Task Rotating_a_key_changes_the_pod_template_so_the_worker_restarts()
    {
        var ns = await NamespaceAsync();
        await CreateSecretsAsync(ns);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateNodeAsync(ns, "n3");
        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "n3") is not null, "Deployment created");
        var before = (await DeploymentAsync(ns, "n3"))!.Spec.Template.Metadata.Annotations[WorkerLabels.SecretVersionsAnnotation];

        var secret = await _sandbox.Client().CoreV1.ReadNamespacedSecretAsync("flock", ns);
        secret.StringData = new Dictionary<string, string> { ["api-key"] = "rotated-" + ApiKeyValue };
        await _sandbox.Client().CoreV1.ReplaceNamespacedSecretAsync(secret, "flock", ns);

        await Eventually.TrueAsync(async () =>
            (await DeploymentAsync(ns, "n3"))!.Spec.Template.Metadata.Annotations[WorkerLabels.SecretVersionsAnnotation] != before, "template annotation changed");
    }

    [Fact]
    public async Task Suspend_scales_to_zero_and_resume_scales_back()
    {
        var ns = await NamespaceAsync();
        await CreateSecretsAsync(ns);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateNodeAsync(ns, "n4", suspend: true);

        await Eventually.TrueAsync(async () => (await GetNodeAsync(ns, "n4")).Status?.Phase == Phase.Suspended, "Suspended");
        await Eventually.TrueAsync(async () => (await DeploymentAsync(ns, "n4"))?.Spec.Replicas == 0, "scaled to zero");
        var suspended = await GetNodeAsync(ns, "n4");
        await _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "n4",
            new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["suspend"] = false } }, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await DeploymentAsync(ns, "n4"))?.Spec.Replicas == 1, "scaled back to one");
        await Eventually.TrueAsync(async () => (await GetNodeAsync(ns, "n4")).Status?.Phase == Phase.Provisioning, "provisioning again");

        Assert.Equal(("True", "Suspended"), (suspended.Status!.Conditions!.Single(c => c.Type == "Ready").Status.ToString(), Reason(suspended, "Ready")));
    }

    [Fact]
    public async Task Deleting_the_resource_removes_its_children_then_its_finalizer()
    {
        var ns = await NamespaceAsync();
        await CreateSecretsAsync(ns);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateNodeAsync(ns, "n5");
        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "n5") is not null, "Deployment created");

        await _sandbox.Rest().DeleteAsync(FlockKinds.TrainingNode.Resource, ns, "n5", CancellationToken.None);

        await Eventually.TrueAsync(async () =>
            await _sandbox.Rest().TryGetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "n5", CancellationToken.None) is null, "resource gone");
        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "n5") is null, "Deployment gone");
        var claims = await _sandbox.Client().CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns);
        Assert.DoesNotContain(claims.Items, c => c.Metadata.Name == "n5-trainer-cache" && c.Metadata.DeletionTimestamp is null);
    }

    [Fact]
    public async Task A_steady_resync_over_100_resources_makes_no_writes()
    {
        var ns = await NamespaceAsync();
        await CreateSecretsAsync(ns);
        await using var op = await OperatorHarness.StartAsync(_sandbox, "--Operator:ResyncSeconds=2");
        for (var i = 0; i < 100; i++) await CreateNodeAsync(ns, $"s{i}");
        await Eventually.TrueAsync(async () =>
        {
            var list = await _sandbox.Rest().ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new ListOptions(), CancellationToken.None);
            return list.Items.Count(n => n.Status?.Phase == Phase.Provisioning && n.Status.ObservedGeneration == n.Metadata.Generation) == 100;
        }, "all 100 reconciled", TimeSpan.FromMinutes(3));

        // Let in-flight events settle, then watch two full resync periods.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var writesBefore = op.Requests.Writes;
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal(writesBefore, op.Requests.Writes);
    }

    [Fact]
    public async Task No_secret_value_reaches_a_log_line_event_or_status()
    {
        var ns = await NamespaceAsync();
        await CreateSecretsAsync(ns);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateNodeAsync(ns, "n6");
        await CreateNodeAsync(ns, "n7", suspend: true);
        await Eventually.TrueAsync(async () => (await GetNodeAsync(ns, "n7")).Status?.Phase == Phase.Suspended, "reconciled");
        await _sandbox.Rest().DeleteAsync(FlockKinds.TrainingNode.Resource, ns, "n6", CancellationToken.None);
        await Eventually.TrueAsync(async () =>
            await _sandbox.Rest().TryGetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "n6", CancellationToken.None) is null, "deleted");

        var events = KubernetesJson.Serialize(await _sandbox.Client().CoreV1.ListNamespacedEventAsync(ns));
        var statuses = KubernetesJson.Serialize((await _sandbox.Rest().ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new ListOptions(), CancellationToken.None)).Items);
        var logs = string.Join("\n", op.Logs.Lines);

        Assert.NotEmpty(op.Logs.Lines);
        foreach (var secret in new[] { ApiKeyValue, HfTokenValue })
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, events);
            Assert.DoesNotContain(secret, statuses);
        }
    }
}
