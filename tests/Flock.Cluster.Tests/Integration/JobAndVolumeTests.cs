using k8s;
using k8s.Models;

namespace Flock.Cluster.Tests.Integration;

public class JobAndVolumeTests : ClusterTestBase
{
    private static V1Job Job(string name, string image, int? backoffLimit = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1JobSpec
        {
            BackoffLimit = backoffLimit,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "task", Image = image }] },
            },
        },
    };

    private static V1JobCondition? Cond(V1Job j, string type) => j.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public async Task Job_whose_container_exits_zero_completes()
    {
        Cluster.Kubelet.ExitWith("ghcr.io/flock-io/stake-check:1", 0);
        await Client.BatchV1.CreateNamespacedJobAsync(Job("stake-check", "ghcr.io/flock-io/stake-check:1"), Ns);

        var job = await EventuallyAsync(() => Client.BatchV1.ReadNamespacedJobAsync("stake-check", Ns), j => Cond(j, "Complete")?.Status == "True", "Complete");

        Assert.Equal(1, job.Status.Succeeded);
        Assert.Null(job.Status.Failed);
        Assert.NotNull(job.Status.StartTime);
        Assert.NotNull(job.Status.CompletionTime);
        Assert.Equal("CompletionsReached", Cond(job, "Complete")!.Reason);
        Assert.Equal(("True", "CompletionsReached"), (Cond(job, "SuccessCriteriaMet")?.Status, Cond(job, "SuccessCriteriaMet")?.Reason));
        var pod = Assert.Single(await PodsAsync("job-name=stake-check"));
        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.Equal(("Completed", 0), (pod.Status.ContainerStatuses[0].State.Terminated.Reason, pod.Status.ContainerStatuses[0].State.Terminated.ExitCode));
        Assert.Equal(job.Metadata.Uid, pod.Metadata.OwnerReferences.Single().Uid);
    }

    [Fact]
    public async Task Job_fails_with_BackoffLimitExceeded_after_backoffLimit_retries()
    {
        Cluster.Kubelet.ExitWith("ghcr.io/flock-io/stake-check:broken", 1);
        await Client.BatchV1.CreateNamespacedJobAsync(Job("doomed", "ghcr.io/flock-io/stake-check:broken", backoffLimit: 1), Ns);

        var job = await EventuallyAsync(() => Client.BatchV1.ReadNamespacedJobAsync("doomed", Ns), j => Cond(j, "Failed")?.Status == "True", "Failed");

        Assert.Equal(2, job.Status.Failed);
        Assert.Null(job.Status.Succeeded);
        Assert.Null(job.Status.CompletionTime);
        Assert.Equal(("BackoffLimitExceeded", "Job has reached the specified backoff limit"), (Cond(job, "Failed")!.Reason, Cond(job, "Failed")!.Message));
        Assert.Equal("True", Cond(job, "FailureTarget")?.Status);
        var pods = await PodsAsync("job-name=doomed");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(("Failed", 1), (p.Status.Phase, p.Status.ContainerStatuses[0].State.Terminated.ExitCode)));
        Assert.Contains(await EventsForAsync("doomed"), e => e is { Reason: "BackoffLimitExceeded", Type: "Warning" });
    }

    [Fact]
    public async Task Job_running_past_activeDeadlineSeconds_fails_with_DeadlineExceeded_and_its_pod_is_removed()
    {
        Cluster.Kubelet.FailImagePull("ghcr.io/flock-io/stake-check:slow");
        var spec = Job("slow", "ghcr.io/flock-io/stake-check:slow");
        spec.Spec.ActiveDeadlineSeconds = 1;
        await Client.BatchV1.CreateNamespacedJobAsync(spec, Ns);

        var job = await EventuallyAsync(() => Client.BatchV1.ReadNamespacedJobAsync("slow", Ns), j => Cond(j, "Failed")?.Status == "True", "Failed");

        Assert.Equal(("DeadlineExceeded", "Job was active longer than specified deadline"), (Cond(job, "Failed")!.Reason, Cond(job, "Failed")!.Message));
        Assert.Null(job.Status.Active);
        await EventuallyAsync(() => PodsAsync("job-name=slow"), pods => pods.Count == 0, "pod deleted");
    }

    [Fact]
    public async Task Claim_of_the_default_class_binds_with_the_requested_capacity()
    {
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "hf-cache", NamespaceProperty = Ns },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("100Gi") } },
            },
        }, Ns);

        var claim = await EventuallyAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("hf-cache", Ns), c => c.Status?.Phase == "Bound", "Bound");

        Assert.Equal("100Gi", claim.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], claim.Status.AccessModes);
        Assert.Equal($"pvc-{claim.Metadata.Uid}", claim.Spec.VolumeName);
    }

    [Fact]
    public async Task Claim_of_an_unknown_class_stays_pending_with_ProvisioningFailed()
    {
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "fast", NamespaceProperty = Ns },
            Spec = new V1PersistentVolumeClaimSpec
            {
                StorageClassName = "premium-nvme",
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
            },
        }, Ns);

        var events = await EventuallyAsync(() => EventsForAsync("fast"), evs => evs.Any(e => e.Reason == "ProvisioningFailed"), "ProvisioningFailed");

        Assert.Equal("storageclass.storage.k8s.io \"premium-nvme\" not found", events.First(e => e.Reason == "ProvisioningFailed").Message);
        Assert.Equal("Pending", (await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("fast", Ns)).Status.Phase);
    }

    [Fact]
    public async Task Pod_waits_for_its_claim_to_exist_and_bind_before_it_is_scheduled()
    {
        var d = GpuDeployment("cached");
        d.Spec.Template.Spec.Volumes = [new V1Volume { Name = "cache", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "cached-cache" } }];
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, Ns);

        static string? Message(IList<V1Pod> pods) => pods.Count == 1 ? pods[0].Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled")?.Message : null;
        var pending = await EventuallyAsync(() => PodsAsync("app=cached"), ps => Message(ps) is not null, "unschedulable");
        Assert.Equal("0/3 nodes are available: persistentvolumeclaim \"cached-cache\" not found. " +
                     "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", Message(pending));

        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "cached-cache", NamespaceProperty = Ns },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("50Gi") } },
            },
        }, Ns);

        await EventuallyAsync(() => PodsAsync("app=cached"), ps => ps.Count == 1 && IsRunningAndReady(ps[0]), "pod ready");
    }

    [Fact]
    public async Task Pod_whose_claim_cannot_be_provisioned_stays_pending_with_the_unbound_claim_message()
    {
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "nvme-cache", NamespaceProperty = Ns },
            Spec = new V1PersistentVolumeClaimSpec
            {
                StorageClassName = "premium-nvme",
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("50Gi") } },
            },
        }, Ns);
        var d = GpuDeployment("nvme");
        d.Spec.Template.Spec.Volumes = [new V1Volume { Name = "cache", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "nvme-cache" } }];
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, Ns);

        var pods = await EventuallyAsync(() => PodsAsync("app=nvme"),
            ps => ps.Count == 1 && ps[0].Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Reason: "Unschedulable" }) == true, "unschedulable");

        Assert.Equal("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. " +
                     "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            pods[0].Status.Conditions.Single(c => c.Type == "PodScheduled").Message);
    }
}
