using Flock.Crds.V1Alpha1;

namespace Flock.Operator.Workers;

/// <summary>
/// Decides what should happen from what was observed, with no I/O. The rules, in the order the spec gives them:
/// a worker runs only when nothing holds it back; one that must not run is stopped if it exists and never created just
/// to be stopped (except a suspended in-cluster worker, whose stopped Deployment is the record of the suspension); a
/// worker is never on two backends at once, so the one it leaves is emptied first; and until the task and the stake are
/// first read nothing is changed (an Akash deployment closed now would only be replaced by a new one).
/// </summary>
public static class WorkerPlanner
{
    public static WorkerPlan Plan(WorkerInputs inputs)
    {
        var hold = HoldOf(inputs);
        var target = inputs.Placement.Backend;
        var recorded = inputs.Recorded;
        var awaitingFirstRead = AwaitingFirstRead(inputs);

        // The status describes this generation already and nothing new is known that would change it.
        var settled = awaitingFirstRead && recorded?.Phase is not null && recorded.ObservedGeneration == inputs.Generation;
        if (settled) return new WorkerPlan(target, HoldReason.AwaitingFirstRead, BackendAction.Leave, BackendAction.Leave, Settled: true);

        return target == Backend.Akash
            ? new WorkerPlan(target, hold, OnAkashInCluster(inputs), OnAkash(inputs, hold, awaitingFirstRead))
            : new WorkerPlan(target, hold, InCluster(inputs, hold), LeavingAkash(inputs));
    }

    /// <summary>The first thing that holds the worker back, in the order status reports it.</summary>
    public static HoldReason? HoldOf(WorkerInputs inputs) => inputs switch
    {
        { Suspended: true } => HoldReason.Suspended,
        { Blocker: not null } => HoldReason.InputProblem,
        { Task.NotFound: true } => HoldReason.TaskNotFound,
        { Task.Unservable: true } => HoldReason.TaskTypeUnsupported,
        { Task.Closed: true } => HoldReason.TaskClosed,
        { Stake.Hold: true } when !StakePending(inputs) => HoldReason.AwaitingStake,
        _ when AwaitingFirstRead(inputs) => HoldReason.AwaitingFirstRead,
        _ => null,
    };

    private static bool StakePending(WorkerInputs inputs) => inputs.Stake is { Reason: "StakePending" };

    private static bool AwaitingFirstRead(WorkerInputs inputs) =>
        inputs.Task is { Open: ConditionStatus.Unknown, ApiUnavailable: false } || StakePending(inputs);

    // Placed on Akash: an in-cluster Deployment or run left from before goes (as status records it, or as the cache
    // shows it: a pass that ran before the last status write reached the cache must not leave one behind).
    private static BackendAction OnAkashInCluster(WorkerInputs inputs) =>
        inputs.Recorded?.Workload?.Backend == Backend.InCluster || inputs.InClusterExists ? BackendAction.Remove : BackendAction.Leave;

    private static BackendAction OnAkash(WorkerInputs inputs, HoldReason? hold, bool awaitingFirstRead)
    {
        // Without a backend, with a blocker, or before the first reads, the deployment is left as it is.
        if (!inputs.AkashConfigured || inputs.Blocker is not null || awaitingFirstRead) return BackendAction.Leave;
        return hold is null ? BackendAction.Run : BackendAction.Stop;
    }

    // Placed in-cluster: an Akash deployment recorded in status is closed first (unless a blocker, such as the account
    // Secret gone, keeps the operator from reaching it; then it stays as recorded until the blocker is fixed).
    private static BackendAction LeavingAkash(WorkerInputs inputs) =>
        inputs.AkashConfigured && inputs.Recorded?.Akash is { Dseq: not null } && inputs.Blocker is null ? BackendAction.Remove : BackendAction.Leave;

    private static BackendAction InCluster(WorkerInputs inputs, HoldReason? hold)
    {
        if (inputs.Suspended) return BackendAction.Stop;
        if (hold is null) return BackendAction.Run;

        // A task that ended or does not exist, or a stake that is not there, stops a worker that exists, even while an
        // input problem is reported; an input problem alone, or a first read still on its way, touches nothing.
        return inputs.Task is { Closed: true } or { NotFound: true } or { Unservable: true } || (inputs.Stake is { Hold: true } && !StakePending(inputs))
            ? BackendAction.StopIfExists
            : BackendAction.Leave;
    }
}
