using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Placement;
using Flock.Operator.Staking;
using Flock.Operator.Workers;

namespace Flock.Operator.Tests.Workers;

/// <summary>
/// The desired state as a value: every phase of the spec's phase list and every hold reason, from observed inputs to
/// the plan and on to the status a user reads, with no server. Each row is one situation a user can be in.
/// </summary>
public sealed class WorkerPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);
    private const long Generation = 4;

    private static readonly TaskVerdict Open = new(ConditionStatus.True, "SubmissionPhase", "task 12 accepts submissions", false, false, false, []);
    private static readonly TaskVerdict Unread = new(ConditionStatus.Unknown, "TaskPending", "waiting for the first read", false, false, false, []);
    private static readonly TaskVerdict ApiDown = Open with { ApiUnavailable = true, Reason = "FlockApiUnavailable" };
    private static readonly TaskVerdict Closed = new(ConditionStatus.False, "SubmissionPhaseEnded", "task 12 left its submission phase", true, false, false, []);
    private static readonly TaskVerdict Missing = new(ConditionStatus.False, "TaskNotFound", "the FLock API knows no task 12", false, true, false, []);
    private static readonly TaskVerdict WrongType = new(ConditionStatus.False, "TaskTypeUnsupported", "task 12 is a reinforcement_learning task", false, false, false, [], Unservable: true);
    private static readonly StakeVerdict Staked = new(ConditionStatus.True, "StakeFound", "staked", false, new StakingStatus());
    private static readonly StakeVerdict NoStake = new(ConditionStatus.False, "StakeMissing", "no stake on task 12", true, new StakingStatus());
    private static readonly StakeVerdict Pending = new(ConditionStatus.Unknown, "StakePending", "first read", true, new StakingStatus());
    private static readonly StakeVerdict NotConfigured = new(ConditionStatus.Unknown, "StakingNotConfigured", "no RPC", true, new StakingStatus());
    private static readonly WorkloadProblem MissingSecret = new("SecretNotFound", "Secret ns/flock does not exist", Fatal: true);

    private static readonly WorkloadObservation Up = new(true, true, 0, Now.AddMinutes(-5), null);
    private static readonly WorkloadObservation Starting = new(true, false, 0, null, null);
    private static readonly WorkloadObservation Crashing = new(true, false, 6, null, new WorkloadProblem("CrashLoopBackOff", "back-off restarting", Fatal: true));
    private static readonly WorkloadObservation ImageGone = new(true, false, 0, null, new WorkloadProblem("ImagePullFailed", "no such image", Fatal: true));
    private static readonly WorkloadObservation Unschedulable = new(true, false, 0, null, new WorkloadProblem("Unschedulable", "0/3 nodes have a free GPU", Fatal: false));
    private static readonly WorkloadObservation Nothing = new(false, false, 0, null, null);

    private static WorkerInputs Inputs(Backend backend = Backend.InCluster, TaskVerdict? task = null, StakeVerdict? stake = null, bool suspended = false,
        WorkloadProblem? blocker = null, WorkerStatus? recorded = null, bool inClusterExists = false, bool akash = true) => new()
    {
        Generation = Generation,
        Suspended = suspended,
        Blocker = blocker,
        Placement = new PlacementDecision(backend, $"placement.mode is {backend}", Generation),
        Task = task ?? Open,
        Stake = stake ?? Staked,
        Recorded = recorded,
        InClusterExists = inClusterExists,
        AkashConfigured = akash,
    };

    public sealed record Row(string Situation, WorkerInputs Inputs, WorkloadObservation Observed, HoldReason? Hold, BackendAction InCluster,
        BackendAction Akash, Phase Phase, ConditionStatus Ready)
    {
        public override string ToString() => Situation;
    }

    private static readonly FlockTrainingNodeStatus RecordedOnAkash = new()
    {
        Phase = Phase.Running, ObservedGeneration = Generation - 1,
        Workload = new WorkloadStatus { Backend = Backend.Akash }, Akash = new AkashStatus { Dseq = 77, LeaseState = "active" },
    };

    private static readonly FlockTrainingNodeStatus RecordedInCluster = new()
    {
        Phase = Phase.Running, ObservedGeneration = Generation - 1, Workload = new WorkloadStatus { Backend = Backend.InCluster },
    };

    public static TheoryData<Row> Rows => new()
    {
        // Running and its neighbours, in-cluster.
        new Row("running in-cluster", Inputs(), Up, null, BackendAction.Run, BackendAction.Leave, Phase.Running, ConditionStatus.True),
        new Row("starting in-cluster", Inputs(), Starting, null, BackendAction.Run, BackendAction.Leave, Phase.Provisioning, ConditionStatus.False),
        new Row("waiting for a GPU", Inputs(), Unschedulable, null, BackendAction.Run, BackendAction.Leave, Phase.Provisioning, ConditionStatus.False),
        new Row("running while the FLock API is down", Inputs(task: ApiDown), Up, null, BackendAction.Run, BackendAction.Leave, Phase.Degraded, ConditionStatus.True),
        new Row("crash looping", Inputs(), Crashing, null, BackendAction.Run, BackendAction.Leave, Phase.Degraded, ConditionStatus.False),
        new Row("image cannot be pulled", Inputs(), ImageGone, null, BackendAction.Run, BackendAction.Leave, Phase.Failed, ConditionStatus.False),

        // Every hold reason.
        new Row("suspended", Inputs(suspended: true), Nothing, HoldReason.Suspended, BackendAction.Stop, BackendAction.Leave, Phase.Suspended, ConditionStatus.True),
        new Row("suspended wins over a missing stake", Inputs(suspended: true, stake: NoStake), Nothing, HoldReason.Suspended, BackendAction.Stop, BackendAction.Leave, Phase.Suspended, ConditionStatus.True),
        new Row("a Secret is missing", Inputs(blocker: MissingSecret), Nothing, HoldReason.InputProblem, BackendAction.Leave, BackendAction.Leave, Phase.Failed, ConditionStatus.False),
        new Row("a Secret is missing and the task ended", Inputs(blocker: MissingSecret, task: Closed), Nothing, HoldReason.InputProblem, BackendAction.StopIfExists, BackendAction.Leave, Phase.Failed, ConditionStatus.False),
        new Row("the task does not exist", Inputs(task: Missing), Nothing, HoldReason.TaskNotFound, BackendAction.StopIfExists, BackendAction.Leave, Phase.Failed, ConditionStatus.False),
        new Row("the task is of a type the worker cannot serve", Inputs(task: WrongType), Nothing, HoldReason.TaskTypeUnsupported, BackendAction.StopIfExists, BackendAction.Leave, Phase.Failed, ConditionStatus.False),
        new Row("on Akash, the task is of a type the worker cannot serve", Inputs(Backend.Akash, task: WrongType, recorded: RecordedOnAkash), Nothing, HoldReason.TaskTypeUnsupported, BackendAction.Leave, BackendAction.Stop, Phase.Failed, ConditionStatus.False),
        new Row("the task ended", Inputs(task: Closed), Nothing, HoldReason.TaskClosed, BackendAction.StopIfExists, BackendAction.Leave, Phase.TaskClosed, ConditionStatus.True),
        new Row("no stake on a Required gate", Inputs(stake: NoStake), Nothing, HoldReason.AwaitingStake, BackendAction.StopIfExists, BackendAction.Leave, Phase.AwaitingStake, ConditionStatus.False),
        new Row("staking not configured", Inputs(stake: NotConfigured), Nothing, HoldReason.AwaitingStake, BackendAction.StopIfExists, BackendAction.Leave, Phase.AwaitingStake, ConditionStatus.False),
        new Row("stake not read yet", Inputs(stake: Pending), Nothing, HoldReason.AwaitingFirstRead, BackendAction.Leave, BackendAction.Leave, Phase.AwaitingStake, ConditionStatus.False),
        new Row("task not read yet", Inputs(task: Unread), Nothing, HoldReason.AwaitingFirstRead, BackendAction.Leave, BackendAction.Leave, Phase.Provisioning, ConditionStatus.False),

        // On Akash.
        new Row("leased on Akash", Inputs(Backend.Akash, recorded: RecordedOnAkash), Up, null, BackendAction.Leave, BackendAction.Run, Phase.Running, ConditionStatus.True),
        new Row("awaiting bids on Akash", Inputs(Backend.Akash), Starting with { Problem = new WorkloadProblem("AwaitingBids", "no bid yet", false) }, null, BackendAction.Leave, BackendAction.Run, Phase.Provisioning, ConditionStatus.False),
        new Row("moved in-cluster → Akash", Inputs(Backend.Akash, recorded: RecordedInCluster), Starting, null, BackendAction.Remove, BackendAction.Run, Phase.Provisioning, ConditionStatus.False),
        new Row("a stale in-cluster Deployment the cache still shows", Inputs(Backend.Akash, inClusterExists: true), Starting, null, BackendAction.Remove, BackendAction.Run, Phase.Provisioning, ConditionStatus.False),
        new Row("moved Akash → in-cluster", Inputs(recorded: RecordedOnAkash), Starting, null, BackendAction.Run, BackendAction.Remove, Phase.Provisioning, ConditionStatus.False),
        new Row("suspended on Akash", Inputs(Backend.Akash, suspended: true, recorded: RecordedOnAkash), Nothing, HoldReason.Suspended, BackendAction.Leave, BackendAction.Stop, Phase.Suspended, ConditionStatus.True),
        new Row("task ended on Akash", Inputs(Backend.Akash, task: Closed, recorded: RecordedOnAkash), Nothing, HoldReason.TaskClosed, BackendAction.Leave, BackendAction.Stop, Phase.TaskClosed, ConditionStatus.True),
        new Row("no stake on Akash", Inputs(Backend.Akash, stake: NoStake), Nothing, HoldReason.AwaitingStake, BackendAction.Leave, BackendAction.Stop, Phase.AwaitingStake, ConditionStatus.False),
        new Row("Akash account Secret missing: the deployment is left as recorded", Inputs(Backend.Akash, blocker: MissingSecret, recorded: RecordedOnAkash), Nothing, HoldReason.InputProblem, BackendAction.Leave, BackendAction.Leave, Phase.Failed, ConditionStatus.False),
        new Row("Akash first reads pending: the deployment is left", Inputs(Backend.Akash, stake: Pending, recorded: RecordedOnAkash), Nothing, HoldReason.AwaitingFirstRead, BackendAction.Leave, BackendAction.Leave, Phase.AwaitingStake, ConditionStatus.False),
        new Row("placed on Akash without an Akash backend", Inputs(Backend.Akash, akash: false, blocker: new WorkloadProblem("AkashNotConfigured", "no Akash node", Fatal: true)),
            Nothing, HoldReason.InputProblem, BackendAction.Leave, BackendAction.Leave, Phase.Failed, ConditionStatus.False),
        new Row("back in-cluster with the account Secret gone: Akash left as recorded", Inputs(blocker: MissingSecret, recorded: RecordedOnAkash), Nothing, HoldReason.InputProblem, BackendAction.Leave, BackendAction.Leave, Phase.Failed, ConditionStatus.False),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_situation_has_its_plan_and_phase(Row row)
    {
        var plan = WorkerPlanner.Plan(row.Inputs);
        var parts = WorkerStatusBuilder.Build(Facts(row.Inputs, row.Observed), null, Generation, Now);

        Assert.Equal((row.Hold, row.InCluster, row.Akash, false), (plan.Hold, plan.InCluster, plan.Akash, plan.Settled));
        Assert.Equal(row.Inputs.Placement.Backend, plan.Target);
        Assert.Equal(row.Hold is null, plan.Running);
        Assert.Equal(row.Phase, parts.Phase);
        Assert.Equal(row.Ready, parts.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal(Generation, parts.ObservedGeneration);
    }

    [Fact]
    public void The_table_covers_every_phase_and_every_hold_reason()
    {
        var rows = ((IEnumerable<object[]>)Rows).Select(r => (Row)r[0]).ToList();
        var phases = rows.Select(r => r.Phase).Append(Phase.Pending).ToHashSet(); // Pending: a first pass that fails, below

        Assert.Equal(Enum.GetValues<Phase>().ToHashSet(), phases);
        Assert.Equal(Enum.GetValues<HoldReason>().ToHashSet(), rows.Where(r => r.Hold is not null).Select(r => r.Hold!.Value).ToHashSet());
    }

    [Fact]
    public void A_first_read_still_pending_for_a_generation_already_described_changes_nothing()
    {
        var described = RecordedInCluster with { ObservedGeneration = Generation, Phase = Phase.Provisioning };

        var settled = WorkerPlanner.Plan(Inputs(task: Unread, recorded: described));
        var newGeneration = WorkerPlanner.Plan(Inputs(task: Unread, recorded: described with { ObservedGeneration = Generation - 1 }));

        Assert.True(settled.Settled);
        Assert.Equal((BackendAction.Leave, BackendAction.Leave), (settled.InCluster, settled.Akash));
        Assert.False(newGeneration.Settled);
    }

    [Fact]
    public void A_first_pass_that_fails_is_pending_with_the_failure_as_ready_reason()
    {
        var failure = ReconcileFailure.Of(ReconcileStage.Finalizer, new InvalidOperationException("refused"));

        var parts = WorkerStatusBuilder.Failed(null, failure, null, Now);

        Assert.Equal(Phase.Pending, parts.Phase);
        Assert.Null(parts.ObservedGeneration);
        var ready = parts.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal((ConditionStatus.False, "FinalizerPatchFailed"), (ready.Status, ready.Reason));
        Assert.Contains("refused", ready.Message, StringComparison.Ordinal);
    }

    private static WorkerFacts Facts(WorkerInputs inputs, WorkloadObservation observed) => new()
    {
        Backend = inputs.Placement.Backend,
        Suspended = inputs.Suspended,
        Blocker = inputs.Suspended ? null : inputs.Blocker,
        Workload = observed,
        Task = inputs.Task,
        Stake = inputs.Stake,
        Akash = inputs.Recorded?.Akash,
        Placement = inputs.Placement,
    };
}
