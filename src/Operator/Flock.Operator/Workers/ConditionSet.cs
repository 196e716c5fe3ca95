using Flock.Crds.V1Alpha1;

namespace Flock.Operator.Workers;

/// <summary>
/// Sets metav1-style conditions the way apimachinery's meta.SetStatusCondition does: the transition
/// time moves only when the status flips, so rewriting the same condition changes nothing.
/// </summary>
public static class ConditionSet
{
    public static IReadOnlyList<Condition> Set(IReadOnlyList<Condition>? conditions, string type, ConditionStatus status,
        string reason, string message, long? observedGeneration, DateTimeOffset now)
    {
        var list = conditions?.ToList() ?? [];
        var index = list.FindIndex(c => c.Type == type);
        var existing = index >= 0 ? list[index] : null;
        var updated = new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = observedGeneration,
            LastTransitionTime = existing is not null && existing.Status == status ? existing.LastTransitionTime : Truncate(now),
        };
        if (index >= 0) list[index] = updated;
        else list.Add(updated);
        return list;
    }

    public static IReadOnlyList<Condition> Remove(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.Where(c => c.Type != type).ToList() ?? [];

    public static Condition? Find(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IReadOnlyList<Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == ConditionStatus.True;

    // metav1.Time has second precision: a finer time would never compare equal after a round trip.
    private static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
