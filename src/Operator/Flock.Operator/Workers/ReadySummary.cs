using Flock.Crds.V1Alpha1;

namespace Flock.Operator.Workers;

/// <summary>
/// Ready as a summary of the conditions the pass owns, never a verdict of its own (the idea of cluster-api's conditions
/// summary): its reason and message are always those of the condition that decides it.
/// <list type="number">
/// <item>a failed pass (Reconciling True with a failure's reason) makes Ready False with that failure;</item>
/// <item>a stall (Stalled True: a person must act) makes Ready False with the stall's reason;</item>
/// <item>a worker stopped on purpose (Suspended, TaskClosed) has reached its desired state: Ready True with WorkloadReady's reason;</item>
/// <item>otherwise Ready is WorkloadReady.</item>
/// </list>
/// TaskOpen, Staked and a backend's conditions inform WorkloadReady and the phase; they do not vote on their own (a
/// stake that is only observed, or a FLock API that is down, does not make a running worker unready).
/// </summary>
public static class ReadySummary
{
    public static (ConditionStatus Status, string Reason, string Message) Of(
        Phase phase, IReadOnlyDictionary<string, (ConditionStatus Status, string Reason, string Message)> owned)
    {
        if (owned.TryGetValue(WorkerStatusBuilder.Reconciling, out var reconciling) && reconciling.Status == ConditionStatus.True
            && ReconcileFailure.Reasons.Contains(reconciling.Reason))
        {
            return (ConditionStatus.False, reconciling.Reason, reconciling.Message);
        }

        if (owned.TryGetValue(WorkerStatusBuilder.Stalled, out var stalled) && stalled.Status == ConditionStatus.True)
        {
            return (ConditionStatus.False, stalled.Reason, stalled.Message);
        }

        if (!owned.TryGetValue(WorkerStatusBuilder.WorkloadReady, out var workload))
        {
            return (ConditionStatus.Unknown, WorkerStatusBuilder.NotObservedReason, "nothing has been observed yet");
        }

        return phase is Phase.Suspended or Phase.TaskClosed
            ? (ConditionStatus.True, workload.Reason, workload.Message)
            : (workload.Status == ConditionStatus.True ? ConditionStatus.True : ConditionStatus.False, workload.Reason, workload.Message);
    }
}
