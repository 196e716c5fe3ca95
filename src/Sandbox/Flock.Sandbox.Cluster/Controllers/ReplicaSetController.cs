using k8s;
using k8s.Models;
using Flock.Sandbox.Cluster.Machinery;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Controllers;

/// <summary>
/// The ReplicaSet controller (apps/v1): keeps spec.replicas active pods per ReplicaSet, creating them
/// from the template (generateName "&lt;rs&gt;-", controller ownerReference) and deleting the least
/// valuable ones first, and reports replicas/fullyLabeled/ready/available in status.
/// </summary>
internal sealed class ReplicaSetController : ControllerLoop
{
    private const string Component = "replicaset-controller";
    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _clock;
    private readonly WrittenStatus _written = new();

    public ReplicaSetController(IKubernetes client, ClusterCaches caches, EventRecorder events, TimeProvider clock, ILogger log)
        : base(caches, log)
    {
        _client = client;
        _events = events;
        _clock = clock;
        WatchInformer(caches.ReplicaSets);
        WatchInformer(caches.Pods);
    }

    protected override async Task<TimeSpan?> ReconcileAsync(CancellationToken ct)
    {
        TimeSpan? next = null;
        var podsByOwner = Caches.Pods.List().Where(p => Owners.ControllerUid(p.Metadata) is not null)
            .ToLookup(p => Owners.ControllerUid(p.Metadata)!, StringComparer.Ordinal);
        var sets = Caches.ReplicaSets.List();
        foreach (var rs in sets.Where(r => r.Metadata.DeletionTimestamp is null))
        {
            next = Earliest(next, await GuardAsync(rs.Metadata.Name, () => SyncAsync(rs, podsByOwner[rs.Metadata.Uid].ToList(), ct), ct).ConfigureAwait(false));
        }

        _written.Forget(sets.Select(r => r.Metadata.Uid));

        return next;
    }

