using k8s.Models;

namespace Flock.Sandbox.Cluster.Scheduling;

/// <summary>
/// The VolumeBinding plugin's PreFilter for claims with Immediate binding (the only mode the sandbox's
/// classes have): every claim a pod mounts must exist, not be terminating, and already be Bound.
/// A failure here rejects the pod on every node at once and preemption cannot help.
/// </summary>
internal static class VolumeBinding
{
    public const string UnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";

    /// <returns>The PreFilter message, or null when the pod's claims are ready.</returns>
    public static string? PreFilter(V1Pod pod, Func<string, string, V1PersistentVolumeClaim?> claim)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var claims = new List<V1PersistentVolumeClaim>();
        foreach (var name in (pod.Spec?.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>())
        {
            var c = claim(ns, name);
            if (c is null) return $"persistentvolumeclaim \"{name}\" not found";
            if (c.Metadata.DeletionTimestamp is not null) return $"persistentvolumeclaim \"{name}\" is being deleted";
            claims.Add(c);
        }

        return claims.Any(c => c.Status?.Phase != "Bound" && string.IsNullOrEmpty(c.Spec?.VolumeName)) ? UnboundImmediate : null;
    }
}
