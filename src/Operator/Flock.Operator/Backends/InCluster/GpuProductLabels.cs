namespace Flock.Operator.Backends.InCluster;

/// <summary>
/// Akash GPU model names (as FLock templates use them) → the product names NVIDIA GPU feature
/// discovery writes into the node label <c>nvidia.com/gpu.product</c> (the NVML device name with spaces
/// replaced by dashes). Node affinity can only match exact values, so every known variant is listed.
/// </summary>
public static class GpuProductLabels
{
    public const string ProductLabel = "nvidia.com/gpu.product";
    public const string GpuResource = "nvidia.com/gpu";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Products = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["h200"] = ["NVIDIA-H200", "NVIDIA-H200-NVL"],
        ["h100"] = ["NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe", "NVIDIA-H100-NVL", "NVIDIA-H100-SXM5-80GB"],
        ["a100"] = ["NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-80GB-PCIe", "NVIDIA-A100-PCIE-40GB"],
        ["l40s"] = ["NVIDIA-L40S"],
        ["l40"] = ["NVIDIA-L40"],
        ["l4"] = ["NVIDIA-L4"],
        ["a40"] = ["NVIDIA-A40"],
        ["a10"] = ["NVIDIA-A10"],
        ["rtxa6000"] = ["NVIDIA-RTX-A6000"],
        ["rtx6000ada"] = ["NVIDIA-RTX-6000-Ada-Generation"],
        ["rtx8000"] = ["Quadro-RTX-8000"],
        ["rtx4090"] = ["NVIDIA-GeForce-RTX-4090"],
        ["rtx3090"] = ["NVIDIA-GeForce-RTX-3090"],
        ["v100"] = ["Tesla-V100-SXM2-16GB", "Tesla-V100-SXM2-32GB", "Tesla-V100-PCIE-16GB", "Tesla-V100-PCIE-32GB"],
        ["t4"] = ["Tesla-T4"],
        ["p40"] = ["Tesla-P40"],
    };

    public static IReadOnlyCollection<string> KnownModels => (IReadOnlyCollection<string>)Products.Keys;

    /// <summary>The product label values for a model, or null when the model is unknown here.</summary>
    public static IReadOnlyList<string>? For(string model) => Products.GetValueOrDefault(model);

    /// <summary>The Akash model name of a node's product label value, or null.</summary>
    public static string? ModelOf(string product) =>
        Products.FirstOrDefault(p => p.Value.Contains(product, StringComparer.Ordinal)).Key;
}
