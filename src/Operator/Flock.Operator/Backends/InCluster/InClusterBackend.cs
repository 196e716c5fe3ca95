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
    Informer<V1PersistentVolumeClaim> claims, Informer<V1Pod> pods, Informer<V1Job> jobs) : IWorkerBackend
{
    public Backend Kind => Backend.InCluster;

    /// <summary>Everything an in-cluster worker reports is in the reconciler's own WorkloadReady.</summary>
    public IReadOnlyList<string> OwnedConditions => [];

    public bool HasWorkload(WorkerProfile profile, WorkerStatus? recorded) => HasWorkload(profile);

    public async Task<BackendOutcome> ApplyAsync(WorkerTarget target, BackendAction action, CancellationToken ct)
    {
        switch (action)
        {
            case BackendAction.Leave:
                return BackendOutcome.Nothing;
            case BackendAction.Remove:
                await DeleteAsync(target.Profile, ct).ConfigureAwait(false);
                return BackendOutcome.Nothing;
            default:
                // Stop keeps (or creates) the stopped form: a suspended worker's Deployment at zero replicas records the
                // suspension; StopIfExists never creates a worker just to stop it.
                var running = action == BackendAction.Run;
                var create = action != BackendAction.StopIfExists;
                var workload = target.Profile.Schedule is null
                    ? await ApplyAsync(target.Profile, target.SecretVersions, running, ct, create).ConfigureAwait(false)
                    : await ApplyScheduledAsync(target.Profile, target.SecretVersions, running, target.Now, ct, create).ConfigureAwait(false);
                return new BackendOutcome(workload);
        }
    }

    /// <summary>A scheduled worker looks again when its next slot begins.</summary>
    public TimeSpan? NextLook(BackendOutcome outcome, bool running, DateTimeOffset now) =>
        outcome.Workload.NextRunAt is { } next && running ? next - now + TimeSpan.FromSeconds(1) : null;

    public async Task<string?> CloseAsync(WorkerProfile profile, WorkerStatus? recorded, CancellationToken ct)
    {
        await DeleteAsync(profile, ct).ConfigureAwait(false);
        return null;
    }

    public const string ByInstanceIndex = "flock-instance";

    /// <summary>Finished scheduled runs kept for their logs and status; older ones are deleted.</summary>
    public const int RunHistory = 3;

    public const string PodsByInstanceIndex = ByInstanceIndex;

    /// <summary>Selects only the operator's own children, so the caches hold nothing else.</summary>
    public const string ChildSelector = WorkerLabels.ManagedBy + "=" + WorkerLabels.Manager;

    /// <summary>The pod index the backend reads; register it on the pod informer before it runs.</summary>
    public static IEnumerable<string> PodInstanceKeys(V1Pod pod) => InstanceKeys(pod.Metadata);

    /// <summary>The index key of a child (pod, Job): namespace/app/instance from its labels.</summary>
    public static IEnumerable<string> InstanceKeys(V1ObjectMeta metadata) =>
        metadata.Label(WorkerLabels.Instance) is { } instance && metadata.Label(WorkerLabels.Name) is { } app
            ? [$"{metadata.NamespaceProperty}/{app}/{instance}"]
            : [];

    private static string InstanceKey(WorkerProfile profile) => $"{profile.Namespace}/{profile.AppName}/{profile.Name}";

    /// <param name="create">False only updates children that exist (a worker that must not run is never created just to be stopped).</param>
    public async Task<WorkloadObservation> ApplyAsync(WorkerProfile profile, string secretVersions, bool running, CancellationToken ct, bool create = true)
    {
        var desired = InClusterWorkloadBuilder.Build(profile, secretVersions, running);
        if (!create && deployments.Cache.Get(new ObjectKey(profile.Namespace, desired.Deployment.Metadata.Name)) is null)
        {
            return new WorkloadObservation(false, false, 0, null, null);
        }

        await EnsureClaimAsync(profile, desired.CacheClaim, ct).ConfigureAwait(false);

        // A worker switched from scheduled runs to a long-lived Deployment: the runs go.
        foreach (var run in jobs.Cache.ByIndex(ByInstanceIndex, InstanceKey(profile)))
        {
            await client.DeleteAsync(BuiltInKinds.Job, profile.Namespace, run.Metadata.Name, ct).ConfigureAwait(false);
        }

        var deployment = desired.Deployment;
        deployment.Metadata.Annotations = new Dictionary<string, string> { [WorkerLabels.SpecHashAnnotation] = Digest(client.Json.Serialize(deployment)) };
        var live = deployments.Cache.Get(new ObjectKey(profile.Namespace, deployment.Metadata.Name));
        if (live?.Metadata.Annotation(WorkerLabels.SpecHashAnnotation) != deployment.Metadata.Annotations[WorkerLabels.SpecHashAnnotation])
        {
            live = await client.ApplyAsync(BuiltInKinds.Deployment, profile.Namespace, deployment.Metadata.Name, deployment, ct).ConfigureAwait(false);
        }

        var workerPods = pods.Cache.ByIndex(PodsByInstanceIndex, InstanceKey(profile))
            .Where(p => p.Metadata.Label(WorkerLabels.RunSlot) is null).ToList();
        return WorkloadObserver.Observe(live, workerPods, profile.Kind == FlockValidator.KindName);
    }

    /// <summary>
    /// Runs a one-shot image as Jobs, one per time slot: creates the current slot's run when the worker
    /// may run, deletes active runs when it may not, and keeps a short history of finished runs.
    /// </summary>
    public async Task<WorkloadObservation> ApplyScheduledAsync(WorkerProfile profile, string secretVersions, bool running,
        DateTimeOffset now, CancellationToken ct, bool create = true)
    {
        var slot = RunSlot.At(now, profile.Schedule!.SubmissionsPerDay);
        var runs = jobs.Cache.ByIndex(ByInstanceIndex, InstanceKey(profile))
            .OrderByDescending(j => j.Metadata.CreationTimestamp ?? DateTime.MinValue).ToList();
        if (!create && runs.Count == 0) return new WorkloadObservation(false, false, 0, null, null);

        if (create) await EnsureClaimAsync(profile, InClusterWorkloadBuilder.Build(profile, secretVersions, false).CacheClaim, ct).ConfigureAwait(false);

        // A worker switched from a long-lived Deployment to scheduled runs: the Deployment goes.
        if (deployments.Cache.Get(new ObjectKey(profile.Namespace, WorkerLabels.WorkloadName(profile))) is not null)
        {
            await client.DeleteAsync(BuiltInKinds.Deployment, profile.Namespace, WorkerLabels.WorkloadName(profile), ct).ConfigureAwait(false);
        }

        var slotId = slot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (running && create && runs.All(r => r.Metadata.Label(WorkerLabels.RunSlot) != slotId))
        {
            try
            {
                var run = await client.CreateAsync(BuiltInKinds.Job, profile.Namespace, InClusterWorkloadBuilder.BuildRun(profile, secretVersions, slot), ct).ConfigureAwait(false);
                runs.Insert(0, run);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                // This slot's run exists already (an earlier pass, or another replica before a failover).
            }
        }

        foreach (var run in runs.Where(r => !running && !WorkloadObserver.Finished(r)).Concat(runs.Where(WorkloadObserver.Finished).Skip(RunHistory)).ToList())
        {
            await client.DeleteAsync(BuiltInKinds.Job, profile.Namespace, run.Metadata.Name, ct).ConfigureAwait(false);
            runs.Remove(run);
        }

        var workerPods = pods.Cache.ByIndex(PodsByInstanceIndex, InstanceKey(profile));
        return WorkloadObserver.ObserveRuns(runs, workerPods, slot.End);
    }

    private async Task EnsureClaimAsync(WorkerProfile profile, V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        if (claims.Cache.Get(new ObjectKey(profile.Namespace, claim.Metadata.Name)) is not null) return;
        try
        {
            await client.CreateAsync(BuiltInKinds.PersistentVolumeClaim, profile.Namespace, claim, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            // Created by an earlier pass whose watch event has not arrived yet.
        }
    }

    /// <summary>Whether the worker has an in-cluster Deployment or scheduled run (as the cache knows).</summary>
    public bool HasWorkload(WorkerProfile profile) =>
        deployments.Cache.Get(new ObjectKey(profile.Namespace, WorkerLabels.WorkloadName(profile))) is not null
        || jobs.Cache.ByIndex(ByInstanceIndex, InstanceKey(profile)).Any();

    /// <summary>Deletes the worker's children; missing ones count as deleted.</summary>
    public async Task DeleteAsync(WorkerProfile profile, CancellationToken ct)
    {
        foreach (var run in jobs.Cache.ByIndex(ByInstanceIndex, InstanceKey(profile)))
        {
            await client.DeleteAsync(BuiltInKinds.Job, profile.Namespace, run.Metadata.Name, ct).ConfigureAwait(false);
        }

        await client.DeleteAsync(BuiltInKinds.Deployment, profile.Namespace, WorkerLabels.WorkloadName(profile), ct).ConfigureAwait(false);
        await client.DeleteAsync(BuiltInKinds.PersistentVolumeClaim, profile.Namespace, WorkerLabels.CacheClaimName(profile), ct).ConfigureAwait(false);
    }

    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
