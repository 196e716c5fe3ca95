using Flock.Crds.V1Alpha1;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The status contract GitOps tools rely on (kstatus): the conditions are always there, Ready=True only
/// for the observed generation, Reconciling and Stalled never both true, and every condition says which
/// generation it describes.
/// </summary>
internal static class KStatusRules
{
    public static void AssertHold(IKubernetesObject<V1ObjectMeta> resource, WorkerStatus? status)
    {
        Assert.NotNull(status);
        var conditions = status.Conditions ?? [];
        var byType = conditions.ToDictionary(c => c.Type);
        foreach (var type in new[] { "Ready", "Reconciling", "Stalled" }) Assert.True(byType.ContainsKey(type), $"{type} missing");
        if (byType["Ready"].Status == ConditionStatus.True) Assert.Equal(resource.Metadata.Generation, status.ObservedGeneration);
        Assert.False(byType["Reconciling"].Status == ConditionStatus.True && byType["Stalled"].Status == ConditionStatus.True, "Reconciling and Stalled both true");
        Assert.All(conditions, c => Assert.Equal(status.ObservedGeneration, c.ObservedGeneration));
    }
}
