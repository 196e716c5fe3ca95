using System.Text.Json.Nodes;
using Flock.Crds.Serialization;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The product end to end on the simulated cluster: samples become running GPU workers, with
/// scheduling, image and crash problems reported as a person would want to read them.
/// </summary>
public sealed class InClusterWorkloadTests : IClassFixture<ClusterSandbox>, IAsyncLifetime
{
    private readonly ClusterSandbox _sandbox;
    private string _ns = "";
    private OperatorHarness _op = null!;

    public InClusterWorkloadTests(ClusterSandbox sandbox) => _sandbox = sandbox;

    // Each test gets its own namespace and operator; whatever happens, its workers are deleted after it,
    // because the GPUs of the simulated cluster are shared by the tests of this class.
    public async Task InitializeAsync()
    {
        await _sandbox.InstallCrdsAsync();
        _ns = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        await _sandbox.Client().CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = _ns } });
        _op = await OperatorHarness.StartAsync(_sandbox, "--Flock:RequestTimeoutSeconds=1");
    }

    public async Task DisposeAsync()
    {
        try
        {
            await DeleteAllAsync(_ns);
        }
        finally
        {
            await _op.DisposeAsync();
        }
    }

    private Task<string> NamespaceAsync() => Task.FromResult(_ns);

    /// <summary>Applies a sample file into the namespace, with the staking address a user would put there.</summary>
    private async Task<string> ApplySampleAsync(string file, string ns, string stakingAddress)
    {
        var rest = _sandbox.Rest();
        string? name = null;
        foreach (var doc in YamlToJson.ReadAll(await File.ReadAllTextAsync(Path.Combine(Paths.Samples, file))).Cast<JsonObject>())
        {
            doc["metadata"]!["namespace"] = ns;
            var kind = doc["kind"]!.GetValue<string>();
            if (kind == "Secret")
            {
                await rest.CreateAsync(BuiltInKinds.Secret, ns, doc, CancellationToken.None);
                continue;
            }

            doc["spec"]!["staking"]!["address"] = stakingAddress;
            name = doc["metadata"]!["name"]!.GetValue<string>();
            var resource = kind == FlockTrainingNode.KindName ? FlockKinds.TrainingNode.Resource : FlockKinds.Validator.Resource;
            await rest.CreateAsync(resource, ns, doc, CancellationToken.None);
        }

        return name!;
    }

    private Task<T> GetAsync<T>(FlockKind<T> kind, string ns, string name) =>
        _sandbox.Rest().GetAsync<T>(kind.Resource, ns, name, CancellationToken.None);

    private async Task<V1Deployment> DeploymentAsync(string ns, string name) => await _sandbox.Client().AppsV1.ReadNamespacedDeploymentAsync(name, ns);

    private async Task DeleteAllAsync(string ns)
    {
        var rest = _sandbox.Rest();
        foreach (var n in (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new ListOptions(), CancellationToken.None)).Items)
        {
            await rest.DeleteAsync(FlockKinds.TrainingNode.Resource, ns, n.Metadata.Name, CancellationToken.None);
        }

        foreach (var v in (await rest.ListAsync<FlockValidator>(FlockKinds.Validator.Resource, ns, new ListOptions(), CancellationToken.None)).Items)
        {
            await rest.DeleteAsync(FlockKinds.Validator.Resource, ns, v.Metadata.Name, CancellationToken.None);
        }

        // GPUs are shared by the tests of this class: wait until the workers' pods are gone.
        await Eventually.TrueAsync(async () => (await _sandbox.Client().CoreV1.ListNamespacedPodAsync(ns)).Items.Count == 0, "pods gone");
    }

    private static Condition? Condition(IReadOnlyList<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public async Task The_in_cluster_sample_becomes_a_ready_gpu_worker_with_the_expected_deployment()
    {
        var ns = await NamespaceAsync();
        var name = await ApplySampleAsync("training-node-incluster.yaml", ns, _sandbox.Staker.Address);

        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, name)).Status?.Phase == Phase.Running, "Running");
        var node = await GetAsync(FlockKinds.TrainingNode, ns, name);
        var deployment = await DeploymentAsync(ns, name + "-trainer");
        var pod = Assert.Single((await _sandbox.Client().CoreV1.ListNamespacedPodAsync(ns)).Items);

        Assert.Equal(ConditionStatus.True, Condition(node.Status!.Conditions, "Ready")!.Status);
        Assert.Equal(node.Metadata.Generation, node.Status.ObservedGeneration);
        KStatusRules.AssertHold(node, node.Status);
        Assert.Equal((Backend.InCluster, true), (node.Status.Workload!.Backend!.Value, node.Status.Workload.Ready!.Value));
        Assert.Equal(ConditionStatus.True, Condition(node.Status.Conditions, "Staked")!.Status);
        Assert.Equal(ConditionStatus.True, Condition(node.Status.Conditions, "TaskOpen")!.Status);
        Assert.Equal(12, node.Status.Task!.Id);

        // The Deployment, field by field.
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal(FlockTrainingNodeSpec.DefaultImage, container.Image);
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("8", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("24Gi", container.Resources.Requests["memory"].ToString());
        Assert.Equal(["FLOCK_API_KEY", "HF_TOKEN", "HF_USERNAME", "HG_USERNAME", "TASK_ID", "HF_HOME"], container.Env.Select(e => e.Name));
        Assert.Equal(("flock-credentials", "api-key"), (container.Env[0].ValueFrom.SecretKeyRef.Name, container.Env[0].ValueFrom.SecretKeyRef.Key));
        Assert.Equal("12", container.Env.Single(e => e.Name == "TASK_ID").Value);
        Assert.Equal("/data", Assert.Single(container.VolumeMounts).MountPath);
        Assert.Equal("nvidia.com/gpu", Assert.Single(deployment.Spec.Template.Spec.Tolerations).Key);
        var products = deployment.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Values;
        Assert.Contains("NVIDIA-H100-80GB-HBM3", products);
        Assert.Equal("12", deployment.Spec.Template.Metadata.Labels["flock.io/task-id"]);
        Assert.Equal(node.Metadata.Uid, Assert.Single(deployment.Metadata.OwnerReferences).Uid);
        Assert.StartsWith("gpu-", pod.Spec.NodeName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_validator_sample_runs_on_three_tasks()
    {
        var ns = await NamespaceAsync();
        var name = await ApplySampleAsync("validator.yaml", ns, _sandbox.ValidatorStaker.Address);

        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.Validator, ns, name)).Status?.Phase == Phase.Running, "Running");
        var validator = await GetAsync(FlockKinds.Validator, ns, name);
        var container = (await DeploymentAsync(ns, name + "-validator")).Spec.Template.Spec.Containers[0];

        Assert.Equal("7,8,9", container.Env.Single(e => e.Name == "TASK_ID").Value);
        Assert.Equal([7L, 8L, 9L], validator.Status!.Tasks!.Select(t => t.Id));
        Assert.Equal(3, validator.Status.Staking!.Tasks!.Count);
        Assert.True(validator.Status.Staking.Eligible);
    }

    [Fact]
    public async Task A_third_gpu_worker_on_two_gpu_nodes_is_unschedulable_until_a_gpu_node_joins()
    {
        var ns = await NamespaceAsync();
        for (var i = 0; i < 3; i++) await CreateNodeAsync(ns, $"w{i}");

        string? waiting = null;
        await Eventually.TrueAsync(async () =>
        {
            var nodes = (await _sandbox.Rest().ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new ListOptions(), CancellationToken.None)).Items;
            waiting = nodes.SingleOrDefault(n => Condition(n.Status?.Conditions, "Ready")?.Reason == "Unschedulable")?.Metadata.Name;
            return waiting is not null && nodes.Count(n => n.Status?.Phase == Phase.Running) == 2;
        }, "two Running, one Unschedulable");
        var blocked = await GetAsync(FlockKinds.TrainingNode, ns, waiting!);

        Assert.Equal(Phase.Provisioning, blocked.Status!.Phase);
        KStatusRules.AssertHold(blocked, blocked.Status);
        Assert.Contains("Insufficient nvidia.com/gpu", Condition(blocked.Status.Conditions, "Ready")!.Message);
        Assert.Equal(ConditionStatus.True, Condition(blocked.Status.Conditions, "Reconciling")!.Status);

        await _sandbox.Cluster.AddNodeAsync(NodeSpec.H100("gpu-h100-extra"));
        try
        {
            await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, waiting!)).Status?.Phase == Phase.Running, "Running on the new node");
            await DeleteAllAsync(ns);
        }
        finally
        {
            await _sandbox.Cluster.RemoveNodeAsync("gpu-h100-extra");
        }
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_is_reported()
    {
        var ns = await NamespaceAsync();
        const string image = "registry.invalid/flock/missing:1";
        _sandbox.Cluster.Kubelet.FailImagePull(image);
        await CreateNodeAsync(ns, "bad-image", image);

        await Eventually.TrueAsync(async () => Condition((await GetAsync(FlockKinds.TrainingNode, ns, "bad-image")).Status?.Conditions, "Stalled")?.Reason == "ImagePullFailed", "ImagePullFailed");
        var node = await GetAsync(FlockKinds.TrainingNode, ns, "bad-image");

        Assert.Equal(Phase.Failed, node.Status!.Phase);
        Assert.Contains(image, Condition(node.Status.Conditions, "Ready")!.Message);
        KStatusRules.AssertHold(node, node.Status);
        // The event follows the status write of the same reconcile.
        await Eventually.TrueAsync(async () => (await _sandbox.Client().CoreV1.ListNamespacedEventAsync(ns)).Items
            .Any(e => e.InvolvedObject.Name == "bad-image" && e.Reason == "ImagePullFailed" && e.Type == "Warning"), "Warning event");
    }

    [Fact]
    public async Task A_crash_loop_is_reported_with_its_exit_code()
    {
        var ns = await NamespaceAsync();
        const string image = "registry.invalid/flock/crashes:1";
        _sandbox.Cluster.Kubelet.CrashLoop(image, 3);
        await CreateNodeAsync(ns, "crasher", image);

        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "crasher")).Status?.Phase == Phase.Degraded, "Degraded");
        var node = await GetAsync(FlockKinds.TrainingNode, ns, "crasher");

        Assert.Equal("CrashLoopBackOff", Condition(node.Status!.Conditions, "Stalled")!.Reason);
        KStatusRules.AssertHold(node, node.Status);
        Assert.Contains("last exit code 3", Condition(node.Status.Conditions, "Ready")!.Message);
        Assert.True(node.Status.Workload!.Restarts >= 1);
    }

    [Fact]
    public async Task A_validator_exiting_with_101_is_stalled_with_the_reason()
    {
        var ns = await NamespaceAsync();
        const string image = "registry.invalid/flock/validator-disk-full:1";
        _sandbox.Cluster.Kubelet.CrashLoop(image, 101);
        var name = await ApplySampleAsync("validator.yaml", ns, _sandbox.ValidatorStaker.Address);
        await _sandbox.Rest().MergePatchAsync<FlockValidator>(FlockKinds.Validator.Resource, ns, name,
            new JsonObject { ["spec"] = new JsonObject { ["image"] = image } }, CancellationToken.None);

        await Eventually.TrueAsync(async () => Condition((await GetAsync(FlockKinds.Validator, ns, name)).Status?.Conditions, "Stalled")?.Reason == "ValidatorFatalExit", "ValidatorFatalExit");

        Assert.Contains("disk is full", Condition((await GetAsync(FlockKinds.Validator, ns, name)).Status!.Conditions, "Stalled")!.Message);
    }

    [Fact]
    public async Task Flock_api_failures_degrade_a_running_worker_without_touching_it_and_it_recovers()
    {
        var ns = await NamespaceAsync();
        await CreateNodeAsync(ns, "steady");
        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "steady")).Status?.Phase == Phase.Running, "Running");
        var pod = Assert.Single((await _sandbox.Client().CoreV1.ListNamespacedPodAsync(ns)).Items);

        var reasons = new List<string>();
        foreach (var (fault, reason) in new (Action Inject, string Reason)[]
                 {
                     (() => _sandbox.FlockApi.Faults.FailAll(503), "FlockApiUnavailable"),
                     (() => _sandbox.FlockApi.Faults.FailAll(429), "FlockApiRateLimited"),
                     (() => _sandbox.FlockApi.Faults.Latency = TimeSpan.FromSeconds(3), "FlockApiUnavailable"),
                 })
        {
            fault();
            try
            {
                await Eventually.TrueAsync(async () =>
                {
                    var n = await GetAsync(FlockKinds.TrainingNode, ns, "steady");
                    return n.Status?.Phase == Phase.Degraded && Condition(n.Status.Conditions, "TaskOpen")?.Reason == reason;
                }, $"Degraded with {reason}");
                reasons.Add(reason);
            }
            finally
            {
                _sandbox.FlockApi.Faults.Reset();
            }

            await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "steady")).Status?.Phase == Phase.Running, "Running again");
        }

        var after = Assert.Single((await _sandbox.Client().CoreV1.ListNamespacedPodAsync(ns)).Items);
        Assert.Equal(["FlockApiUnavailable", "FlockApiRateLimited", "FlockApiUnavailable"], reasons);
        Assert.Equal(pod.Metadata.Uid, after.Metadata.Uid);
        Assert.Equal(0, after.Status.ContainerStatuses[0].RestartCount);
    }

    [Fact]
    public async Task A_one_shot_image_runs_as_a_job_per_slot_and_waits_for_the_next_slot()
    {
        var ns = await NamespaceAsync();
        const string image = "registry.invalid/flock/training-quickstart:oneshot";
        _sandbox.Cluster.Kubelet.ExitWith(image, 0);
        var node = StatusWriterTests.NewNode(ns, "daily", _sandbox.Staker.Address, StakeGate.Required);
        node.Spec = node.Spec with { Image = image, Schedule = new TrainingSchedule { SubmissionsPerDay = 6 } };
        await CreateWithSecretsAsync(ns, node);

        await Eventually.TrueAsync(async () => Condition((await GetAsync(FlockKinds.TrainingNode, ns, "daily")).Status?.Conditions, "Ready")?.Reason == "Scheduled"
            && (await _sandbox.Client().BatchV1.ListNamespacedJobAsync(ns)).Items.Count == 1, "waiting for the next slot");
        var jobs = (await _sandbox.Client().BatchV1.ListNamespacedJobAsync(ns)).Items;
        var waiting = await GetAsync(FlockKinds.TrainingNode, ns, "daily");
        var slot = RunSlot.At(DateTimeOffset.UtcNow, 6);

        var job = Assert.Single(jobs);
        Assert.Equal($"daily-trainer-{slot.Id}", job.Metadata.Name);
        Assert.Contains(job.Status.Conditions, c => c.Type == "Complete" && c.Status == "True");
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal((long)TimeSpan.FromHours(4).TotalSeconds, job.Spec.ActiveDeadlineSeconds);
        Assert.Empty((await _sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(ns)).Items);
        Assert.Equal(Phase.Running, waiting.Status!.Phase);
        Assert.Contains($"{slot.End:u}", Condition(waiting.Status.Conditions, "Ready")!.Message);
    }

    [Fact]
    public async Task A_scheduled_worker_stops_its_run_when_the_submission_phase_ends()
    {
        var ns = await NamespaceAsync();
        const string image = "registry.invalid/flock/training-quickstart:long-run";
        var taskId = Random.Shared.NextInt64(5_000_000, 6_000_000);
        _sandbox.FlockApi.AddTask(SimulatedTask.Open(taskId, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)));
        await _sandbox.Evm.CreateTaskAsync(taskId);
        await _sandbox.Evm.StakeAsNodeAsync(_sandbox.Staker, taskId, 3000 * EvmSandbox.OneToken);
        var node = StatusWriterTests.NewNode(ns, "closing", _sandbox.Staker.Address, StakeGate.Required);
        node.Spec = node.Spec with { TaskId = taskId, Image = image, Schedule = new TrainingSchedule { SubmissionsPerDay = 1 } };
        await CreateWithSecretsAsync(ns, node);
        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "closing")).Status?.Workload?.Ready == true, "run in progress");

        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "closing")).Status?.Phase == Phase.TaskClosed, "TaskClosed");
        // No run is left running once the phase is over (finished runs stay as history).
        await Eventually.TrueAsync(async () => (await _sandbox.Client().BatchV1.ListNamespacedJobAsync(ns)).Items
            .All(j => j.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true), "no active run");
    }

    [Fact]
    public async Task A_missing_secret_is_reported_then_the_worker_runs_once_it_exists()
    {
        var ns = await NamespaceAsync();
        var node = StatusWriterTests.NewNode(ns, "late-secret", _sandbox.Staker.Address, StakeGate.Required);
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
        await Eventually.TrueAsync(async () => Condition((await GetAsync(FlockKinds.TrainingNode, ns, "late-secret")).Status?.Conditions, "Ready")?.Reason == "SecretNotFound", "SecretNotFound");

        await CreateWithSecretsAsync(ns, null);

        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "late-secret")).Status?.Phase == Phase.Running, "Running");
    }

    [Fact]
    public async Task Rotating_a_key_replaces_the_running_pod()
    {
        var ns = await NamespaceAsync();
        await CreateNodeAsync(ns, "rotated");
        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "rotated")).Status?.Phase == Phase.Running, "Running");
        var before = Assert.Single((await _sandbox.Client().CoreV1.ListNamespacedPodAsync(ns)).Items);

        var secret = await _sandbox.Client().CoreV1.ReadNamespacedSecretAsync("flock", ns);
        secret.StringData = new Dictionary<string, string> { ["api-key"] = "rotated-key" };
        await _sandbox.Client().CoreV1.ReplaceNamespacedSecretAsync(secret, "flock", ns);

        await Eventually.TrueAsync(async () =>
        {
            var pods = (await _sandbox.Client().CoreV1.ListNamespacedPodAsync(ns)).Items;
            return pods.Count == 1 && pods[0].Metadata.Uid != before.Metadata.Uid && pods[0].Status?.Phase == "Running";
        }, "a new pod runs");
        await Eventually.TrueAsync(async () => (await GetAsync(FlockKinds.TrainingNode, ns, "rotated")).Status?.Phase == Phase.Running, "Running again");
    }

    private async Task<FlockTrainingNode> CreateNodeAsync(string ns, string name, string? image = null)
    {
        var node = StatusWriterTests.NewNode(ns, name, _sandbox.Staker.Address, StakeGate.Required);
        node.Spec = node.Spec with { Image = image ?? FlockTrainingNodeSpec.DefaultImage };
        return (await CreateWithSecretsAsync(ns, node))!;
    }

    private async Task<FlockTrainingNode?> CreateWithSecretsAsync(string ns, FlockTrainingNode? node)
    {
        var client = _sandbox.Client();
        if ((await client.CoreV1.ListNamespacedSecretAsync(ns)).Items.All(s => s.Metadata.Name != "flock"))
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k" } }, ns);
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "t" } }, ns);
        }

        return node is null ? null : await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }
}
