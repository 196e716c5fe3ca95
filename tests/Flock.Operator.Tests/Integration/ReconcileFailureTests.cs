using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// A pass that throws writes status before it goes back to the queue: Ready=False with a reason naming the step that
/// failed, the last good workload facts kept, observedGeneration not advanced; once the fault is gone it converges.
/// Each failure is injected at the API server, for one kind of request only, as a real API server would refuse it.
/// </summary>
public sealed class ReconcileFailureTests : IClassFixture<Sandbox>
{
    private readonly Sandbox _sandbox;

    public ReconcileFailureTests(Sandbox sandbox) => _sandbox = sandbox;

    private async Task<string> NamespaceWithSecretsAsync()
    {
        await _sandbox.InstallCrdsAsync();
        var ns = "fail-" + Guid.NewGuid().ToString("N")[..8];
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k-fail" },
        }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "hf_fail_token_31d9" },
        }, ns);
        return ns;
    }

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private static Condition? Condition(FlockTrainingNode node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private async Task<T> WithRefusalAsync<T>(Func<string, string, bool> refuse, Func<Task<T>> body)
    {
        _sandbox.Server.Faults.RefuseWhen = refuse;
        try
        {
            return await body();
        }
        finally
        {
            _sandbox.Server.Faults.RefuseWhen = null;
        }
    }

    [Fact]
    public async Task A_refused_finalizer_patch_is_reported_in_status_then_the_worker_starts()
    {
        var ns = await NamespaceWithSecretsAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        var path = $"/apis/flock.io/v1alpha1/namespaces/{ns}/flocktrainingnodes/f1";

        var failed = await WithRefusalAsync((method, p) => method == "PATCH" && p == path, async () =>
        {
            await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, StatusWriterTests.NewNode(ns, "f1"), CancellationToken.None);
            await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "f1"), "Ready")?.Reason == "FinalizerPatchFailed", "the refused finalizer patch in status");
            return await GetAsync(ns, "f1");
        });
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "f1")).Status?.Phase == Phase.Provisioning, "Provisioning once the patch goes through");
        var recovered = await GetAsync(ns, "f1");

        Assert.Equal(Phase.Pending, failed.Status!.Phase);
        Assert.Null(failed.Status.ObservedGeneration);
        Assert.Equal(ConditionStatus.False, Condition(failed, "Ready")!.Status);
        Assert.Equal((ConditionStatus.True, "FinalizerPatchFailed"), (Condition(failed, "Reconciling")!.Status, Condition(failed, "Reconciling")!.Reason));
        Assert.Contains("adding the cleanup finalizer failed", Condition(failed, "Ready")!.Message, StringComparison.Ordinal);
        Assert.Contains("500", Condition(failed, "Ready")!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FlockApi.CleanupFinalizer, failed.Metadata.Finalizers ?? []);
        Assert.Contains(FlockApi.CleanupFinalizer, recovered.Metadata.Finalizers!);
        Assert.Equal(recovered.Metadata.Generation, recovered.Status!.ObservedGeneration);
        Assert.NotEqual("FinalizerPatchFailed", Condition(recovered, "Ready")!.Reason);
        KStatusRules.AssertHold(failed, failed.Status);
        KStatusRules.AssertHold(recovered, recovered.Status);
    }

    [Fact]
    public async Task Failed_auto_placement_is_reported_in_status_then_the_worker_is_placed()
    {
        var ns = await NamespaceWithSecretsAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        var node = StatusWriterTests.NewNode(ns, "f2");
        node.Spec = node.Spec with
        {
            Placement = AkashTestAccount.Placement(PlacementMode.Auto, deposit: false),
        };

        var failed = await WithRefusalAsync((method, p) => method == "GET" && p == "/api/v1/nodes", async () =>
        {
            await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
            await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "f2"), "Ready")?.Reason == "PlacementFailed", "the failed placement in status");
            return await GetAsync(ns, "f2");
        });
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "f2")).Status?.Workload?.PlacementReason?.StartsWith("Auto:", StringComparison.Ordinal) == true,
            "placed once nodes can be listed");

        Assert.Equal(ConditionStatus.False, Condition(failed, "Ready")!.Status);
        Assert.Contains("placement", Condition(failed, "Ready")!.Message, StringComparison.Ordinal);
        Assert.Contains(FlockApi.CleanupFinalizer, failed.Metadata.Finalizers!); // the step before it had succeeded
        KStatusRules.AssertHold(failed, failed.Status);
    }

    [Fact]
    public async Task A_backend_that_throws_leaves_the_last_good_facts_and_names_the_failure()
    {
        var ns = await NamespaceWithSecretsAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, StatusWriterTests.NewNode(ns, "f3"), CancellationToken.None);
        // Until the task and the stake are first read a pass changes nothing; the refused apply must meet a pass that applies.
        await Eventually.TrueAsync(async () =>
        {
            var n = await GetAsync(ns, "f3");
            return n.Status?.Phase == Phase.Provisioning && Condition(n, "TaskOpen")?.Status == ConditionStatus.True
                && Condition(n, "Staked") is { Reason: not "StakePending" };
        }, "Provisioning with the task and stake read: the Deployment exists");
        var good = await GetAsync(ns, "f3");
        var deployments = $"/apis/apps/v1/namespaces/{ns}/deployments";

        // A spec change makes the backend apply the Deployment again, and the API server refuses that apply.
        var failed = await WithRefusalAsync((method, p) => method == "PATCH" && p.StartsWith(deployments, StringComparison.Ordinal), async () =>
        {
            await _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "f3",
                new JsonObject { ["spec"] = new JsonObject { ["image"] = "registry.example/flock/trainer:v2" } }, CancellationToken.None);
            await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "f3"), "Ready")?.Reason == "InClusterBackendFailed", "the refused apply in status");
            return await GetAsync(ns, "f3");
        });
        await Eventually.TrueAsync(async () =>
        {
            var n = await GetAsync(ns, "f3");
            return n.Status?.ObservedGeneration == n.Metadata.Generation && Condition(n, "Ready")?.Reason != "InClusterBackendFailed";
        }, "converged once the apply goes through");
        var deployment = await _sandbox.Client().AppsV1.ReadNamespacedDeploymentAsync("f3-trainer", ns);

        Assert.Equal(Phase.Provisioning, failed.Status!.Phase);
        Assert.Equal(good.Status!.ObservedGeneration, failed.Status.ObservedGeneration);
        Assert.True(failed.Metadata.Generation > failed.Status.ObservedGeneration, "observedGeneration does not advance on a failed pass");
        Assert.Equal(good.Status.Workload, failed.Status.Workload);
        Assert.Equal((ConditionStatus.True, "InClusterBackendFailed"), (Condition(failed, "Reconciling")!.Status, Condition(failed, "Reconciling")!.Reason));
        Assert.Contains("the Kubernetes API answered 500", Condition(failed, "Ready")!.Message, StringComparison.Ordinal);
        Assert.Equal(Condition(good, "WorkloadReady")!.Reason, Condition(failed, "WorkloadReady")!.Reason);
        Assert.Equal("registry.example/flock/trainer:v2", deployment.Spec.Template.Spec.Containers[0].Image);
        KStatusRules.AssertHold(failed, failed.Status);
    }

    /// <summary>
    /// The once-flaky metrics test met this: a status write by another client raced the finalizer patch, which carries
    /// the cached resourceVersion, and the 409 counted as a failed reconcile. A conflict is optimistic concurrency: the
    /// pass looks again at the fresh object, reports nothing and counts no error.
    /// </summary>
    [Fact]
    public async Task A_conflict_on_the_finalizer_patch_is_looked_at_again_not_reported_as_a_failure()
    {
        var ns = await NamespaceWithSecretsAsync();
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, StatusWriterTests.NewNode(ns, "c1"), CancellationToken.None);
        _sandbox.Server.Faults.ConflictNextWrites(1); // the operator's first write is the finalizer patch
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        using var http = new HttpClient();

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "c1")).Status?.Phase == Phase.Provisioning, "Provisioning after the conflict");
        var metrics = Telemetry.Exposition.Parse(await http.GetStringAsync(op.Urls[0] + "/metrics"));
        var events = await _sandbox.Client().CoreV1.ListNamespacedEventAsync(ns);

        Assert.Equal(0, _sandbox.Server.Faults.PendingConflicts);
        Assert.Equal(0, metrics.Sum("controller_runtime_reconcile_errors_total"));
        Assert.DoesNotContain(events.Items, e => ReconcileFailure.Reasons.Contains(e.Reason));
        Assert.Contains(FlockApi.CleanupFinalizer, (await GetAsync(ns, "c1")).Metadata.Finalizers!);
    }
}