    private async Task<TimeSpan?> SyncAsync(V1ReplicaSet rs, List<V1Pod> owned, CancellationToken ct)
    {
        var active = owned.Where(Owners.IsActive).ToList();
        var desired = rs.Spec.Replicas ?? 1;
        string? failure = null;
        if (active.Count < desired)
        {
            for (var i = active.Count; i < desired; i++)
            {
                try
                {
                    var pod = await _client.CoreV1.CreateNamespacedPodAsync(NewPod(rs), rs.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                    Caches.Pods.Upsert(pod);
                    await _events.NormalAsync(Component, null, EventTarget.Of(rs), "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}", ct).ConfigureAwait(false);
                }
                catch (k8s.Autorest.HttpOperationException e) when (Patches.Code(e) is 403 or 422 or 400)
                {
                    failure = Message(e);
                    await _events.WarningAsync(Component, null, EventTarget.Of(rs), "FailedCreate", $"Error creating: {Message(e)}", ct).ConfigureAwait(false);
                    break;
                }
            }
        }
        else if (active.Count > desired)
        {
            foreach (var pod in DeletionOrder(active).Take(active.Count - desired))
            {
                try
                {
                    var deleted = await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                        new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } }, cancellationToken: ct).ConfigureAwait(false);
                    if (deleted.Metadata?.DeletionTimestamp is not null) Caches.Pods.Upsert(deleted);
                    else Caches.Pods.Remove(pod);
                }
                catch (Exception e) when (Patches.IsNotFound(e) || Patches.IsConflict(e))
                {
                    Caches.Pods.Remove(pod);
                }

                await _events.NormalAsync(Component, null, EventTarget.Of(rs), "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}", ct).ConfigureAwait(false);
            }
        }

        var now = _clock.GetUtcNow();
        var current = Caches.Pods.List().Where(p => Owners.IsControlledBy(p.Metadata, rs.Metadata) && Owners.IsActive(p)).ToList();
        var (status, availableAt) = Status(rs, current, failure, now);
        if (_written.NeedsWrite(rs.Metadata.Uid, status, Normalize(rs.Status)))
        {
            try
            {
                var updated = await _client.AppsV1.PatchNamespacedReplicaSetStatusAsync(Patches.Status(status, rs.Status), rs.Metadata.Name,
                    rs.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                _written.Written(rs.Metadata.Uid, status);
                Caches.ReplicaSets.Upsert(updated);
            }
            catch (Exception e) when (Patches.IsNotFound(e))
            {
                return null;
            }
        }

        return availableAt is null ? null : availableAt.Value - now;
    }

    /// <summary>calculateStatus of the ReplicaSet controller; pure.</summary>
    public static (V1ReplicaSetStatus Status, DateTimeOffset? NextAvailable) Status(V1ReplicaSet rs, IReadOnlyList<V1Pod> active, string? failure, DateTimeOffset now)
    {
        var templateLabels = rs.Spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        DateTimeOffset? next = null;
        var available = 0;
        foreach (var p in active)
        {
            var (isAvailable, at) = Owners.Availability(p, minReady, now);
            if (isAvailable) available++;
            else if (at is not null && (next is null || at < next)) next = at;
        }

        var conditions = (rs.Status?.Conditions ?? []).Where(c => c.Type != "ReplicaFailure").ToList();
        if (failure is not null)
        {
            conditions.Add(new V1ReplicaSetCondition
            {
                Type = "ReplicaFailure",
                Status = "True",
                Reason = "FailedCreate",
                Message = failure,
                LastTransitionTime = now.UtcDateTime,
            });
        }

        var status = new V1ReplicaSetStatus
        {
            Replicas = active.Count,
            FullyLabeledReplicas = active.Count(p => templateLabels.All(l => p.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value)),
            ReadyReplicas = active.Count(Owners.IsReady),
            AvailableReplicas = available,
            ObservedGeneration = rs.Metadata.Generation,
            Conditions = conditions.Count == 0 ? null : conditions,
        };
        return (Normalize(status)!, next);
    }

    /// <summary>Zero counts are omitted on the wire; compare like with like.</summary>
    private static V1ReplicaSetStatus? Normalize(V1ReplicaSetStatus? s) => s is null ? null : new V1ReplicaSetStatus
    {
        Replicas = s.Replicas,
        FullyLabeledReplicas = s.FullyLabeledReplicas is 0 ? null : s.FullyLabeledReplicas,
        ReadyReplicas = s.ReadyReplicas is 0 ? null : s.ReadyReplicas,
        AvailableReplicas = s.AvailableReplicas is 0 ? null : s.AvailableReplicas,
        ObservedGeneration = s.ObservedGeneration,
        Conditions = s.Conditions is { Count: > 0 } ? s.Conditions : null,
    };

    private static V1Pod NewPod(V1ReplicaSet rs)
    {
        var template = rs.Spec.Template;
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = rs.Metadata.Name + "-",
                NamespaceProperty = rs.Metadata.NamespaceProperty,
                Labels = Owners.CopyOf(template?.Metadata?.Labels),
                Annotations = template?.Metadata?.Annotations is null ? null : Owners.CopyOf(template.Metadata.Annotations),
                Finalizers = template?.Metadata?.Finalizers,
                OwnerReferences = [Owners.ControllerRef("apps/v1", "ReplicaSet", rs.Metadata)],
            },
            Spec = Owners.Clone(template?.Spec ?? new V1PodSpec()),
        };
    }

    /// <summary>getPodsToDelete's ranking: unscheduled, then pending, then not ready, then the newest first.</summary>
    public static IEnumerable<V1Pod> DeletionOrder(IEnumerable<V1Pod> pods) => pods
        .OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1)
        .ThenBy(p => p.Status?.Phase switch { "Pending" or null => 0, "Unknown" => 1, _ => 2 })
        .ThenBy(p => Owners.IsReady(p) ? 1 : 0)
        .ThenByDescending(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0)
        .ThenByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue);

    private static string Message(k8s.Autorest.HttpOperationException e)
    {
        try
        {
            return KubernetesJson.Deserialize<V1Status>(e.Response.Content)?.Message ?? e.Message;
        }
        catch (System.Text.Json.JsonException)
        {
            return e.Message;
        }
    }
}
