namespace Flock.Crds.V1Alpha1;

/// <summary>The API group and version of the FLock custom resources.</summary>
public static class FlockApi
{
    public const string Group = "flock.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The finalizer that closes Akash deployments and removes children before a resource goes.</summary>
    public const string CleanupFinalizer = "flock.io/cleanup";

    /// <summary>Every custom resource type, in the order the CRDs are written.</summary>
    public static IReadOnlyList<Type> ResourceTypes { get; } = [typeof(FlockTrainingNode), typeof(FlockValidator)];
}

/// <summary>What the shared reconciler core reads of either kind.</summary>
public interface IFlockWorker
{
    WorkerSpec Spec { get; }
    WorkerStatus? Status { get; }
}
