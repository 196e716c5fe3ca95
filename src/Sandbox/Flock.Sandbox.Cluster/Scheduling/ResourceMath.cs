using k8s.Models;

namespace Flock.Sandbox.Cluster.Scheduling;

/// <summary>
/// Resource amounts as the scheduler counts them: cpu in millicores, everything else in whole units
/// (bytes, pods, devices), keyed by resource name.
/// </summary>
internal static class ResourceMath
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string Pods = "pods";
    public const string EphemeralStorage = "ephemeral-storage";
    public const string Gpu = "nvidia.com/gpu";

    public static decimal Amount(string resource, ResourceQuantity q)
    {
        var value = q.ToDecimal();
        return resource == Cpu ? Math.Ceiling(value * 1000m) : Math.Ceiling(value);
    }

    public static Dictionary<string, decimal> FromList(IDictionary<string, ResourceQuantity>? list)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (name, q) in list ?? new Dictionary<string, ResourceQuantity>())
        {
            if (q is not null) result[name] = Amount(name, q);
        }

        return result;
    }

    /// <summary>
    /// The pod's effective request: the sum over containers, or the largest init container when that is
    /// more (init containers run one at a time). A limit without a request counts as the request, as the
    /// apiserver defaults it.
    /// </summary>
    public static Dictionary<string, decimal> PodRequests(V1Pod pod)
    {
        var sum = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var c in pod.Spec?.Containers ?? [])
        {
            foreach (var (k, v) in ContainerRequests(c)) sum[k] = sum.GetValueOrDefault(k) + v;
        }

        foreach (var c in pod.Spec?.InitContainers ?? [])
        {
            foreach (var (k, v) in ContainerRequests(c)) sum[k] = Math.Max(sum.GetValueOrDefault(k), v);
        }

        return sum;
    }

    private static Dictionary<string, decimal> ContainerRequests(V1Container c)
    {
        var requests = FromList(c.Resources?.Requests);
        foreach (var (k, v) in FromList(c.Resources?.Limits)) requests.TryAdd(k, v);
        return requests;
    }

    /// <summary>True for pods that still hold their node's resources (bound and not finished).</summary>
    public static bool HoldsResources(V1Pod p) =>
        !string.IsNullOrEmpty(p.Spec?.NodeName) && p.Status?.Phase is not ("Succeeded" or "Failed");
}
