using k8s;
using k8s.Models;

namespace Flock.Cluster.Tests.Integration;

public class DeploymentTests : ClusterTestBase
{
    [Fact]
    public async Task Gpu_deployment_becomes_available_with_a_running_ready_pod_on_a_gpu_node()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("trainer"), Ns);

        var d = await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("trainer", Ns),
            d => Condition(d, "Available")?.Status == "True" && Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable", "Available deployment");

        Assert.Equal((1, 1, 1, 1), (d.Status.Replicas, d.Status.UpdatedReplicas, d.Status.ReadyReplicas, d.Status.AvailableReplicas));
        Assert.Equal(d.Metadata.Generation, d.Status.ObservedGeneration);
        Assert.Equal("MinimumReplicasAvailable", Condition(d, "Available")!.Reason);
        Assert.Equal("1", d.Metadata.Annotations["deployment.kubernetes.io/revision"]);

        var rs = Assert.Single((await Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items);
        var hash = rs.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"trainer-{hash}", rs.Metadata.Name);
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal(("Deployment", "trainer", d.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller == true));

        var pod = Assert.Single(await PodsAsync("app=trainer"));
        Assert.True(IsRunningAndReady(pod));
        Assert.StartsWith($"{rs.Metadata.Name}-", pod.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(hash, pod.Metadata.Labels["pod-template-hash"]);
        Assert.Equal(rs.Metadata.Uid, pod.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid);
        var node = await Client.CoreV1.ReadNodeAsync(pod.Spec.NodeName);
        Assert.Equal("1", node.Status.Allocatable["nvidia.com/gpu"].ToString());
        Assert.NotNull(pod.Status.PodIP);
        Assert.NotNull(pod.Status.StartTime);
        var cs = Assert.Single(pod.Status.ContainerStatuses);
        Assert.True(cs.Ready);
        Assert.NotNull(cs.State.Running);
        Assert.Contains(pod.Status.Conditions, c => c is { Type: "PodScheduled", Status: "True" });
        Assert.Contains(await EventsForAsync(pod.Metadata.Name), e => e.Reason == "Scheduled" &&
            e.Message == $"Successfully assigned {Ns}/{pod.Metadata.Name} to {pod.Spec.NodeName}" && e.Source.Component == "default-scheduler");
    }

    [Fact]
    public async Task Third_gpu_deployment_is_unschedulable_until_a_gpu_node_is_added()
    {
        // Like the operator's workers: one GPU each, only on nodes that have GPUs.
        static V1Deployment OnGpuNodes(string name)
        {
            var d = GpuDeployment(name);
            d.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "true" };
            return d;
        }

        foreach (var name in new[] { "a", "b" })
        {
            await Client.AppsV1.CreateNamespacedDeploymentAsync(OnGpuNodes(name), Ns);
            await EventuallyAsync(() => PodsAsync($"app={name}"), pods => pods.Count == 1 && IsRunningAndReady(pods[0]), $"pod of {name} ready");
        }

        await Client.AppsV1.CreateNamespacedDeploymentAsync(OnGpuNodes("c"), Ns);
        var pending = await EventuallyAsync(() => PodsAsync("app=c"),
            pods => pods.Count == 1 && pods[0].Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Status: "False", Reason: "Unschedulable" }) == true,
            "unschedulable pod");
        const string message = "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient nvidia.com/gpu. " +
                               "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
        Assert.Equal(message, pending[0].Status.Conditions.Single(c => c.Type == "PodScheduled").Message);
        Assert.Equal("Pending", pending[0].Status.Phase);
        Assert.True(string.IsNullOrEmpty(pending[0].Spec.NodeName));
        var failed = await EventuallyAsync(() => EventsForAsync(pending[0].Metadata.Name), evs => evs.Any(e => e.Reason == "FailedScheduling"), "FailedScheduling event");
        var ev = failed.First(e => e.Reason == "FailedScheduling");
        Assert.Equal(("Warning", message, "default-scheduler"), (ev.Type, ev.Message, ev.Source.Component));
        var c = await Client.AppsV1.ReadNamespacedDeploymentAsync("c", Ns);
        Assert.Equal("False", Condition(c, "Available")?.Status);

        // The scheduler keeps retrying; repeats are aggregated into the same Event (count, lastTimestamp), as client-go does.
        await EventuallyAsync(() => EventsForAsync(pending[0].Metadata.Name),
            evs => evs.Count(e => e.Reason == "FailedScheduling") == 1 && evs.Single(e => e.Reason == "FailedScheduling").Count >= 2, "aggregated FailedScheduling");

        await Cluster.AddNodeAsync(Sandbox.Cluster.NodeSpec.H100("gpu-h100-1"));

        var ready = await EventuallyAsync(() => PodsAsync("app=c"), pods => pods.Count == 1 && IsRunningAndReady(pods[0]), "pod of c ready");
        Assert.Equal("gpu-h100-1", ready[0].Spec.NodeName);
        await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("c", Ns), d => Condition(d, "Available")?.Status == "True", "c available");
    }

    [Fact]
    public async Task Deleting_a_deployment_removes_its_replica_sets_and_pods()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("gone"), Ns);
        await EventuallyAsync(() => PodsAsync("app=gone"), pods => pods.Count == 1 && IsRunningAndReady(pods[0]), "pod ready");

        await Client.AppsV1.DeleteNamespacedDeploymentAsync("gone", Ns);

        await EventuallyAsync(() => PodsAsync("app=gone"), pods => pods.Count == 0, "pods gone");
        Assert.Empty((await Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items);
    }

    [Fact]
    public async Task Recreate_rollout_removes_the_old_pod_before_starting_the_new_one()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("worker", image: "ghcr.io/flock-io/trainer:1"), Ns);
        var first = await EventuallyAsync(() => PodsAsync("app=worker"), pods => pods.Count == 1 && IsRunningAndReady(pods[0]), "first pod ready");

        // A JSON patch carries no resourceVersion, so it cannot race the controller's status writes as a read-then-replace would.
        await Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"ghcr.io/flock-io/trainer:2"}]""", V1Patch.PatchType.JsonPatch),
            "worker", Ns);

        var second = await EventuallyAsync(() => PodsAsync("app=worker"),
            pods => pods.Count == 1 && pods[0].Metadata.Uid != first[0].Metadata.Uid && IsRunningAndReady(pods[0]), "new pod ready");
        Assert.Equal("ghcr.io/flock-io/trainer:2", second[0].Spec.Containers[0].Image);
        var done = await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("worker", Ns),
            x => Condition(x, "Progressing")?.Reason == "NewReplicaSetAvailable" && x.Status.ObservedGeneration == x.Metadata.Generation, "rollout complete");
        Assert.Equal("2", done.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var sets = (await Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items;
        Assert.Equal(2, sets.Count);
        Assert.Contains(sets, rs => rs.Spec.Replicas == 0 && rs.Metadata.Annotations["deployment.kubernetes.io/revision"] == "1");
        Assert.Contains(sets, rs => rs.Spec.Replicas == 1 && rs.Metadata.Annotations["deployment.kubernetes.io/revision"] == "2");

        // Recreate: the new ReplicaSet's pod was created only after the old pod was gone (both need the node's one GPU anyway).
        var events = await EventsForAsync("worker");
        Assert.Contains(events, e => e.Reason == "ScalingReplicaSet" && e.Message.StartsWith("Scaled down replica set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rolling_update_surges_a_new_pod_then_scales_the_old_one_down()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("web", image: "nginx:1.26", gpus: 0, strategy: "RollingUpdate", replicas: 2), Ns);
        await EventuallyAsync(() => PodsAsync("app=web"), pods => pods.Count == 2 && pods.All(IsRunningAndReady), "two pods ready");

        var patch = new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"worker\",\"image\":\"nginx:1.27\"}]}}}}", V1Patch.PatchType.StrategicMergePatch);
        await Client.AppsV1.PatchNamespacedDeploymentAsync(patch, "web", Ns);

        await EventuallyAsync(() => PodsAsync("app=web"),
            pods => pods.Count == 2 && pods.All(p => p.Spec.Containers[0].Image == "nginx:1.27" && IsRunningAndReady(p)), "updated pods ready");
        var d = await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns),
            x => Condition(x, "Progressing")?.Reason == "NewReplicaSetAvailable", "rollout complete");
        Assert.Equal((2, 2, 2), (d.Status.Replicas, d.Status.UpdatedReplicas, d.Status.AvailableReplicas));
    }

    [Fact]
    public async Task Scaling_to_zero_deletes_the_pods()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("idle"), Ns);
        await EventuallyAsync(() => PodsAsync("app=idle"), pods => pods.Count == 1 && IsRunningAndReady(pods[0]), "pod ready");

        var patch = new V1Patch("{\"spec\":{\"replicas\":0}}", V1Patch.PatchType.MergePatch);
        await Client.AppsV1.PatchNamespacedDeploymentAsync(patch, "idle", Ns);

        await EventuallyAsync(() => PodsAsync("app=idle"), pods => pods.Count == 0, "pods gone");
        var d = await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("idle", Ns),
            x => (x.Status.Replicas ?? 0) == 0 && x.Status.ObservedGeneration == x.Metadata.Generation, "status at zero");
        Assert.Equal("True", Condition(d, "Available")?.Status);
    }
}
