using k8s.Models;

namespace Flock.Sandbox.Cluster.Controllers;

/// <summary>
/// The Deployment controller's status arithmetic (calculateStatus, syncRolloutStatus and the
/// deploymentutil helpers): counts summed over the ReplicaSets, Available against
/// replicas - maxUnavailable, and Progressing with the controller's reasons and messages. Pure.
/// </summary>
internal static class DeploymentStatusCalculator
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>What happened to the new ReplicaSet in this sync.</summary>
    public enum NewReplicaSetEvent
    {
        None,
        Created,
    }

    public static V1DeploymentStatus Calculate(V1Deployment d, IReadOnlyList<V1ReplicaSet> all, V1ReplicaSet? newRs, NewReplicaSetEvent happened, DateTimeOffset now)
    {
        var desired = d.Spec.Replicas ?? 1;
        var available = all.Sum(r => r.Status?.AvailableReplicas ?? 0);
        var total = all.Sum(r => r.Spec?.Replicas ?? 0);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = all.Sum(r => r.Status?.Replicas ?? 0),
            UpdatedReplicas = newRs?.Status?.Replicas ?? 0,
            ReadyReplicas = all.Sum(r => r.Status?.ReadyReplicas ?? 0),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, total - available),
            CollisionCount = d.Status?.CollisionCount,
        };
        var conditions = (d.Status?.Conditions ?? []).Select(c => new V1DeploymentCondition
        {
            Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message,
            LastTransitionTime = c.LastTransitionTime, LastUpdateTime = c.LastUpdateTime,
        }).ToList();
        var at = now.UtcDateTime;

        conditions = available >= desired - MaxUnavailable(d)
            ? Set(conditions, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", at)
            : Set(conditions, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", at);

        if (newRs is not null)
        {
            var name = newRs.Metadata.Name;
            var current = conditions.FirstOrDefault(c => c.Type == "Progressing");
            if (IsComplete(d, status))
            {
                conditions = Set(conditions, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{name}\" has successfully progressed.", at);
            }
            else if (happened == NewReplicaSetEvent.Created)
            {
                conditions = Set(conditions, "Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{name}\"", at);
            }
            else if (current is null || current.Message?.Contains($"\"{name}\"", StringComparison.Ordinal) != true)
            {
                conditions = Set(conditions, "Progressing", "True", "FoundNewReplicaSet", $"Found new replica set \"{name}\"", at);
            }
            else if (HasProgressed(d.Status, status))
            {
                conditions = Set(conditions, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{name}\" is progressing.", at, touch: true);
            }
            else if (current.Status == "True" && current.Reason != "NewReplicaSetAvailable" && d.Spec.ProgressDeadlineSeconds is { } deadline &&
                     current.LastUpdateTime is { } updated && DateTime.SpecifyKind(updated, DateTimeKind.Utc).AddSeconds(deadline) < at)
            {
                conditions = Set(conditions, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{name}\" has timed out progressing.", at);
            }
        }

        // The controller's order: Available first, then Progressing, then anything else.
        status.Conditions = conditions.OrderBy(c => c.Type switch { "Available" => 0, "Progressing" => 1, _ => 2 }).ToList();
        return status;
    }

    /// <summary>deploymentutil.DeploymentComplete.</summary>
    public static bool IsComplete(V1Deployment d, V1DeploymentStatus s)
    {
        var desired = d.Spec.Replicas ?? 1;
        return s.UpdatedReplicas == desired && s.Replicas == desired && s.AvailableReplicas == desired && s.ObservedGeneration >= d.Metadata.Generation;
    }

    /// <summary>deploymentutil.DeploymentProgressing: more updated, ready or available pods, or fewer old ones.</summary>
    private static bool HasProgressed(V1DeploymentStatus? old, V1DeploymentStatus now)
    {
        if (old is null) return true;
        var oldOld = (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0);
        var newOld = (now.Replicas ?? 0) - (now.UpdatedReplicas ?? 0);
        return (now.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0) || newOld < oldOld ||
               (now.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0) || (now.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    /// <summary>maxUnavailable resolved against replicas (0 for Recreate; both 0 means 1, as the API requires).</summary>
    public static int MaxUnavailable(V1Deployment d)
    {
        if (d.Spec.Strategy?.Type == "Recreate") return 0;
        var (surge, unavailable) = RollingParameters(d);
        _ = surge;
        return Math.Min(unavailable, d.Spec.Replicas ?? 1);
    }

    public static int MaxSurge(V1Deployment d) => d.Spec.Strategy?.Type == "Recreate" ? 0 : RollingParameters(d).Surge;

    /// <summary>ResolveFenceposts: surge rounds up, unavailable rounds down.</summary>
    public static (int Surge, int Unavailable) RollingParameters(V1Deployment d)
    {
        var replicas = d.Spec.Replicas ?? 1;
        var ru = d.Spec.Strategy?.RollingUpdate;
        var surge = Resolve(ru?.MaxSurge?.Value ?? "25%", replicas, roundUp: true);
        var unavailable = Resolve(ru?.MaxUnavailable?.Value ?? "25%", replicas, roundUp: false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, unavailable);
    }

    private static int Resolve(string value, int total, bool roundUp)
    {
        if (value.EndsWith('%') && double.TryParse(value[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var pct))
        {
            var exact = pct * total / 100.0;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>SetDeploymentCondition: a changed status moves lastTransitionTime; a changed reason (or touch) moves lastUpdateTime.</summary>
    private static List<V1DeploymentCondition> Set(List<V1DeploymentCondition> list, string type, string status, string reason, string message, DateTime at, bool touch = false)
    {
        var index = list.FindIndex(c => c.Type == type);
        var current = index < 0 ? null : list[index];
        if (current is not null && current.Status == status && current.Reason == reason && !touch)
        {
            if (current.Message != message) current.Message = message;
            return list;
        }

        var condition = new V1DeploymentCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastUpdateTime = at,
            LastTransitionTime = current is not null && current.Status == status ? current.LastTransitionTime : at,
        };
        if (index < 0) list.Add(condition);
        else list[index] = condition;
        return list;
    }
}
