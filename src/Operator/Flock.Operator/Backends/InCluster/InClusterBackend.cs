using System.Security.Cryptography;
using System.Text;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Backends.InCluster;

/// <summary>
/// Runs the worker as a Deployment with a cache claim in this cluster. Applies only what differs:
/// the Deployment carries a digest of the desired object, so a steady resync reads the cache and
/// writes nothing.
/// </summary>
public sealed class InClusterBackend(KubeRestClient client, Informer<V1Deployment> deployments,
    Informer<V1PersistentVolumeClaim> claims, Informer<V1Pod> pods)
{
    public static readonly ResourceKind DeploymentKind = new("apps", "v1", "deployments", "Deployment");
    public static readonly ResourceKind ClaimKind = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim");
    public static readonly ResourceKind PodKind = new("", "v1", "pods", "Pod");
    public const string PodsByInstanceIndex = "flock-instance";

    /// <summary>Selects only the operator's own children, so the caches hold nothing else.</summary>
    public const string ChildSelector = WorkerLabels.ManagedBy + "=" + WorkerLabels.Manager;

    /// <summary>The pod index the backend reads; register it on the pod informer before it runs.</summary>
    public static IEnumerable<string> PodInstanceKeys(V1Pod pod) =>
        pod.Metadata.Label(WorkerLabels.Instance) is { } instance && pod.Metadata.Label(WorkerLabels.Name) is { } app
            ? [$"{pod.Metadata.NamespaceProperty}/{app}/{instance}"]
            : [];

    /// <param name="create">False only updates children that exist (a worker that must not run is never created just to be stopped).</param>
    public async Task<WorkloadObservation> ApplyAsync(WorkerProfile profile, string secretVersions, bool running, CancellationToken ct, bool create = true)
    {
        var desired = InClusterWorkloadBuilder.Build(profile, secretVersions, running);
        if (!create && deployments.Cache.Get(new ObjectKey(profile.Namespace, desired.Deployment.Metadata.Name)) is null)
        {
            return new WorkloadObservation(false, false, 0, null, null);
        }

        if (claims.Cache.Get(new ObjectKey(profile.Namespace, desired.CacheClaim.Metadata.Name)) is null)
        {
            try
            {
                await client.CreateAsync(ClaimKind, profile.Namespace, desired.CacheClaim, ct).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                // Created by an earlier pass whose watch event has not arrived yet.
            }
        }

        var deployment = desired.Deployment;
        deployment.Metadata.Annotations = new Dictionary<string, string> { [WorkerLabels.SpecHashAnnotation] = Digest(KubeSerializer.Serialize(deployment)) };
        var live = deployments.Cache.Get(new ObjectKey(profile.Namespace, deployment.Metadata.Name));
        if (live?.Metadata.Annotation(WorkerLabels.SpecHashAnnotation) != deployment.Metadata.Annotations[WorkerLabels.SpecHashAnnotation])
        {
            live = await client.ApplyAsync(DeploymentKind, profile.Namespace, deployment.Metadata.Name, deployment, ct).ConfigureAwait(false);
        }

        var workerPods = pods.Cache.ByIndex(PodsByInstanceIndex, $"{profile.Namespace}/{profile.AppName}/{profile.Name}");
        return WorkloadObserver.Observe(live, workerPods, profile.Kind == FlockValidator.KindName);
    }

    /// <summary>Deletes the worker's children; missing ones count as deleted.</summary>
    public async Task DeleteAsync(WorkerProfile profile, CancellationToken ct)
    {
        await client.DeleteAsync(DeploymentKind, profile.Namespace, WorkerLabels.WorkloadName(profile), ct).ConfigureAwait(false);
        await client.DeleteAsync(ClaimKind, profile.Namespace, WorkerLabels.CacheClaimName(profile), ct).ConfigureAwait(false);
    }

    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
