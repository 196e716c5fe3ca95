using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Runtime.Status;

namespace Flock.Operator.Workers;

/// <summary>What the reconciler observed this pass, as input to the status.</summary>
public sealed record WorkerFacts
{
    public required Backend Backend { get; init; }
    public bool Suspended { get; init; }

    /// <summary>A problem in the resource's inputs (a missing Secret or key, an unknown GPU model) that a person must fix.</summary>
    public WorkloadProblem? Blocker { get; init; }

    public required WorkloadObservation Workload { get; init; }

    /// <summary>What the FLock tasks say; null when tasks are not judged (no FLock API configured).</summary>
    public TaskVerdict? Task { get; init; }

    /// <summary>What the stakes say; null when stakes are not judged.</summary>
    public Staking.StakeVerdict? Stake { get; init; }

    /// <summary>The Akash deployment and lease, for a worker placed on Akash.</summary>
    public AkashStatus? Akash { get; init; }

    /// <summary>Where the worker was placed and why.</summary>
    public Placement.PlacementDecision? Placement { get; init; }

    /// <summary>The last status written said the worker was up (so a pass that cannot look has a last sight to report).</summary>
    public bool LastSeenRunning { get; init; }
}

/// <summary>The parts of status the reconciler core owns.</summary>
/// <param name="ObservedGeneration">The generation the status describes: this pass's when it succeeded, the last successful pass's when it failed.</param>
public sealed record WorkerStatusParts(Phase Phase, IReadOnlyList<Condition> Conditions, WorkloadStatus Workload, IReadOnlyList<FlockTaskStatus> Tasks,
    StakingStatus? Staking, AkashStatus? Akash, long? ObservedGeneration);

