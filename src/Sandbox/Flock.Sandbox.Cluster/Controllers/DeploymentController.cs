using System.Globalization;
using k8s;
using k8s.Models;
using Flock.Sandbox.Cluster.Machinery;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Controllers;

/// <summary>
/// The Deployment controller (apps/v1): one ReplicaSet per pod template ("&lt;name&gt;-&lt;pod-template-hash&gt;"),
/// rolled out with Recreate (old ReplicaSets to 0 and their pods gone before the new one scales up)
/// or RollingUpdate (maxSurge/maxUnavailable), revision annotations, old ReplicaSets pruned to
/// revisionHistoryLimit, and the status and conditions the real controller writes.
/// </summary>
internal sealed class DeploymentController : ControllerLoop
{
    private const string Component = "deployment-controller";
    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _clock;
    private readonly WrittenStatus _written = new();

    public DeploymentController(IKubernetes client, ClusterCaches caches, EventRecorder events, TimeProvider clock, ILogger log)
        : base(caches, log)
    {
        _client = client;
        _events = events;
        _clock = clock;
        WatchInformer(caches.Deployments);
        WatchInformer(caches.ReplicaSets);
        WatchInformer(caches.Pods);
    }

    protected override async Task<TimeSpan?> ReconcileAsync(CancellationToken ct)
    {
        TimeSpan? next = null;
        var deployments = Caches.Deployments.List();
        foreach (var d in deployments.Where(d => d.Metadata.DeletionTimestamp is null))
        {
            next = Earliest(next, await GuardAsync(d.Metadata.Name, () => SyncAsync(d, ct), ct).ConfigureAwait(false));
        }

        _written.Forget(deployments.Select(d => d.Metadata.Uid));

        return next;
    }

    private async Task<TimeSpan?> SyncAsync(V1Deployment d, CancellationToken ct)
    {
        var owned = Owned(d);
        var newRs = owned.Where(r => PodTemplateHash.EqualIgnoringHash(r.Spec.Template, d.Spec.Template))
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();
        var happened = DeploymentStatusCalculator.NewReplicaSetEvent.None;
        var desired = d.Spec.Replicas ?? 1;

        if (d.Spec.Paused != true)
        {
            var old = owned.Where(r => r != newRs).ToList();
            if (d.Spec.Strategy?.Type == "Recreate")
            {
                (newRs, happened) = await RecreateAsync(d, newRs, old, desired, ct).ConfigureAwait(false);
            }
            else
            {
                (newRs, happened) = await RollingAsync(d, newRs, old, desired, ct).ConfigureAwait(false);
            }

            await CleanupAsync(d, newRs, ct).ConfigureAwait(false);
        }

        var all = Owned(d);
        newRs = newRs is null ? null : all.FirstOrDefault(r => r.Metadata.Uid == newRs.Metadata.Uid);
        var now = _clock.GetUtcNow();
        var status = DeploymentStatusCalculator.Calculate(d, all, newRs, happened, now);
        if (_written.NeedsWrite(d.Metadata.Uid, status, d.Status))
        {
            try
            {
                var updated = await _client.AppsV1.PatchNamespacedDeploymentStatusAsync(Patches.Status(status, d.Status), d.Metadata.Name, d.Metadata.NamespaceProperty,
                    cancellationToken: ct).ConfigureAwait(false);
                _written.Written(d.Metadata.Uid, status);
                Caches.Deployments.Upsert(updated);
            }
            catch (Exception e) when (Patches.IsNotFound(e))
            {
                return null;
            }
        }

        // Wake for the progress deadline while a rollout is incomplete.
        if (!DeploymentStatusCalculator.IsComplete(d, status) && d.Spec.ProgressDeadlineSeconds is { } deadline && deadline < int.MaxValue)
        {
            var progressing = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
            if (progressing is { Status: "True", LastUpdateTime: { } t })
            {
                var due = new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).AddSeconds(deadline + 1) - now;
                return due > TimeSpan.Zero ? due : null;
            }
        }

