using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>The shared informers every loop reads, one list+watch per resource (as a SharedInformerFactory).</summary>
internal sealed class ClusterCaches
{
    // Watches end server-side now and then; the informer simply re-watches from its last version.
    private const int WatchTimeoutSeconds = 240;

    public ClusterCaches(IKubernetes client, ILoggerFactory logs)
    {
        var log = logs.CreateLogger("Flock.Sandbox.Cluster.Informer");
        Nodes = new("nodes", ct => client.CoreV1.ListNodeAsync(cancellationToken: ct),
            (rv, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: ct), log);
        Pods = new("pods", ct => client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct),
            (rv, onError, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: ct), log);
        Deployments = new("deployments", ct => client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct),
            (rv, onError, ct) => client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: ct), log);
        ReplicaSets = new("replicasets", ct => client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: ct),
            (rv, onError, ct) => client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: ct), log);
        Jobs = new("jobs", ct => client.BatchV1.ListJobForAllNamespacesAsync(cancellationToken: ct),
            (rv, onError, ct) => client.BatchV1.WatchListJobForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: ct), log);
        Claims = new("persistentvolumeclaims", ct => client.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(cancellationToken: ct),
            (rv, onError, ct) => client.CoreV1.WatchListPersistentVolumeClaimForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: ct), log);
    }

    public Informer<V1Node, V1NodeList> Nodes { get; }

    public Informer<V1Pod, V1PodList> Pods { get; }

    public Informer<V1Deployment, V1DeploymentList> Deployments { get; }

    public Informer<V1ReplicaSet, V1ReplicaSetList> ReplicaSets { get; }

    public Informer<V1Job, V1JobList> Jobs { get; }

    public Informer<V1PersistentVolumeClaim, V1PersistentVolumeClaimList> Claims { get; }

    public IReadOnlyList<IInformer> All => [Nodes, Pods, Deployments, ReplicaSets, Jobs, Claims];

    public Task SyncedAsync() => Task.WhenAll(All.Select(i => i.Synced));
}
