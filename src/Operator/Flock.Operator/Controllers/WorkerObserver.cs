using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Placement;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Staking;
using Flock.Operator.FlockTasks;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;

namespace Flock.Operator.Controllers;

/// <summary>
/// The observe step of a pass: everything the planner decides on, read from the informers' caches and the trackers'
/// snapshots (no FLock API, EVM or Akash call). Only Auto placement lists nodes and pods, and only once per generation.
/// </summary>
public sealed class WorkerObserver<T>(
    FlockKind<T> kind,
    Informer<T> resources,
    Informer<V1Secret> secrets,
    KubeRestClient client,
    IReadOnlyList<IWorkerBackend> backends,
    TaskTracker? tasks,
    StakeTracker? stakes,
    StakingOptions? staking) where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly AutoPlacement _placement = new(client);

    private bool AkashConfigured => backends.Any(b => b.Kind == Backend.Akash);

    public async Task<WorkerInputs> ObserveAsync(T resource, WorkerProfile profile, WorkerStatus? recorded, DateTimeOffset now, CancellationToken ct)
    {
        var spec = profile.Spec;
        var generation = resource.Metadata.Generation ?? 0;
        var badQuantity = QuantityCheck.Problem(spec);
        var placement = badQuantity is null
            ? await _placement.DecideAsync(profile, recorded?.Workload, generation, AkashConfigured, ct).ConfigureAwait(false)
            : new PlacementDecision(spec.Placement.Mode == PlacementMode.Akash ? Backend.Akash : Backend.InCluster, "not placed: " + badQuantity.Message, generation);
        var onAkash = placement.Backend == Backend.Akash;
        return new WorkerInputs
        {
            Generation = generation,
            Suspended = spec.Suspend,
            Blocker = SecretProblem(profile) ?? badQuantity ?? (onAkash ? AkashProblem() : GpuModelProblem(spec)),
            Placement = placement,
            Task = tasks is null ? null : TaskJudge.Judge(profile, profile.TaskIds.Select(tasks.Watch).ToList(), now),
            Stake = JudgeStake(profile, recorded?.Staking),
            Recorded = recorded,
            InClusterExists = backends.Any(b => b.Kind == Backend.InCluster && b.HasWorkload(profile, recorded)),
            AkashConfigured = AkashConfigured,
        };
    }

    /// <summary>A digest of the referenced Secrets' resourceVersions: it changes when a key is rotated.</summary>
    public string SecretVersions(WorkerProfile profile) =>
        InClusterBackend.Digest(string.Join(";", WorkerEnvironment.SecretReferences(profile).Select(r => r.Secret).Distinct().Order()
            .Select(name => $"{name}={secrets.Cache.Get(new ObjectKey(profile.Namespace, name))?.Metadata.ResourceVersion}")));

    /// <summary>dseqs other resources of this kind record for the same paying account (so a new one never collides).</summary>
    public HashSet<long> DseqsOfOthers(T resource, string owner) =>
        resources.Cache.List()
            .Where(r => r.Metadata.Uid != resource.Metadata.Uid)
            .Select(r => kind.GetStatus(r)?.Akash)
            .Where(a => a?.Owner == owner && a.Dseq is not null)
            .Select(a => a!.Dseq!.Value)
            .ToHashSet();

    /// <summary>The stakes a resource needs read (for the tracker's list of stakes in use).</summary>
    public static IEnumerable<StakeKey> StakeKeys(WorkerProfile profile, StakingOptions staking) =>
        staking.Resolve(profile.Spec.Staking.Chain) is { Chain: { } chain }
            ? profile.TaskIds.Select(id => StakeKey.Of(chain, id, profile.Spec.Staking.Address, profile.StakeRole))
            : [];

    private StakeVerdict? JudgeStake(WorkerProfile profile, StakingStatus? recorded)
    {
        if (stakes is null || staking is null) return null;
        var spec = profile.Spec.Staking;
        var (chain, problem) = staking.Resolve(spec.Chain);
        if (chain is null) return StakeJudge.NotConfigured(spec.Address, spec.Gate, problem!);
        var snapshots = profile.TaskIds.Select(id => stakes.Watch(StakeKey.Of(chain, id, spec.Address, profile.StakeRole))).ToList();
        return StakeJudge.Judge(spec.Address, spec.Gate, RecordedStakes.Fill(snapshots, recorded));
    }

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

    private WorkloadProblem? AkashProblem() => AkashConfigured
        ? null
        : new WorkloadProblem("AkashNotConfigured", "placement.mode is Akash but the operator has no Akash node: set its Akash__GrpcUrl (and Akash__ChainId)", Fatal: true);

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
}
