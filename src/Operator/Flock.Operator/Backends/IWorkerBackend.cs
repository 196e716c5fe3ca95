using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Workers;

namespace Flock.Operator.Backends;

/// <summary>What a backend needs to act on one worker in one pass.</summary>
/// <param name="Profile">The resource, read through its kind.</param>
/// <param name="Recorded">The status as last written: the record of what exists outside the cluster (an Akash dseq).</param>
/// <param name="Now">The pass's clock reading.</param>
/// <param name="SecretVersions">A digest of the referenced Secrets' versions (a rotated key rolls the in-cluster worker).</param>
/// <param name="DseqsOfOthers">Deployment ids other resources record for an account (a new Akash deployment avoids them).</param>
public sealed record WorkerTarget(
    WorkerProfile Profile,
    WorkerStatus? Recorded,
    DateTimeOffset Now,
    string SecretVersions,
    Func<string, IReadOnlySet<long>> DseqsOfOthers);

/// <summary>What a backend saw after it acted: the workload, and for Akash the deployment and lease for status.</summary>
public sealed record BackendOutcome(WorkloadObservation Workload, AkashStatus? Akash = null)
{
    /// <summary>Nothing observed (the backend was left alone, or nothing exists there).</summary>
    public static BackendOutcome Nothing { get; } = new(new WorkloadObservation(false, false, 0, null, null));
}

/// <summary>
/// One place a worker can run. The reconciler observes (from caches and the status record, never an outside call),
/// plans, then asks each backend for one <see cref="BackendAction"/>; the backend applies it and reports what it saw.
/// Each backend owns the conditions it names: they are written while the worker is placed on it and removed when the
/// worker leaves.
/// </summary>
public interface IWorkerBackend
{
    Backend Kind { get; }

    /// <summary>The condition types this backend owns (beyond the reconciler's own).</summary>
    IReadOnlyList<string> OwnedConditions { get; }

    /// <summary>Whether the worker has anything on this backend, as the caches and the status record show.</summary>
    bool HasWorkload(WorkerProfile profile, WorkerStatus? recorded);

    /// <summary>Applies one action and reports what it saw afterwards.</summary>
    Task<BackendOutcome> ApplyAsync(WorkerTarget target, BackendAction action, CancellationToken ct);

    /// <summary>When the reconciler should look again without a watch event (an Akash poll, a scheduled run's slot); null: never.</summary>
    TimeSpan? NextLook(BackendOutcome outcome, bool running, DateTimeOffset now);

    /// <summary>The finalizer's step: removes everything the worker has here; a sentence for the event, or null when nothing was there.</summary>
    Task<string?> CloseAsync(WorkerProfile profile, WorkerStatus? recorded, CancellationToken ct);
}
