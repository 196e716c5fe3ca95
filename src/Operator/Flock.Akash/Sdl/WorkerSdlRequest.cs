using System.Text;
using Flock.Akash.Chain;

namespace Flock.Akash.Sdl;

/// <summary>
/// An environment variable for the rendered SDL. Values may be secrets (FLOCK_API_KEY, HF_TOKEN: Akash has no
/// secret store, so they travel in the manifest); ToString shows the name only.
/// </summary>
public sealed record SdlEnvVar(string Name, string Value)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name);
        return true;
    }
}

/// <summary>
/// What the operator asks of Akash for one worker: one service in one placement. Defaults are those of the
/// FLock Akash Console templates (8 CPU, 24Gi, 100Gi, 1 GPU, container port 3000 exposed as 80, global).
/// Quantities are Kubernetes quantities, as in the resource.
/// </summary>
public sealed record WorkerSdlRequest
{
    /// <summary>Service (and compute profile) name, a DNS label such as "flock-train".</summary>
    public required string ServiceName { get; init; }

    /// <summary>Container image.</summary>
    public required string Image { get; init; }

    /// <summary>The container's arguments (SDL services.*.args); empty keeps the image's own.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment, including FLOCK_API_KEY and HF_* values (secrets; see <see cref="SdlEnvVar"/>).</summary>
    public IReadOnlyList<SdlEnvVar> Env { get; init; } = [];

    /// <summary>CPU (Kubernetes quantity).</summary>
    public string Cpu { get; init; } = "8";

    /// <summary>Memory (Kubernetes quantity).</summary>
    public string Memory { get; init; } = "24Gi";

    /// <summary>Ephemeral storage (Kubernetes quantity).</summary>
    public string Storage { get; init; } = "100Gi";

    /// <summary>Number of GPUs; 0 renders no GPU.</summary>
    public int GpuCount { get; init; } = 1;

    /// <summary>Acceptable NVIDIA models (lower case); empty means any model.</summary>
    public IReadOnlyList<string> GpuModels { get; init; } = [];

    /// <summary>GPU memory (Kubernetes quantity, whole Gi) required of every listed model, or null.</summary>
    public string? GpuMemory { get; init; }

    /// <summary>GPU interface ("pcie" or "sxm") required of every listed model, or null.</summary>
    public string? GpuInterface { get; init; }

    /// <summary>Placement (and group) name.</summary>
    public string PlacementName { get; init; } = "akash";

    /// <summary>Provider attributes the placement requires.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Auditors that must all have signed the provider's attributes.</summary>
    public IReadOnlyList<string> SignedByAllOf { get; init; } = [];

    /// <summary>Auditors of which one must have signed the provider's attributes.</summary>
    public IReadOnlyList<string> SignedByAnyOf { get; init; } = [];

    /// <summary>Price denom: uact, the only one mainnet accepts since node v2.0.0.</summary>
    public string PriceDenom { get; init; } = AkashNetwork.Uact;

    /// <summary>Highest price per block (decimal string in the denom's smallest unit).</summary>
    public required string PriceAmount { get; init; }

    /// <summary>Port the container listens on.</summary>
    public uint ContainerPort { get; init; } = 3000;

    /// <summary>Port it is exposed as; 80 makes it an HTTP ingress endpoint, which Akash requires for a global HTTP port.</summary>
    public uint ExposedPort { get; init; } = 80;

    /// <summary>Replicas.</summary>
    public uint Count { get; init; } = 1;

    /// <summary>SDL version written.</summary>
    public string Version { get; init; } = "2.0";

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ServiceName = ").Append(ServiceName).Append(", Image = ").Append(Image)
            .Append(", Env = [").Append(string.Join(", ", Env.Select(e => e.Name))).Append(']')
            .Append(", PlacementName = ").Append(PlacementName);
        return true;
    }
}
