using System.Globalization;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using k8s.Models;

namespace Flock.Operator.Placement;

/// <summary>A node's GPUs of the wanted models: how many it offers and how many running pods already request.</summary>
public sealed record NodeGpus(string Node, string Model, int Allocatable, int Requested)
{
    public int Free => Math.Max(0, Allocatable - Requested);
}

/// <summary>
/// Which nodes could take a worker's GPUs now (pure): a node qualifies when it carries a wanted model's product label
/// (and the memory label when gpu.minMemory is set), is schedulable and Ready, and its allocatable nvidia.com/gpu less
/// what its live pods request covers gpu.count on one node.
/// </summary>
public static class GpuCapacity
{
    public const string GpuResource = "nvidia.com/gpu";

    public static IReadOnlyList<NodeGpus> Candidates(GpuSpec gpu, IEnumerable<V1Node> nodes, Func<string, int> requestedOn)
    {
        var wanted = (gpu.Models ?? []).SelectMany(m => (GpuProductLabels.For(m) ?? []).Select(p => (Product: p, Model: m))).ToList();
        var minMiB = gpu.MinMemory is { } min ? (long)Math.Ceiling(new ResourceQuantity(min).ToDecimal() / (1024m * 1024m)) : (long?)null;
        var result = new List<NodeGpus>();
        foreach (var node in nodes)
        {
            var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
            if (!labels.TryGetValue(GpuProductLabels.ProductLabel, out var product)) continue;
            var model = wanted.Count == 0 ? GpuProductLabels.ModelOf(product) ?? product : wanted.FirstOrDefault(w => w.Product == product).Model;
            if (model is null) continue;
            if (minMiB is { } need && !(labels.TryGetValue(GpuAffinity.MemoryLabel, out var mem)
                    && long.TryParse(mem, NumberStyles.None, CultureInfo.InvariantCulture, out var have) && have >= need)) continue;
            if (node.Spec?.Unschedulable == true || !Ready(node)) continue;
            var allocatable = node.Status?.Allocatable?.TryGetValue(GpuResource, out var q) == true ? (int)q.ToInt64() : 0;
            if (allocatable == 0) continue;
            result.Add(new NodeGpus(node.Metadata.Name, model, allocatable, requestedOn(node.Metadata.Name)));
        }

        return result;
    }

    /// <summary>GPUs a pod holds while it is not finished (requests, else limits, as the scheduler counts extended resources).</summary>
    public static int Requested(V1Pod pod)
    {
        if (pod.Status?.Phase is "Succeeded" or "Failed") return 0;
        return (pod.Spec?.Containers ?? []).Sum(c =>
            c.Resources?.Requests?.TryGetValue(GpuResource, out var r) == true ? (int)r.ToInt64()
            : c.Resources?.Limits?.TryGetValue(GpuResource, out var l) == true ? (int)l.ToInt64() : 0);
    }

    private static bool Ready(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is not { } ready || ready.Status == "True";
}
