using System.Text.Json.Serialization;
using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>What the operator does with the stake it reads.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StakeGate>))]
public enum StakeGate
{
    /// <summary>Hold the worker back (not created, scaled to zero, or lease closed) until the stake is on-chain.</summary>
    Required,

    /// <summary>Report the stake in status and never hold the worker back.</summary>
    Observe,
}

/// <summary>Chain settings for reading stakes; each field overrides the operator-wide setting.</summary>
public sealed record ChainOverride
{
    /// <summary>JSON-RPC endpoint of the chain (https:// or http://).</summary>
    [Length(1, 2048), Pattern("^https?://.+$")]
    public string? RpcUrl { get; init; }

    /// <summary>EIP-155 chain id (8453 is Base mainnet, 84532 Base Sepolia).</summary>
    [Range(1)]
    public long? ChainId { get; init; }

    /// <summary>Address of the FLock task-manager contract that holds stakes.</summary>
    [Pattern(Patterns.EvmAddress), Length(42, 42)]
    public string? TaskManager { get; init; }

    /// <summary>Blocks a stake must be buried under before it counts.</summary>
    [Range(0, 1000)]
    public int? Confirmations { get; init; }
}

/// <summary>The participant's stake on the task, read from the FLock task-manager contract.</summary>
public sealed record StakingSpec
{
    /// <summary>EVM address of the participant whose stake is checked (0x followed by 40 hex digits, checksummed or not).</summary>
    [Required, Pattern(Patterns.EvmAddress), Length(42, 42)]
    public string Address { get; init; } = "";

    /// <summary>Required holds the worker until the stake is on-chain (the contract accepts a stake only at or above the minimum in force when it is made); Observe only reports it.</summary>
    [Default("\"Required\"")]
    public StakeGate Gate { get; init; } = StakeGate.Required;

    /// <summary>Chain to read the stake from; unset fields take the operator's settings (Base mainnet task manager).</summary>
    public ChainOverride? Chain { get; init; }
}
