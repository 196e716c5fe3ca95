namespace Flock.Sandbox.Cluster;

/// <summary>A node taint (spec.taints[]).</summary>
public sealed record NodeTaint(string Key, string? Value, string Effect);

/// <summary>One simulated node: what its kubelet registers (labels, capacity, taints).</summary>
/// <param name="Name">Node name, also the kubernetes.io/hostname label.</param>
/// <param name="InstanceType">node.kubernetes.io/instance-type.</param>
/// <param name="Cpu">CPU capacity as a quantity ("32").</param>
/// <param name="Memory">Memory capacity as a quantity ("256Gi").</param>
/// <param name="Gpus">nvidia.com/gpu capacity; 0 for a CPU node (no GPU labels either).</param>
/// <param name="GpuProduct">nvidia.com/gpu.product label (NVIDIA-H100-80GB-HBM3…).</param>
/// <param name="GpuMemoryMiB">nvidia.com/gpu.memory label, in MiB as GPU feature discovery reports it.</param>
public sealed record NodeSpec(
    string Name,
    string InstanceType = "m6i.2xlarge",
    string Cpu = "8",
    string Memory = "32Gi",
    int Gpus = 0,
    string? GpuProduct = null,
    int GpuMemoryMiB = 0)
{
    /// <summary>Pods the kubelet accepts (the kubelet's --max-pods).</summary>
    public int MaxPods { get; init; } = 110;

    public string EphemeralStorage { get; init; } = "200Gi";

    /// <summary>Extra labels, merged over the computed ones.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<NodeTaint> Taints { get; init; } = [];

    /// <summary>spec.unschedulable (cordoned).</summary>
    public bool Unschedulable { get; init; }

    /// <summary>The taint the NVIDIA GPU operator and managed node pools put on GPU nodes.</summary>
    public static NodeTaint GpuTaint { get; } = new("nvidia.com/gpu", "present", "NoSchedule");

    /// <summary>An 8-vCPU node with one H100 (a3-highgpu-1g-like).</summary>
    public static NodeSpec H100(string name, bool tainted = false) => new(name, "a3-highgpu-1g", "26", "234Gi", 1, "NVIDIA-H100-80GB-HBM3", 81559)
    {
        Taints = tainted ? [GpuTaint] : [],
    };

    /// <summary>A node with one A100 80GB (a2-ultragpu-1g-like).</summary>
    public static NodeSpec A100(string name, bool tainted = false) => new(name, "a2-ultragpu-1g", "12", "170Gi", 1, "NVIDIA-A100-SXM4-80GB", 81920)
    {
        Taints = tainted ? [GpuTaint] : [],
    };

    /// <summary>A general-purpose CPU node.</summary>
    public static NodeSpec CpuNode(string name) => new(name, "e2-standard-8", "8", "32Gi");

    /// <summary>The demo cluster: an H100 node, an A100 node and a CPU node.</summary>
    public static IReadOnlyList<NodeSpec> Demo(bool taintGpuNodes = false) =>
        [H100("gpu-h100-0", taintGpuNodes), A100("gpu-a100-0", taintGpuNodes), CpuNode("cpu-0")];
}
