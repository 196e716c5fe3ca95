using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;

namespace Flock.Operator.Workers;

/// <summary>How the reconciler core reads and writes one kind: its REST coordinates, its profile and its status record.</summary>
public sealed record FlockKind<T>(
    ResourceKind Resource,
    Func<T, WorkerProfile> Profile,
    Func<T, WorkerStatus?> GetStatus,
    Action<T, WorkerStatus> SetStatus,
    Func<T, WorkerStatusParts, WorkerStatus> Compose);

public static class FlockKinds
{
    public static readonly FlockKind<FlockTrainingNode> TrainingNode = new(
        new ResourceKind(FlockApi.Group, FlockApi.Version, "flocktrainingnodes", FlockTrainingNode.KindName),
        WorkerProfile.For,
        n => n.Status,
        (n, s) => n.Status = (FlockTrainingNodeStatus)s,
        (n, parts) => (n.Status ?? new FlockTrainingNodeStatus()) with
        {
            ObservedGeneration = parts.ObservedGeneration,
            Phase = parts.Phase,
            Conditions = parts.Conditions,
            Workload = parts.Workload,
            Task = parts.Tasks.FirstOrDefault() ?? n.Status?.Task,
            Staking = parts.Staking ?? n.Status?.Staking,
            Akash = parts.Akash ?? n.Status?.Akash,
        });

    public static readonly FlockKind<FlockValidator> Validator = new(
        new ResourceKind(FlockApi.Group, FlockApi.Version, "flockvalidators", FlockValidator.KindName),
        WorkerProfile.For,
        v => v.Status,
        (v, s) => v.Status = (FlockValidatorStatus)s,
        (v, parts) => (v.Status ?? new FlockValidatorStatus()) with
        {
            ObservedGeneration = parts.ObservedGeneration,
            Phase = parts.Phase,
            Conditions = parts.Conditions,
            Workload = parts.Workload,
            Tasks = parts.Tasks.Count > 0 ? parts.Tasks : v.Status?.Tasks,
            Staking = parts.Staking ?? v.Status?.Staking,
            Akash = parts.Akash ?? v.Status?.Akash,
        });
}
