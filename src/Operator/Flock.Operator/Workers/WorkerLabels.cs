namespace Flock.Operator.Workers;

/// <summary>Labels and names of a worker's child objects.</summary>
public static class WorkerLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string TaskId = "flock.io/task-id";
    public const string SecretVersionsAnnotation = "flock.io/secret-versions";
    public const string SpecHashAnnotation = "flock.io/spec-hash";
    public const string RunSlot = "flock.io/run-slot";
    public const string Manager = "flock-operator";

    /// <summary>Child object name: the resource name plus the role, so a training node and a validator of one name never collide.</summary>
    public static string WorkloadName(WorkerProfile profile) => profile.Name + (profile.Kind == Crds.V1Alpha1.FlockValidator.KindName ? "-validator" : "-trainer");

    public static string CacheClaimName(WorkerProfile profile) => WorkloadName(profile) + "-cache";

    /// <summary>The selector labels (immutable on a Deployment, so only these two).</summary>
    public static Dictionary<string, string> Selector(WorkerProfile profile) => new(StringComparer.Ordinal)
    {
        [Name] = profile.AppName,
        [Instance] = profile.Name,
    };

    public static Dictionary<string, string> All(WorkerProfile profile) => new(Selector(profile), StringComparer.Ordinal)
    {
        [Component] = "worker",
        [ManagedBy] = Manager,
        [PartOf] = "flock",
        // Label values cannot hold commas: a validator's ids are joined with underscores.
        [TaskId] = string.Join('_', profile.TaskIds),
    };
}
