using k8s;
using k8s.Models;

namespace Flock.Cluster.Tests.Integration;

public class KubeletTests : ClusterTestBase
{
    [Fact]
    public async Task Missing_image_shows_ErrImagePull_then_ImagePullBackOff_and_the_deployment_stays_unavailable()
    {
        Cluster.Kubelet.FailImagePull("ghcr.io/flock-io/trainer:nope");
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("bad", image: "ghcr.io/flock-io/trainer:nope"), Ns);

        static string? Waiting(IList<V1Pod> pods) => pods.Count == 1 ? pods[0].Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason : null;
        await EventuallyAsync(() => PodsAsync("app=bad"), pods => Waiting(pods) == "ErrImagePull", "ErrImagePull");
        var pods = await EventuallyAsync(() => PodsAsync("app=bad"), pods => Waiting(pods) == "ImagePullBackOff", "ImagePullBackOff");

        var pod = pods[0];
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("Back-off pulling image \"ghcr.io/flock-io/trainer:nope\"", pod.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Contains(pod.Status.Conditions, c => c is { Type: "Ready", Status: "False", Reason: "ContainersNotReady" });
        var events = await EventsForAsync(pod.Metadata.Name);
        Assert.Contains(events, e => e is { Reason: "Failed", Type: "Warning" } && e.Message.StartsWith("Failed to pull image \"ghcr.io/flock-io/trainer:nope\"", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "BackOff" && e.Message == "Back-off pulling image \"ghcr.io/flock-io/trainer:nope\"" && e.Source.Component == "kubelet");
        var d = await Client.AppsV1.ReadNamespacedDeploymentAsync("bad", Ns);
        Assert.Equal(("False", "MinimumReplicasUnavailable"), (Condition(d, "Available")?.Status, Condition(d, "Available")?.Reason));

        // Fixing the image (here: the registry starts serving it) lets the next pull succeed.
        Cluster.Kubelet.Heal("ghcr.io/flock-io/trainer:nope");
        await EventuallyAsync(() => PodsAsync("app=bad"), ps => ps.Count == 1 && IsRunningAndReady(ps[0]), "pod running after heal");
    }

    [Fact]
    public async Task Crashing_container_reports_CrashLoopBackOff_with_restart_count_and_last_exit_code()
    {
        Cluster.Kubelet.CrashLoop("ghcr.io/flock-io/trainer:crash", 137);
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("crash", image: "ghcr.io/flock-io/trainer:crash"), Ns);

        var pods = await EventuallyAsync(() => PodsAsync("app=crash"),
            ps => ps.Count == 1 && ps[0].Status?.ContainerStatuses?.FirstOrDefault() is { State.Waiting.Reason: "CrashLoopBackOff", RestartCount: >= 1 },
            "CrashLoopBackOff");

        var pod = pods[0];
        var cs = pod.Status.ContainerStatuses[0];
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(137, cs.LastState.Terminated.ExitCode);
        Assert.Equal("Error", cs.LastState.Terminated.Reason);
        Assert.False(cs.Ready);
        Assert.StartsWith("back-off ", cs.State.Waiting.Message, StringComparison.Ordinal);
        Assert.EndsWith($"restarting failed container=worker pod={pod.Metadata.Name}_{Ns}({pod.Metadata.Uid})", cs.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Contains(await EventsForAsync(pod.Metadata.Name), e => e is { Reason: "BackOff", Type: "Warning" } &&
            e.Message.StartsWith("Back-off restarting failed container worker in pod", StringComparison.Ordinal));

        // The restart count keeps growing while the container keeps crashing.
        await EventuallyAsync(() => PodsAsync("app=crash"), ps => ps.Count == 1 && ps[0].Status.ContainerStatuses[0].RestartCount >= cs.RestartCount + 1, "more restarts");
    }

    [Fact]
    public async Task Container_logs_written_by_the_kubelet_are_served_by_pods_log()
    {
        Cluster.Kubelet.LogOnStart("ghcr.io/flock-io/trainer:1", "loading base model", "training round 1");
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("chatty"), Ns);
        var pods = await EventuallyAsync(() => PodsAsync("app=chatty"), ps => ps.Count == 1 && IsRunningAndReady(ps[0]), "pod ready");

        Cluster.Kubelet.AppendLog(Ns, pods[0].Metadata.Name, "worker", "submitted adapter");
        await using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pods[0].Metadata.Name, Ns, container: "worker");
        using var reader = new StreamReader(stream);
        var log = await reader.ReadToEndAsync();

        Assert.Equal(["loading base model", "training round 1", "submitted adapter"], log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Deleted_pod_is_replaced_by_its_replica_set()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("phoenix"), Ns);
        var first = await EventuallyAsync(() => PodsAsync("app=phoenix"), ps => ps.Count == 1 && IsRunningAndReady(ps[0]), "pod ready");

        await Client.CoreV1.DeleteNamespacedPodAsync(first[0].Metadata.Name, Ns);

        var second = await EventuallyAsync(() => PodsAsync("app=phoenix"),
            ps => ps.Count == 1 && ps[0].Metadata.Uid != first[0].Metadata.Uid && IsRunningAndReady(ps[0]), "replacement ready");
        Assert.Equal(first[0].Metadata.OwnerReferences[0].Uid, second[0].Metadata.OwnerReferences[0].Uid);
    }
}
