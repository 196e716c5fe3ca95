namespace Flock.Akash.Sdl;

/// <summary>profiles.compute.&lt;name&gt;.resources, with quantities already converted to chain units.</summary>
/// <param name="Name">Profile name.</param>
/// <param name="CpuMillis">CPU in millicores ("8" → 8000, "500m" → 500).</param>
/// <param name="CpuAttributes">cpu.attributes, or null when absent.</param>
/// <param name="MemoryBytes">memory.size in bytes.</param>
/// <param name="Storage">storage volumes (one object or a list in YAML).</param>
/// <param name="Gpu">gpu, or null when absent.</param>
public sealed record SdlComputeProfile(
    string Name,
    ulong CpuMillis,
    IReadOnlyList<SdlAttribute>? CpuAttributes,
    ulong MemoryBytes,
    IReadOnlyList<SdlStorage> Storage,
    SdlGpu? Gpu);

/// <summary>One storage volume; Name null means the ephemeral "default" volume.</summary>
public sealed record SdlStorage(string? Name, ulong SizeBytes, IReadOnlyList<SdlAttribute>? Attributes);

/// <summary>gpu: units and, when given, the vendors with their acceptable models.</summary>
/// <param name="Units">Number of GPUs.</param>
/// <param name="Vendors">attributes.vendor entries; null when the attributes key is absent.</param>
public sealed record SdlGpu(ulong Units, IReadOnlyList<SdlGpuVendor>? Vendors);

/// <summary>A GPU vendor; Models null (vendor key with no list) means any model of that vendor.</summary>
public sealed record SdlGpuVendor(string Name, IReadOnlyList<SdlGpuModel>? Models);

/// <summary>One acceptable GPU model, optionally pinned to a memory size ("80Gi") and interface (pcie or sxm).</summary>
public sealed record SdlGpuModel(string Model, string? Ram, string? Interface);
