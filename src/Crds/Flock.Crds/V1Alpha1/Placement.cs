using System.Text.Json.Serialization;
using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>Where the worker runs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlacementMode>))]
public enum PlacementMode
{
    /// <summary>On a GPU node of this cluster.</summary>
    InCluster,

    /// <summary>On an Akash provider, through a deployment and lease paid from the account in placement.akash.</summary>
    Akash,

    /// <summary>In-cluster when a node with a free GPU of the wanted models exists, otherwise on Akash.</summary>
    Auto,
}

/// <summary>Where and how the worker is placed.</summary>
[CelRule("self.mode == 'InCluster' || has(self.akash)",
    "placement.akash is required when placement.mode is Akash or Auto",
    FieldPath = ".akash", Reason = "FieldValueRequired")]
public sealed record PlacementSpec
{
    /// <summary>InCluster, Akash, or Auto (in-cluster when a GPU of the wanted models is free, else Akash).</summary>
    [Default("\"InCluster\"")]
    public PlacementMode Mode { get; init; } = PlacementMode.InCluster;

    /// <summary>Scheduling settings for the in-cluster worker.</summary>
    public InClusterPlacement? InCluster { get; init; }

    /// <summary>Akash account, price cap and provider rules; required for Akash and Auto modes.</summary>
    public AkashPlacement? Akash { get; init; }
}

/// <summary>Scheduling settings applied to the in-cluster worker's pod.</summary>
public sealed record InClusterPlacement
{
    /// <summary>Node labels the worker's node must carry.</summary>
    [Length(0, 64), Items("^.{0,63}$", 63)]
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }

    /// <summary>Taints the worker tolerates (GPU nodes are often tainted nvidia.com/gpu:NoSchedule).</summary>
    [Length(0, 32), ListType("atomic")]
    public IReadOnlyList<Toleration>? Tolerations { get; init; }

    /// <summary>PriorityClass of the worker's pod.</summary>
    [Length(1, 253), Pattern(Patterns.DnsSubdomain)]
    public string? PriorityClassName { get; init; }

    /// <summary>RuntimeClass of the worker's pod (for example nvidia).</summary>
    [Length(1, 253), Pattern(Patterns.DnsSubdomain)]
    public string? RuntimeClassName { get; init; }
}

/// <summary>How a toleration matches a taint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TolerationOperator>))]
public enum TolerationOperator
{
    /// <summary>The taint's value must equal the toleration's value.</summary>
    Equal,

    /// <summary>Any value of the taint's key matches.</summary>
    Exists,
}

/// <summary>A taint effect.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaintEffect>))]
public enum TaintEffect
{
    /// <summary>New pods are not scheduled onto the node.</summary>
    NoSchedule,

    /// <summary>The scheduler avoids the node when it can.</summary>
    PreferNoSchedule,

    /// <summary>Running pods are evicted too.</summary>
    NoExecute,
}

/// <summary>A pod toleration, as in core/v1 Toleration.</summary>
public sealed record Toleration
{
    /// <summary>Taint key to match; empty with operator Exists matches every taint.</summary>
    [Length(0, 317)]
    public string? Key { get; init; }

    /// <summary>Equal (default) or Exists.</summary>
    public TolerationOperator? Operator { get; init; }

    /// <summary>Taint value to match when the operator is Equal.</summary>
    [Length(0, 63)]
    public string? Value { get; init; }

    /// <summary>Taint effect to match; empty matches all effects.</summary>
    public TaintEffect? Effect { get; init; }

    /// <summary>For NoExecute, how long the pod stays bound after the taint appears.</summary>
    public long? TolerationSeconds { get; init; }
}
