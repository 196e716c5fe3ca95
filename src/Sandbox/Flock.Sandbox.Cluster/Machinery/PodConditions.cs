using k8s.Models;

namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>Condition-list helpers with the apimachinery rule: lastTransitionTime changes only when status does.</summary>
internal static class PodConditions
{
    public static List<V1PodCondition> Set(IEnumerable<V1PodCondition>? existing, V1PodCondition condition)
    {
        var list = (existing ?? []).ToList();
        var index = list.FindIndex(c => c.Type == condition.Type);
        if (index < 0)
        {
            list.Add(condition);
            return list;
        }

        if (list[index].Status == condition.Status && list[index].LastTransitionTime is { } t) condition.LastTransitionTime = t;
        list[index] = condition;
        return list;
    }
}