        return null;
    }

    private List<V1ReplicaSet> Owned(V1Deployment d) =>
        Caches.ReplicaSets.List().Where(r => Owners.IsControlledBy(r.Metadata, d.Metadata) && r.Metadata.DeletionTimestamp is null).ToList();

    private async Task<(V1ReplicaSet?, DeploymentStatusCalculator.NewReplicaSetEvent)> RecreateAsync(
        V1Deployment d, V1ReplicaSet? newRs, List<V1ReplicaSet> old, int desired, CancellationToken ct)
    {
        var none = DeploymentStatusCalculator.NewReplicaSetEvent.None;
        var scaledDown = false;
        foreach (var rs in old.Where(r => (r.Spec.Replicas ?? 0) > 0))
        {
            await ScaleAsync(d, rs, 0, ct).ConfigureAwait(false);
            scaledDown = true;
        }

        if (scaledDown) return (newRs, none);

        // Recreate waits until no pod of an old ReplicaSet is left running (or pending, or terminating).
        var oldUids = old.Select(r => r.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        if (Caches.Pods.List().Any(p => Owners.ControllerUid(p.Metadata) is { } u && oldUids.Contains(u) && p.Status?.Phase is not ("Succeeded" or "Failed")))
        {
            return (newRs, none);
        }

        if (newRs is null)
        {
            var created = await CreateNewReplicaSetAsync(d, old, desired, ct).ConfigureAwait(false);
            return (created, created is null ? none : DeploymentStatusCalculator.NewReplicaSetEvent.Created);
        }

        if ((newRs.Spec.Replicas ?? 0) != desired) newRs = await ScaleAsync(d, newRs, desired, ct).ConfigureAwait(false);
        return (newRs, none);
    }

    private async Task<(V1ReplicaSet?, DeploymentStatusCalculator.NewReplicaSetEvent)> RollingAsync(
        V1Deployment d, V1ReplicaSet? newRs, List<V1ReplicaSet> old, int desired, CancellationToken ct)
    {
        var happened = DeploymentStatusCalculator.NewReplicaSetEvent.None;
        var maxTotal = desired + DeploymentStatusCalculator.MaxSurge(d);
        var current = old.Sum(r => r.Spec.Replicas ?? 0) + (newRs?.Spec.Replicas ?? 0);

        // NewRSNewReplicas: scale the new ReplicaSet up as far as the surge allows.
        var newReplicas = newRs?.Spec.Replicas ?? 0;
        if (newReplicas < desired && current < maxTotal) newReplicas = Math.Min(desired, newReplicas + (maxTotal - current));
        else if (newReplicas > desired) newReplicas = desired;
        if (old.All(r => (r.Spec.Replicas ?? 0) == 0)) newReplicas = desired;

        if (newRs is null)
        {
            newRs = await CreateNewReplicaSetAsync(d, old, newReplicas, ct).ConfigureAwait(false);
            if (newRs is null) return (null, happened);
            happened = DeploymentStatusCalculator.NewReplicaSetEvent.Created;
        }
        else if ((newRs.Spec.Replicas ?? 0) != newReplicas)
        {
            newRs = await ScaleAsync(d, newRs, newReplicas, ct).ConfigureAwait(false);
        }

        // reconcileOldReplicaSets: keep at least replicas - maxUnavailable available across all ReplicaSets.
        var active = old.Where(r => (r.Spec.Replicas ?? 0) > 0).ToList();
        if (active.Count == 0) return (newRs, happened);
        var minAvailable = desired - DeploymentStatusCalculator.MaxUnavailable(d);
        var allPods = active.Sum(r => r.Spec.Replicas ?? 0) + (newRs.Spec.Replicas ?? 0);
        var newUnavailable = (newRs.Spec.Replicas ?? 0) - (newRs.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) return (newRs, happened);

        // First the old pods that are not available anyway, then available ones while availability allows.
        var budget = maxScaledDown;
        foreach (var rs in active.OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MinValue).ToList())
        {
            if (budget <= 0) break;
            var replicas = rs.Spec.Replicas ?? 0;
            var unhealthy = replicas - (rs.Status?.AvailableReplicas ?? 0);
            if (unhealthy <= 0) continue;
            var cut = Math.Min(unhealthy, budget);
            await ScaleAsync(d, rs, replicas - cut, ct).ConfigureAwait(false);
            budget -= cut;
        }

        var available = Owned(d).Sum(r => r.Status?.AvailableReplicas ?? 0);
        var canRemove = Math.Min(budget, available - minAvailable);
        foreach (var rs in Owned(d).Where(r => r.Metadata.Uid != newRs.Metadata.Uid && (r.Spec.Replicas ?? 0) > 0)
                     .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MinValue).ToList())
        {
            if (canRemove <= 0) break;
            var replicas = rs.Spec.Replicas ?? 0;
            var cut = Math.Min(replicas, canRemove);
            await ScaleAsync(d, rs, replicas - cut, ct).ConfigureAwait(false);
            canRemove -= cut;
        }

        return (newRs, happened);
    }

    private async Task<V1ReplicaSet?> CreateNewReplicaSetAsync(V1Deployment d, List<V1ReplicaSet> old, int replicas, CancellationToken ct)
    {
        var hash = PodTemplateHash.Compute(d.Spec.Template, d.Status?.CollisionCount);
        var template = Owners.Clone(d.Spec.Template);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = Owners.CopyOf(template.Metadata.Labels);
        template.Metadata.Labels[PodTemplateHash.Label] = hash;
        var selector = Owners.Clone(d.Spec.Selector);
        selector.MatchLabels = Owners.CopyOf(selector.MatchLabels);
        selector.MatchLabels[PodTemplateHash.Label] = hash;
        var revision = (old.Select(Revision).DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);
        var rs = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{d.Metadata.Name}-{hash}",
                NamespaceProperty = d.Metadata.NamespaceProperty,
                Labels = Owners.CopyOf(template.Metadata.Labels),
                Annotations = new Dictionary<string, string>
                {
                    ["deployment.kubernetes.io/desired-replicas"] = (d.Spec.Replicas ?? 1).ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/max-replicas"] = ((d.Spec.Replicas ?? 1) + DeploymentStatusCalculator.MaxSurge(d)).ToString(CultureInfo.InvariantCulture),
                    [DeploymentStatusCalculator.RevisionAnnotation] = revision,
                },
                OwnerReferences = [Owners.ControllerRef("apps/v1", "Deployment", d.Metadata)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                MinReadySeconds = d.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };

        V1ReplicaSet created;
        try
        {
            created = await _client.AppsV1.CreateNamespacedReplicaSetAsync(rs, d.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Patches.IsConflict(e))
        {
            // A ReplicaSet of that name exists. Ours (a stale cache) is picked up next pass; someone else's is a hash collision.
            var existing = await _client.AppsV1.ReadNamespacedReplicaSetAsync(rs.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
            if (Owners.IsControlledBy(existing.Metadata, d.Metadata) && PodTemplateHash.EqualIgnoringHash(existing.Spec.Template, d.Spec.Template))
            {
                Caches.ReplicaSets.Upsert(existing);
                return existing;
            }

            var updated = await _client.AppsV1.PatchNamespacedDeploymentStatusAsync(Patches.Merge(new { status = new { collisionCount = (d.Status?.CollisionCount ?? 0) + 1 } }),
                d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
            Caches.Deployments.Upsert(updated);
            return null;
        }

        Caches.ReplicaSets.Upsert(created);
        Log.LogInformation("deployment {Namespace}/{Deployment}: created replica set {ReplicaSet} (revision {Revision})",
            d.Metadata.NamespaceProperty, d.Metadata.Name, created.Metadata.Name, revision);
        if (replicas > 0)
        {
            await _events.NormalAsync(Component, null, EventTarget.Of(d), "ScalingReplicaSet",
                $"Scaled up replica set {created.Metadata.Name} from 0 to {replicas}", ct).ConfigureAwait(false);
        }
        if (Annotation(d.Metadata, DeploymentStatusCalculator.RevisionAnnotation) != revision)
        {
            var patch = Patches.Merge(new { metadata = new { annotations = new Dictionary<string, string> { [DeploymentStatusCalculator.RevisionAnnotation] = revision } } });
            var updated = await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
            Caches.Deployments.Upsert(updated);
        }

        return created;
    }

    private async Task<V1ReplicaSet> ScaleAsync(V1Deployment d, V1ReplicaSet rs, int replicas, CancellationToken ct)
    {
        var from = rs.Spec.Replicas ?? 0;
        var patch = Patches.Merge(new
        {
            metadata = new
            {
                annotations = new Dictionary<string, string>
                {
                    ["deployment.kubernetes.io/desired-replicas"] = (d.Spec.Replicas ?? 1).ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/max-replicas"] = ((d.Spec.Replicas ?? 1) + DeploymentStatusCalculator.MaxSurge(d)).ToString(CultureInfo.InvariantCulture),
                },
            },
            spec = new { replicas },
        });
        var updated = await _client.AppsV1.PatchNamespacedReplicaSetAsync(patch, rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
        Caches.ReplicaSets.Upsert(updated);
        var direction = replicas > from ? "up" : "down";
        Log.LogInformation("deployment {Namespace}/{Deployment}: scaled {Direction} {ReplicaSet} from {From} to {To}",
            d.Metadata.NamespaceProperty, d.Metadata.Name, direction, rs.Metadata.Name, from, replicas);
        await _events.NormalAsync(Component, null, EventTarget.Of(d), "ScalingReplicaSet",
            $"Scaled {direction} replica set {rs.Metadata.Name} from {from} to {replicas}", ct).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Deletes the oldest unused ReplicaSets beyond spec.revisionHistoryLimit.</summary>
    private async Task CleanupAsync(V1Deployment d, V1ReplicaSet? newRs, CancellationToken ct)
    {
        var limit = d.Spec.RevisionHistoryLimit ?? 10;
        var idle = Owned(d).Where(r => r.Metadata.Uid != newRs?.Metadata.Uid && (r.Spec.Replicas ?? 0) == 0 && (r.Status?.Replicas ?? 0) == 0)
            .OrderBy(Revision).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - limit)))
        {
            try
            {
                await _client.AppsV1.DeleteNamespacedReplicaSetAsync(rs.Metadata.Name, rs.Metadata.NamespaceProperty,
                    new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = rs.Metadata.Uid } }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception e) when (Patches.IsNotFound(e) || Patches.IsConflict(e))
            {
            }

            Caches.ReplicaSets.Remove(rs);
        }
    }

    private static long Revision(V1ReplicaSet rs) =>
        long.TryParse(Annotation(rs.Metadata, DeploymentStatusCalculator.RevisionAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0;

    private static string? Annotation(V1ObjectMeta meta, string key) =>
        meta.Annotations is { } a && a.TryGetValue(key, out var v) ? v : null;
}
