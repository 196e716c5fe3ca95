using System.Globalization;
using Flock.Crds.V1Alpha1;
using k8s.Models;

namespace Flock.Operator.Backends.InCluster;

/// <summary>Node affinity that keeps the worker on nodes with an acceptable GPU model and enough GPU memory.</summary>
public static class GpuAffinity
{
    /// <summary>GPU feature discovery's per-GPU memory label, in MiB.</summary>
    public const string MemoryLabel = "nvidia.com/gpu.memory";

    public static V1Affinity? For(GpuSpec gpu)
    {
        if (gpu.Count == 0) return null;
        var expressions = new List<V1NodeSelectorRequirement>();
        var products = (gpu.Models ?? []).SelectMany(m => GpuProductLabels.For(m) ?? []).Distinct().ToList();
        if (products.Count > 0)
        {
            expressions.Add(new V1NodeSelectorRequirement { Key = GpuProductLabels.ProductLabel, OperatorProperty = "In", Values = products });
        }

        if (gpu.MinMemory is { } minMemory)
        {
            var mebibytes = (long)Math.Ceiling(new ResourceQuantity(minMemory).ToDecimal() / (1024m * 1024m));
            // Gt is strict: a node with exactly the minimum qualifies.
            expressions.Add(new V1NodeSelectorRequirement { Key = MemoryLabel, OperatorProperty = "Gt", Values = [(mebibytes - 1).ToString(CultureInfo.InvariantCulture)] });
        }

        return expressions.Count == 0
            ? null
            : new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                    {
                        NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = expressions }],
                    },
                },
            };
    }

    /// <summary>Models of the spec that this operator cannot map to node labels.</summary>
    public static IReadOnlyList<string> UnknownModels(GpuSpec gpu) =>
        (gpu.Models ?? []).Where(m => GpuProductLabels.For(m) is null).ToList();
}
