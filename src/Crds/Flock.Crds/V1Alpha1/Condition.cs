using System.Text.Json.Serialization;
using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>The truth value of a condition.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConditionStatus>))]
public enum ConditionStatus
{
    /// <summary>The condition holds.</summary>
    True,

    /// <summary>The condition does not hold.</summary>
    False,

    /// <summary>The operator cannot tell yet.</summary>
    Unknown,
}

/// <summary>One aspect of the resource's state, in the metav1.Condition shape.</summary>
public sealed record Condition
{
    /// <summary>Condition type in CamelCase: Ready, Reconciling, Stalled, Staked, TaskOpen, WorkloadReady, LeaseActive.</summary>
    [Required, Length(1, 316), Pattern(Patterns.ConditionType)]
    public string Type { get; init; } = "";

    /// <summary>True, False or Unknown.</summary>
    [Required]
    public ConditionStatus Status { get; init; } = ConditionStatus.Unknown;

    /// <summary>The metadata.generation the condition was set for.</summary>
    [Range(0)]
    public long? ObservedGeneration { get; init; }

    /// <summary>When the status last changed from one value to another.</summary>
    [Required, Format("date-time")]
    public DateTimeOffset LastTransitionTime { get; init; }

    /// <summary>Why the condition has its status, as one CamelCase word a program can match (SecretNotFound, StakeMissing, …).</summary>
    [Required, Length(1, 1024), Pattern(Patterns.ConditionReason)]
    public string Reason { get; init; } = "";

    /// <summary>What happened and what to do about it, for a human.</summary>
    [Required, Length(0, 32768)]
    public string Message { get; init; } = "";
}
