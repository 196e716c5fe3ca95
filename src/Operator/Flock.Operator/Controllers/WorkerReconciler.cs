using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.Akash;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Tasks;
using Flock.Operator.Staking;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Controllers;

/// <summary>
/// The one reconciler both kinds share. It reads like the spec: observe (the resource, its Secrets,
/// its children), compute what should run, apply the difference through the backend, write status
/// once (and only if it changed), and record an event when the phase moves.
/// </summary>
public sealed partial class WorkerReconciler<T>(
    FlockKind<T> kind,
    ControllerContext context,
    Informer<T> resources,
    Informer<V1Secret> secrets,
    InClusterBackend inCluster,
    TaskTracker? tasks,
    StakeTracker? stakes = null,
    StakingOptions? staking = null,
    AkashBackend? akash = null) : IReconciler where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ILogger _logger = context.Loggers.CreateLogger($"Reconciler.{kind.Resource.Kind}");
    private readonly Placement.AutoPlacement _placement = new(context.Client);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        // Observe.
        var resource = resources.Cache.Get(key);
        if (resource is null) return ReconcileResult.Done; // gone: children follow through their owner references
        var profile = kind.Profile(resource);

        if (resource.Metadata.DeletionTimestamp is not null)
        {
            await CleanUpAsync(resource, profile, ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        // The finalizer goes on before anything exists outside the resource, so nothing can leak.
        resource = await context.Finalizers.AddAsync(kind.Resource, resource, FlockApi.CleanupFinalizer, ct).ConfigureAwait(false);
        var spec = profile.Spec;
        var previous = kind.GetStatus(resource);
        var generation = resource.Metadata.Generation ?? 0;
        var badQuantity = QuantityCheck.Problem(spec);
        var placement = badQuantity is null
            ? await _placement.DecideAsync(profile, previous?.Workload, generation, akash is not null, ct).ConfigureAwait(false)
            : new Placement.PlacementDecision(spec.Placement.Mode == PlacementMode.Akash ? Backend.Akash : Backend.InCluster, "not placed: " + badQuantity.Message, generation);
        var onAkash = placement.Backend == Backend.Akash;
        var blocker = SecretProblem(profile) ?? badQuantity ?? (onAkash ? AkashProblem(spec) : GpuModelProblem(spec));
        var now = context.Time.GetUtcNow();
        var task = tasks is null ? null : TaskJudge.Judge(profile, profile.TaskIds.Select(tasks.Watch).ToList(), now);
        var stake = JudgeStake(profile, previous?.Staking);

        // Compute the desired state and apply the difference. A worker runs only when nothing holds it
        // back; one that must not run is scaled to zero if it exists, and not created otherwise.
        var hold = blocker is not null || task is { Closed: true } || task is { NotFound: true } || stake is { Hold: true };
        var running = !spec.Suspend && !hold;
        // Right after a start the task and the stake are not read yet. Not knowing is no reason to stop a worker (an
        // Akash deployment closed now would be replaced by a new one with a new lease once the stake is read), so the
        // backends are left as they are until the first reads; those reconcile the resource again.
        var stakePending = stake is { Reason: "StakePending" };
        var awaitingFirstRead = task is { Open: ConditionStatus.Unknown, ApiUnavailable: false } || stakePending;
        if (awaitingFirstRead && previous?.Phase is not null && previous.ObservedGeneration == generation)
        {
            // The status describes this generation already: nothing new is known that would change it.
            return ReconcileResult.After(TimeSpan.FromSeconds(1));
        }

        WorkloadObservation workload = new(false, false, 0, null, null);
        AkashStatus? akashStatus = null;

        // Never both at once: the backend the worker leaves is stopped before the other one starts. (The cache is asked
        // too: a pass that ran before the last status write reached the cache must not leave a Deployment behind.)
        if (onAkash && (previous?.Workload?.Backend == Backend.InCluster || inCluster.HasWorkload(profile)))
        {
            await inCluster.DeleteAsync(profile, ct).ConfigureAwait(false);
        }
        else if (!onAkash && akash is not null && previous?.Akash is { Dseq: not null } leftOnAkash && blocker is null)
        {
            akashStatus = (await akash.EnsureAsync(profile, leftOnAkash, running: false, ct).ConfigureAwait(false)).Status;
        }

        if (onAkash && akash is not null && blocker is null && !awaitingFirstRead)
        {
            var observed = await akash.EnsureAsync(profile, previous?.Akash, running, ct, owner => DseqsOfOthers(resource, owner)).ConfigureAwait(false);
            akashStatus = observed.Status;
            workload = new WorkloadObservation(observed.Status.Dseq is not null, observed.LeaseActive, 0, null, observed.Problem);
        }
        else if (onAkash)
        {
            // Until the blocker is fixed or the task and stake are first read, the deployment is left as it is.
            akashStatus = previous?.Akash;
        }
        else if (spec.Suspend || (!hold && !awaitingFirstRead))
        {
            workload = await ApplyAsync(profile, running, create: true, now, ct).ConfigureAwait(false);
        }
        else if (task is { Closed: true } || task is { NotFound: true } || (stake is { Hold: true } && !stakePending))
        {
            workload = await ApplyAsync(profile, running: false, create: false, now, ct).ConfigureAwait(false);
        }

        // Write status once.
        var parts = WorkerStatusBuilder.Build(
            new WorkerFacts
            {
                Backend = onAkash ? Backend.Akash : Backend.InCluster, Suspended = spec.Suspend, Blocker = spec.Suspend ? null : blocker,
                Workload = workload, Task = task, Stake = stake, Akash = akashStatus ?? previous?.Akash, Placement = placement,
                LastSeenRunning = previous?.Workload?.Ready == true,
            },
            previous?.Conditions, generation, now);
        var desired = kind.Compose(resource, parts, generation);
        await context.Status.WriteAsync(kind.Resource, resource, desired, kind.GetStatus, kind.SetStatus, ct).ConfigureAwait(false);

        if (previous?.Phase != parts.Phase) await RecordTransitionAsync(resource, parts, ct).ConfigureAwait(false);

        // An Akash worker is polled (escrow, bids, lease): soon right after its dseq was chosen, else at the poll interval.
        // (Without a backend — an operator started with no Akash node — there is nothing to poll: the resource says so
        // in its conditions and waits for a change.)
        if (onAkash && akashStatus is not null && akash is not null)
        {
            return ReconcileResult.After(TimeSpan.FromSeconds(akashStatus.LeaseState == "creating" ? Math.Min(1, akash.Options.PollSeconds) : akash.Options.PollSeconds));
        }

        // A scheduled worker looks again when its next slot begins.
        return workload.NextRunAt is { } next && running ? ReconcileResult.After(next - now + TimeSpan.FromSeconds(1)) : ReconcileResult.Done;
    }

    private Task<WorkloadObservation> ApplyAsync(WorkerProfile profile, bool running, bool create, DateTimeOffset now, CancellationToken ct) =>
        profile.Schedule is null
            ? inCluster.ApplyAsync(profile, SecretVersions(profile), running, ct, create)
            : inCluster.ApplyScheduledAsync(profile, SecretVersions(profile), running, now, ct, create);

    private async Task CleanUpAsync(T resource, WorkerProfile profile, CancellationToken ct)
    {
        if (!Runtime.Status.Finalizers.Has(resource, FlockApi.CleanupFinalizer)) return;
        if (akash is not null && kind.GetStatus(resource)?.Akash is { Dseq: not null } deployed)
        {
            // The deployment closes before the finalizer goes: the escrow comes back and no lease is left to pay.
            var refunded = await akash.CloseAsync(profile, deployed, ct).ConfigureAwait(false);
            if (refunded is not null)
            {
                await context.Events.NormalAsync(resource, "DeploymentClosed", $"closed deployment {deployed.Owner}/{deployed.Dseq}; escrow {refunded} returned to the account", ct).ConfigureAwait(false);
            }
        }

        await inCluster.DeleteAsync(profile, ct).ConfigureAwait(false);
        await context.Finalizers.RemoveAsync(kind.Resource, resource, FlockApi.CleanupFinalizer, ct).ConfigureAwait(false);
        LogCleanedUp(kind.Resource.Kind, profile.Namespace, profile.Name);
    }

    /// <summary>dseqs other resources of this kind record for the same paying account (so a new one never collides).</summary>
    private HashSet<long> DseqsOfOthers(T resource, string owner) =>
        resources.Cache.List()
            .Where(r => r.Metadata.Uid != resource.Metadata.Uid)
            .Select(r => kind.GetStatus(r)?.Akash)
            .Where(a => a?.Owner == owner && a.Dseq is not null)
            .Select(a => a!.Dseq!.Value)
            .ToHashSet();

    private StakeVerdict? JudgeStake(WorkerProfile profile, StakingStatus? recorded)
    {
        if (stakes is null || staking is null) return null;
        var spec = profile.Spec.Staking;
        var (chain, problem) = staking.Resolve(spec.Chain);
        if (chain is null) return StakeJudge.NotConfigured(spec.Address, spec.Gate, problem!);
        var snapshots = profile.TaskIds.Select(id => stakes.Watch(StakeKey.Of(chain, id, spec.Address, profile.StakeRole))).ToList();
        return StakeJudge.Judge(spec.Address, spec.Gate, RecordedStakes.Fill(snapshots, recorded));
    }

    /// <summary>The stakes a resource needs read (for the tracker's list of stakes in use).</summary>
    public static IEnumerable<StakeKey> StakeKeys(WorkerProfile profile, StakingOptions staking) =>
        staking.Resolve(profile.Spec.Staking.Chain) is { Chain: { } chain }
            ? profile.TaskIds.Select(id => StakeKey.Of(chain, id, profile.Spec.Staking.Address, profile.StakeRole))
            : [];

    private WorkloadProblem? SecretProblem(WorkerProfile profile)
    {
        foreach (var (name, key) in WorkerEnvironment.SecretReferences(profile))
        {
            var secret = secrets.Cache.Get(new ObjectKey(profile.Namespace, name));
            if (secret is null)
            {
                return new WorkloadProblem("SecretNotFound", $"Secret {profile.Namespace}/{name} does not exist; create it with the key {key}", Fatal: true);
            }

            if (secret.Data?.ContainsKey(key) != true && secret.StringData?.ContainsKey(key) != true)
            {
                return new WorkloadProblem("SecretKeyMissing", $"Secret {profile.Namespace}/{name} has no key {key}", Fatal: true);
            }
        }

        return null;
    }

    private WorkloadProblem? AkashProblem(WorkerSpec spec) => akash is null
        ? new WorkloadProblem("AkashNotConfigured", "placement.mode is Akash but the operator has no Akash node: set its Akash__GrpcUrl (and Akash__ChainId)", Fatal: true)
        : null;

    private static WorkloadProblem? GpuModelProblem(WorkerSpec spec)
    {
        var gpu = spec.Resources.Gpu;
        if (gpu.Count == 0 || gpu.Models is not { Count: > 0 } models) return null;
        var unknown = GpuAffinity.UnknownModels(gpu);
        return unknown.Count < models.Count
            ? null
            : new WorkloadProblem("UnknownGpuModel",
                $"none of the GPU models {string.Join(", ", models)} can be matched to cluster nodes; known models: {string.Join(", ", GpuProductLabels.KnownModels.Order())}",
                Fatal: true);
    }

    /// <summary>A digest of the referenced Secrets' resourceVersions: it changes when a key is rotated.</summary>
    private string SecretVersions(WorkerProfile profile) =>
        InClusterBackend.Digest(string.Join(";", WorkerEnvironment.SecretReferences(profile).Select(r => r.Secret).Distinct().Order()
            .Select(name => $"{name}={secrets.Cache.Get(new ObjectKey(profile.Namespace, name))?.Metadata.ResourceVersion}")));

    private Task RecordTransitionAsync(T resource, WorkerStatusParts parts, CancellationToken ct)
    {
        var ready = parts.Conditions.First(c => c.Type == WorkerStatusBuilder.Ready);
        var warning = parts.Phase is Phase.Failed or Phase.Degraded;
        return warning
            ? context.Events.WarningAsync(resource, ready.Reason, ready.Message, ct)
            : context.Events.NormalAsync(resource, ready.Reason, ready.Message, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Namespace}/{Name}: children removed, finalizer released")]
    private partial void LogCleanedUp(string kind, string @namespace, string name);
}
