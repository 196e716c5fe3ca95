using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Controllers;

/// <summary>Filters the changes of a watched kind before they enqueue a key.</summary>
public delegate bool UpdatePredicate<in T>(T old, T current);

/// <summary>The predicates controllers commonly use on their primary kind.</summary>
public static class Predicates
{
    /// <summary>The spec changed (status-only writes, including our own, do not bump generation).</summary>
    public static bool GenerationChanged<T>(T old, T current) where T : IKubernetesObject<V1ObjectMeta> =>
        old.Metadata.Generation != current.Metadata.Generation;

    public static bool AnnotationsChanged<T>(T old, T current) where T : IKubernetesObject<V1ObjectMeta> =>
        !DictionaryEqual(old.Metadata.Annotations, current.Metadata.Annotations);

    public static bool LabelsChanged<T>(T old, T current) where T : IKubernetesObject<V1ObjectMeta> =>
        !DictionaryEqual(old.Metadata.Labels, current.Metadata.Labels);

    /// <summary>Deletion started or finalizers changed: the finalizer flow must run.</summary>
    public static bool DeletionOrFinalizersChanged<T>(T old, T current) where T : IKubernetesObject<V1ObjectMeta> =>
        old.Metadata.DeletionTimestamp != current.Metadata.DeletionTimestamp
        || !(old.Metadata.Finalizers ?? []).SequenceEqual(current.Metadata.Finalizers ?? []);

    /// <summary>The primary kind's default: spec, annotations, labels or deletion changed.</summary>
    public static bool PrimaryDefault<T>(T old, T current) where T : IKubernetesObject<V1ObjectMeta> =>
        GenerationChanged(old, current) || AnnotationsChanged(old, current) || LabelsChanged(old, current)
        || DeletionOrFinalizersChanged(old, current);

    public static bool Any<T>(T old, T current) => true;

    private static bool DictionaryEqual(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        return a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
