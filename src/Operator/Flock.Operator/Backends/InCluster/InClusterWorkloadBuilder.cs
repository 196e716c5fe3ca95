using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Backends.InCluster;

/// <summary>The in-cluster children of a worker resource, built without I/O.</summary>
public sealed record InClusterWorkload(V1Deployment Deployment, V1PersistentVolumeClaim CacheClaim);

/// <summary>
/// Builds the worker Deployment (one replica, Recreate so the GPU is freed before the next pod) and
/// its cache claim from the resource. Secrets reach the pod only as secretKeyRef: the operator never
/// copies a secret value into an object. The pod template carries a digest of the referenced
/// Secrets' resourceVersions, so rotating a key rolls the worker.
/// </summary>
public static class InClusterWorkloadBuilder
{
    public const string CacheMountPath = "/data";
    public const string HuggingFaceHome = "/data/huggingface";

    /// <param name="secretVersions">Digest of the referenced Secrets' resourceVersions.</param>
    /// <param name="running">False scales to zero (suspended, or held back by the stake gate).</param>
    public static InClusterWorkload Build(WorkerProfile profile, string secretVersions, bool running)
    {
        var spec = profile.Spec;
        var owner = OwnerReference(profile);
        var labels = WorkerLabels.All(profile);
        var claimName = WorkerLabels.CacheClaimName(profile);

        var claim = new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta { Name = claimName, NamespaceProperty = profile.Namespace, Labels = labels, OwnerReferences = [owner] },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = spec.Cache.StorageClassName,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(spec.Cache.Size) } },
            },
        };

        var pod = PodSpec(profile, claimName, "Always");
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = WorkerLabels.WorkloadName(profile),
                NamespaceProperty = profile.Namespace,
                Labels = labels,
                OwnerReferences = [owner],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = running ? 1 : 0,
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = WorkerLabels.Selector(profile) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new Dictionary<string, string> { [WorkerLabels.SecretVersionsAnnotation] = secretVersions },
                    },
                    Spec = pod,
                },
            },
        };
        return new InClusterWorkload(deployment, claim);
    }

    /// <summary>The worker's pod, shared by the long-lived Deployment and the scheduled Jobs.</summary>
    private static V1PodSpec PodSpec(WorkerProfile profile, string claimName, string restartPolicy)
    {
        var placement = profile.Spec.Placement.InCluster;
        return new V1PodSpec
        {
            Containers = [Container(profile)],
            Volumes = [new V1Volume { Name = "cache", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claimName } }],
            NodeSelector = placement?.NodeSelector?.ToDictionary(p => p.Key, p => p.Value),
            Tolerations = placement?.Tolerations?.Select(t => new V1Toleration
            {
                Key = t.Key,
                OperatorProperty = t.Operator?.ToString(),
                Value = t.Value,
                Effect = t.Effect?.ToString(),
                TolerationSeconds = t.TolerationSeconds,
            }).ToList(),
            PriorityClassName = placement?.PriorityClassName,
            RuntimeClassName = placement?.RuntimeClassName,
            Affinity = GpuAffinity.For(profile.Spec.Resources.Gpu),
            RestartPolicy = restartPolicy,
        };
    }

    /// <summary>
    /// One scheduled run of a one-shot image: a Job named after its time slot, so a retried reconcile
    /// finds it instead of starting a second run. A run may not outlive its slot.
    /// </summary>
    public static V1Job BuildRun(WorkerProfile profile, string secretVersions, RunSlot slot)
    {
        var labels = WorkerLabels.All(profile);
        labels[WorkerLabels.RunSlot] = slot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = $"{WorkerLabels.WorkloadName(profile)}-{slot.Id}",
                NamespaceProperty = profile.Namespace,
                Labels = labels,
                OwnerReferences = [OwnerReference(profile)],
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = 2,
                ActiveDeadlineSeconds = (long)slot.Period.TotalSeconds,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new Dictionary<string, string> { [WorkerLabels.SecretVersionsAnnotation] = secretVersions },
                    },
                    Spec = PodSpec(profile, WorkerLabels.CacheClaimName(profile), "Never"),
                },
            },
        };
    }

    private static V1Container Container(WorkerProfile profile)
    {
        var resources = profile.Spec.Resources;
        var requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(resources.Cpu),
            ["memory"] = new(resources.Memory),
        };
        var limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(resources.Memory) };
        if (resources.Gpu.Count > 0)
        {
            // Extended resources must have requests equal to limits.
            requests[GpuProductLabels.GpuResource] = new(resources.Gpu.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            limits[GpuProductLabels.GpuResource] = new(resources.Gpu.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new V1Container
        {
            Name = "worker",
            Image = profile.Image,
            ImagePullPolicy = "IfNotPresent",
            Args = profile.Args?.ToList(),
            Env = WorkerEnvironment.For(profile),
            Resources = new V1ResourceRequirements { Requests = requests, Limits = limits },
            VolumeMounts = [new V1VolumeMount { Name = "cache", MountPath = CacheMountPath }],
        };
    }

    private static V1OwnerReference OwnerReference(WorkerProfile profile) => new()
    {
        ApiVersion = profile.Resource.ApiVersion,
        Kind = profile.Kind,
        Name = profile.Name,
        Uid = profile.Resource.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
