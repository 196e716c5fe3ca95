using k8s;
using k8s.Models;

namespace Flock.Sandbox.Cluster.Controllers;

/// <summary>ownerReference and object helpers shared by the controllers.</summary>
internal static class Owners
{
    public static V1OwnerReference ControllerRef(string apiVersion, string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>The uid of the object's controller (the ownerReference with controller=true).</summary>
    public static string? ControllerUid(V1ObjectMeta? meta) => meta?.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid;

    public static bool IsControlledBy(V1ObjectMeta? meta, V1ObjectMeta owner) => ControllerUid(meta) is { } uid && uid == owner.Uid;

    /// <summary>A deep copy (through JSON, as the models have no clone).</summary>
    public static T Clone<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    /// <summary>Pods that count as replicas: not finished and not being deleted (controller.FilterActivePods).</summary>
    public static bool IsActive(V1Pod p) => p.Status?.Phase is not ("Succeeded" or "Failed") && p.Metadata.DeletionTimestamp is null;

    public static bool IsReady(V1Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Ready for at least minReadySeconds (podutil.IsPodAvailable); also when it will become available.</summary>
    public static (bool Available, DateTimeOffset? At) Availability(V1Pod p, int minReadySeconds, DateTimeOffset now)
    {
        var ready = p.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True");
        if (ready is null) return (false, null);
        if (minReadySeconds <= 0) return (true, null);
        var since = ready.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : now;
        var at = since + TimeSpan.FromSeconds(minReadySeconds);
        return at <= now ? (true, null) : (false, at);
    }

    public static Dictionary<string, string> CopyOf(IDictionary<string, string>? map) =>
        map is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(map, StringComparer.Ordinal);
}