/// <summary>
/// Turns facts into phase and conditions, kstatus-style: Ready (for people, Argo CD and kubectl wait; a summary of the
/// owned conditions, see <see cref="ReadySummary"/>),
/// Reconciling and Stalled (abnormal-true, for kstatus and Flux, always written so "no condition" never
/// means "fine"), and WorkloadReady. Every condition carries the generation it describes.
/// </summary>
public static class WorkerStatusBuilder
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";
    public const string WorkloadReady = "WorkloadReady";
    public const string TaskOpen = "TaskOpen";
    public const string Staked = "Staked";
    public const string LeaseActive = "LeaseActive";

    /// <summary>WorkloadReady's reason when a first pass failed before the worker was ever observed.</summary>
    public const string NotObservedReason = "NotObservedYet";

    /// <summary>Every condition type the operator writes; a known type the pass does not own is removed, a foreign one kept.</summary>
    public static readonly IReadOnlyList<string> Known = [Ready, Reconciling, Stalled, WorkloadReady, TaskOpen, Staked, LeaseActive];

    /// <summary>The conditions a backend owns: written while the worker is placed there, removed when it leaves.</summary>
    public static IReadOnlyList<string> BackendConditions(Backend backend) => backend == Backend.Akash ? [LeaseActive] : [];

    public static WorkerStatusParts Build(WorkerFacts facts, IReadOnlyList<Condition>? previous, long generation, DateTimeOffset now)
    {
        var (phase, reconciling, stalled, workload) = Decide(facts);
        var owned = new List<(string Type, Verdict Verdict)> { (Reconciling, reconciling), (Stalled, stalled), (WorkloadReady, workload) };
        if (facts.Task is { } task) owned.Add((TaskOpen, new Verdict(task.Open, task.Reason, task.Message)));
        if (facts.Stake is { } stake) owned.Add((Staked, new Verdict(stake.Staked, stake.Reason, stake.Message)));
        if (BackendConditions(facts.Backend).Contains(LeaseActive)) owned.Add((LeaseActive, LeaseVerdict(facts)));

        var conditions = Prune(previous, owned.Select(o => o.Type).Append(Ready));
        var ready = ReadySummary.Of(phase, owned.ToDictionary(o => o.Type, o => (o.Verdict.Status, o.Verdict.Reason, o.Verdict.Message)));
        conditions = ConditionSet.Set(conditions, Ready, ready.Status, ready.Reason, ready.Message, generation, now);
        foreach (var (type, verdict) in owned) conditions = ConditionSet.Set(conditions, type, verdict.Status, verdict.Reason, verdict.Message, generation, now);

        var observed = facts.Workload;
        return new WorkerStatusParts(phase, conditions, new WorkloadStatus
        {
            Backend = facts.Backend,
            Ready = observed.Ready || Unseen(facts) is not null,
            Restarts = observed.Restarts,
            Since = observed.Since,
            PlacementReason = facts.Placement?.Reason,
            PlacedGeneration = facts.Placement?.Generation,
        }, facts.Task?.Tasks ?? [], facts.Stake?.Status, facts.Akash, generation);
    }

    /// <summary>
    /// The status of a pass that failed: what was last observed stays (workload, task, stake, Akash facts, observed
    /// generation), Ready turns False with the failure as its reason, Reconciling says the pass is retried. A worker
    /// that was Running is Degraded: it may well still run, but the operator cannot currently manage it.
    /// </summary>
    public static WorkerStatusParts Failed(WorkerStatus? recorded, ReconcileFailure failure, AkashStatus? akash, DateTimeOffset now)
    {
        var phase = recorded?.Phase switch
        {
            null => Phase.Pending,
            Phase.Running => Phase.Degraded,
            { } kept => kept,
        };
        var observedGeneration = recorded?.ObservedGeneration;
        var failing = (ConditionStatus.True, failure.Reason, failure.Message);
        var summary = ReadySummary.Of(phase, new Dictionary<string, (ConditionStatus, string, string)> { [Reconciling] = failing });
        var conditions = ConditionSet.Set(recorded?.Conditions, Ready, summary.Status, summary.Reason, summary.Message, observedGeneration, now);
        conditions = ConditionSet.Set(conditions, Reconciling, ConditionStatus.True, failure.Reason, failure.Message, observedGeneration, now);
        // kstatus: Reconciling and Stalled are never both true; a retried failure is not a stall.
        conditions = ConditionSet.Set(conditions, Stalled, ConditionStatus.False, "NotStalled", "no problem needs attention", observedGeneration, now);
        conditions = ConditionSet.Set(conditions, WorkloadReady, ConditionSet.Find(conditions, WorkloadReady)?.Status ?? ConditionStatus.Unknown,
            ConditionSet.Find(conditions, WorkloadReady)?.Reason ?? NotObservedReason, ConditionSet.Find(conditions, WorkloadReady)?.Message ?? "nothing has been observed yet",
            observedGeneration, now);
        return new WorkerStatusParts(phase, conditions, recorded?.Workload ?? new WorkloadStatus(), [], recorded?.Staking, akash ?? recorded?.Akash, observedGeneration);
    }

    /// <summary>Removes the known conditions the pass does not own (a backend's, after the worker left it); foreign ones stay.</summary>
    private static IReadOnlyList<Condition> Prune(IReadOnlyList<Condition>? conditions, IEnumerable<string> owned)
    {
        var keep = owned.ToHashSet(StringComparer.Ordinal);
        return (conditions ?? []).Where(c => keep.Contains(c.Type) || !Known.Contains(c.Type)).ToList();
    }

    private static Verdict LeaseVerdict(WorkerFacts facts) =>
        Unseen(facts) is { } unseen
            ? new Verdict(ConditionStatus.Unknown, unseen.Reason, $"leased from {facts.Akash?.Provider} when last seen; {unseen.Message}")
            : facts.Workload.Ready
            ? new Verdict(ConditionStatus.True, "LeaseActive", $"leased from {facts.Akash?.Provider} at {facts.Akash?.Price}/block" + CapNote(facts))
            : new Verdict(ConditionStatus.False, facts.Workload.Problem?.Reason ?? facts.Blocker?.Reason ?? (facts.Suspended ? "Suspended" : "NoDeployment"),
                facts.Workload.Problem?.Message ?? facts.Blocker?.Message ?? "no deployment is open");

    /// <summary>The spending cap cutting top-ups short is said on the lease (it still runs), not as a failure.</summary>
    private static string CapNote(WorkerFacts facts) => facts.Akash?.TopUpCapped is { } capped ? "; " + capped : "";

    /// <summary>Problems that hide an Akash lease from the operator without touching it.</summary>
    private static readonly HashSet<string> BlindingProblems = new(StringComparer.Ordinal) { "AkashUnavailable", "AkashInvalidAnswer", "ProviderUnreachable" };

    /// <summary>
    /// The problem that keeps this pass from seeing an Akash worker that was running, while its lease is still active as
    /// far as the operator knows (a lease the operator replaced, or one the chain says ended, is not "unseen").
    /// </summary>
    private static WorkloadProblem? Unseen(WorkerFacts facts) =>
        facts is { Backend: Backend.Akash, LastSeenRunning: true, Suspended: false, Blocker: null, Akash.LeaseState: "active", Workload: { Ready: false, Problem: { Fatal: false } problem } }
        && BlindingProblems.Contains(problem.Reason)
            ? problem
            : null;

    private readonly record struct Verdict(ConditionStatus Status, string Reason, string Message);

    private static (Phase, Verdict Reconciling, Verdict Stalled, Verdict Workload) Decide(WorkerFacts facts)
    {
        var notStalled = new Verdict(ConditionStatus.False, "NotStalled", "no problem needs attention");
        var done = new Verdict(ConditionStatus.False, "Reconciled", "the worker matches the spec");

        if (facts.Suspended)
        {
            // Stopped on purpose: the desired state is reached, so Ready (the summary) is True with this reason.
            return (Phase.Suspended, done, notStalled, new Verdict(ConditionStatus.False, "Suspended", "the worker is stopped by spec.suspend"));
        }

        if (facts.Blocker is { } blocker)
        {
            var failed = new Verdict(ConditionStatus.False, blocker.Reason, blocker.Message);
            return (Phase.Failed, new Verdict(ConditionStatus.False, blocker.Reason, "waiting for the problem to be fixed"),
                new Verdict(ConditionStatus.True, blocker.Reason, blocker.Message), failed);
        }

        if (facts.Task is { } missing && (missing.NotFound || missing.Unservable))
        {
            var failed = new Verdict(ConditionStatus.False, missing.Reason, missing.Message);
            return (Phase.Failed, new Verdict(ConditionStatus.False, missing.Reason, "waiting for the problem to be fixed"),
                new Verdict(ConditionStatus.True, missing.Reason, missing.Message), failed);
        }

        if (facts.Task is { Closed: true } closed)
        {
            // The desired state, a stopped worker, is reached: Ready, so GitOps tools see the resource as settled.
            return (Phase.TaskClosed, done, notStalled, new Verdict(ConditionStatus.False, closed.Reason, closed.Message));
        }

        if (facts.Stake is { Hold: true } held)
        {
            var awaiting = new Verdict(ConditionStatus.False, held.Reason, held.Message);
            // A missing configuration needs a person; a missing stake needs only the stake transaction.
            var stalled = held.Reason == "StakingNotConfigured" ? new Verdict(ConditionStatus.True, held.Reason, held.Message) : notStalled;
            return (Phase.AwaitingStake, new Verdict(ConditionStatus.False, "AwaitingStake", "the worker starts when the stake is on-chain"),
                stalled, awaiting);
        }

        var workload = facts.Workload;
        if (workload.Ready)
        {
            var running = new Verdict(ConditionStatus.True, "Running", $"the worker is running ({facts.Backend})");
            // The FLock API being down does not touch the worker; it only means the task's state may be stale.
            return (facts.Task?.ApiUnavailable == true ? Phase.Degraded : Phase.Running, done, notStalled, running);
        }

        if (Unseen(facts) is { } unseen)
        {
            // Only the operator's view is gone (the node or the provider does not answer); the lease and the worker on it
            // do not depend on that view, so the worker is reported as last seen, Degraded, until the view is back.
            var lastSeen = new Verdict(ConditionStatus.True, unseen.Reason, $"the worker was running ({facts.Backend}) when last seen; {unseen.Message}");
            return (Phase.Degraded, done, notStalled, lastSeen);
        }

        if (workload.NextRunAt is { } nextRun && workload.Problem is null or { Reason: "ScheduledRunFailed" })
        {
            // Between two scheduled runs the worker is where it should be: waiting for its next slot.
            var message = workload.Problem?.Message ?? $"scheduled: the next run starts at {nextRun:u}";
            var scheduled = new Verdict(ConditionStatus.True, workload.Problem?.Reason ?? "Scheduled", message);
            return (Phase.Running, done, notStalled, scheduled);
        }

        if (workload.Problem is { Fatal: true } fatal)
        {
            var failed = new Verdict(ConditionStatus.False, fatal.Reason, fatal.Message);
            var phase = fatal.Reason == "CrashLoopBackOff" ? Phase.Degraded : Phase.Failed;
            return (phase, new Verdict(ConditionStatus.False, fatal.Reason, "waiting for the problem to be fixed"),
                new Verdict(ConditionStatus.True, fatal.Reason, fatal.Message), failed);
        }

        if (workload.Problem is { } waiting)
        {
            var pending = new Verdict(ConditionStatus.False, waiting.Reason, waiting.Message);
            return (Phase.Provisioning, new Verdict(ConditionStatus.True, waiting.Reason, waiting.Message), notStalled, pending);
        }

        var provisioning = new Verdict(ConditionStatus.False, "Provisioning", "the worker is starting");
        return (Phase.Provisioning, new Verdict(ConditionStatus.True, "Provisioning", provisioning.Message), notStalled, provisioning);
    }
}
