using System.Text.Json.Serialization;
using Flock.Crds.Serialization;
using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>GPUs the worker needs.</summary>
public sealed record GpuSpec
{
    /// <summary>Number of GPUs. Training nodes need at least one; a validator may run with none.</summary>
    [Default("1"), Range(0, 16)]
    public int Count { get; init; } = 1;

    /// <summary>Acceptable GPU models, lower case as Akash names them (h100, a100, rtx3090, rtx4090, rtx8000, rtxa6000, a40, p40, l40s, …). Empty means any model.</summary>
    [Length(0, 32), ListType("set"), Items(Patterns.GpuModel, 63)]
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Minimum memory per GPU (for example 24Gi); on Akash it becomes the GPU's ram attribute.</summary>
    [Quantity, JsonConverter(typeof(IntOrStringConverter))]
    public string? MinMemory { get; init; }
}

/// <summary>Compute the worker asks for. Defaults are those of the Akash Console FLock templates.</summary>
public sealed record WorkerResources
{
    /// <summary>GPUs for the worker.</summary>
    [Default("{}")]
    public GpuSpec Gpu { get; init; } = new();

    /// <summary>CPU cores (a Kubernetes quantity: 8, 7500m).</summary>
    [Quantity, JsonConverter(typeof(IntOrStringConverter)), Default("\"8\"")]
    public string Cpu { get; init; } = "8";

    /// <summary>Memory (a Kubernetes quantity: 24Gi).</summary>
    [Quantity, JsonConverter(typeof(IntOrStringConverter)), Default("\"24Gi\"")]
    public string Memory { get; init; } = "24Gi";

    /// <summary>Ephemeral storage on Akash, where the worker keeps models and outputs (in-cluster these live on the cache volume).</summary>
    [Quantity, JsonConverter(typeof(IntOrStringConverter)), Default("\"100Gi\"")]
    public string Storage { get; init; } = "100Gi";
}

