using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Placement;
using Flock.Operator.Workers;

namespace Flock.Operator.Tests.Workers;

/// <summary>
/// Ready summarises the conditions the pass owns; a backend's conditions live only while the worker is placed on it;
/// conditions the operator does not know are someone else's and stay; a failed pass keeps the last good facts.
/// </summary>
public sealed class OwnedConditionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);

    private static readonly Condition Foreign = new()
    {
        Type = "example.com/Audited", Status = ConditionStatus.True, Reason = "Audited", Message = "by a policy engine", ObservedGeneration = 1,
        LastTransitionTime = Now.AddDays(-1),
    };

    private static WorkerFacts Facts(Backend backend, WorkloadObservation workload, TaskVerdict? task = null) => new()
    {
        Backend = backend,
        Workload = workload,
        Task = task,
        Akash = backend == Backend.Akash ? new AkashStatus { Dseq = 5, LeaseState = "awaiting-bids" } : null,
        Placement = new PlacementDecision(backend, "test", 2),
    };

    private static readonly WorkloadObservation AwaitingBids = new(true, false, 0, null, new WorkloadProblem("AwaitingBids", "no bid yet", Fatal: false));

    [Fact]
    public void A_backend_condition_appears_with_its_backend_and_goes_when_the_worker_leaves_it()
    {
        var onAkash = WorkerStatusBuilder.Build(Facts(Backend.Akash, AwaitingBids), [Foreign], 2, Now);
        var inCluster = WorkerStatusBuilder.Build(Facts(Backend.InCluster, new WorkloadObservation(true, false, 0, null, null)), onAkash.Conditions, 3, Now);
        var backOnAkash = WorkerStatusBuilder.Build(Facts(Backend.Akash, AwaitingBids), inCluster.Conditions, 4, Now);

        Assert.Contains(onAkash.Conditions, c => c.Type == "LeaseActive" && c.Reason == "AwaitingBids");
        Assert.DoesNotContain(inCluster.Conditions, c => c.Type == "LeaseActive");
        Assert.Contains(backOnAkash.Conditions, c => c.Type == "LeaseActive");
        Assert.All([onAkash, inCluster, backOnAkash], parts => Assert.Contains(Foreign, parts.Conditions));
    }

    [Fact]
    public void A_condition_the_pass_does_not_judge_any_more_goes()
    {
        var task = new TaskVerdict(ConditionStatus.True, "SubmissionPhase", "open", false, false, false, []);
        var judged = WorkerStatusBuilder.Build(Facts(Backend.InCluster, AwaitingBids, task), null, 1, Now);
        var notJudged = WorkerStatusBuilder.Build(Facts(Backend.InCluster, AwaitingBids), judged.Conditions, 1, Now);

        Assert.Contains(judged.Conditions, c => c.Type == "TaskOpen");
        Assert.DoesNotContain(notJudged.Conditions, c => c.Type == "TaskOpen");
    }

    [Theory]
    [MemberData(nameof(WorkerPlannerTests.Rows), MemberType = typeof(WorkerPlannerTests))]
    public void Ready_takes_its_reason_and_message_from_an_owned_condition(WorkerPlannerTests.Row row)
    {
        var facts = new WorkerFacts
        {
            Backend = row.Inputs.Placement.Backend, Suspended = row.Inputs.Suspended, Blocker = row.Inputs.Suspended ? null : row.Inputs.Blocker,
            Workload = row.Observed, Task = row.Inputs.Task, Stake = row.Inputs.Stake, Placement = row.Inputs.Placement, Akash = row.Inputs.Recorded?.Akash,
        };
        var parts = WorkerStatusBuilder.Build(facts, null, 4, Now);

        var ready = parts.Conditions.Single(c => c.Type == "Ready");
        var others = parts.Conditions.Where(c => c.Type != "Ready").ToList();
        Assert.Contains(others, c => c.Reason == ready.Reason && c.Message == ready.Message);
    }

    [Fact]
    public void A_failed_pass_keeps_the_last_good_facts_and_says_what_failed()
    {
        var stalled = WorkerStatusBuilder.Build(Facts(Backend.InCluster, new WorkloadObservation(true, false, 0, null,
            new WorkloadProblem("ImagePullFailed", "no such image", Fatal: true))), null, 6, Now);
        var recorded = new FlockTrainingNodeStatus
        {
            Phase = Phase.Running, ObservedGeneration = 6, Conditions = stalled.Conditions,
            Workload = new WorkloadStatus { Backend = Backend.InCluster, Ready = true, Restarts = 2 },
        };
        var failure = ReconcileFailure.Of(ReconcileStage.InCluster, new HttpRequestException("connection refused"));

        var parts = WorkerStatusBuilder.Failed(recorded, failure, null, Now.AddMinutes(1));

        Assert.Equal(Phase.Degraded, parts.Phase);
        Assert.Equal(6, parts.ObservedGeneration);
        Assert.Same(recorded.Workload, parts.Workload);
        var byType = parts.Conditions.ToDictionary(c => c.Type);
        Assert.Equal((ConditionStatus.False, "InClusterBackendFailed"), (byType["Ready"].Status, byType["Ready"].Reason));
        Assert.Equal((ConditionStatus.True, "InClusterBackendFailed"), (byType["Reconciling"].Status, byType["Reconciling"].Reason));
        Assert.Equal(ConditionStatus.False, byType["Stalled"].Status); // kstatus: never Reconciling and Stalled both true
        Assert.Equal("ImagePullFailed", byType["WorkloadReady"].Reason); // the last observation of the worker stays
        Assert.Contains("HttpRequestException: connection refused", byType["Ready"].Message, StringComparison.Ordinal);
        Assert.All(parts.Conditions, c => Assert.Equal(6, c.ObservedGeneration));
    }
}
