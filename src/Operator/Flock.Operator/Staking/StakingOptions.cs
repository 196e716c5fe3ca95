using Flock.Crds.V1Alpha1;

namespace Flock.Operator.Staking;

/// <summary>The operator-wide chain settings for stakes: section "Staking" (env Staking__RpcUrl, …).</summary>
public sealed record StakingOptions
{
    public const string Section = "Staking";

    /// <summary>JSON-RPC endpoint of the chain the task manager lives on.</summary>
    public string? RpcUrl { get; init; } = "https://mainnet.base.org";

    public long ChainId { get; init; } = ChainSettings.BaseMainnetChainId;

    /// <summary>FlockTaskManagerV2 address. No default: which Base address is the live proxy is not confirmed.</summary>
    public string? TaskManager { get; init; }

    public int Confirmations { get; init; } = 2;

    public double PollSeconds { get; init; } = 60;

    public double EventPollSeconds { get; init; } = 2;

    /// <summary>
    /// The chain a resource's stake is read from: the operator's settings with the resource's
    /// overrides; null with the reason when something needed is missing or invalid.
    /// </summary>
    public (ChainSettings? Chain, string? Problem) Resolve(ChainOverride? resource)
    {
        var rpc = resource?.RpcUrl ?? RpcUrl;
        var contract = resource?.TaskManager ?? TaskManager;
        if (string.IsNullOrWhiteSpace(rpc) || string.IsNullOrWhiteSpace(contract))
        {
            return (null, "no FLock task-manager contract is configured: set spec.staking.chain.taskManager (and rpcUrl) or the operator's Staking__TaskManager, or use staking.gate: Observe");
        }

        try
        {
            return (new ChainSettings(rpc, resource?.ChainId ?? ChainId, contract, resource?.Confirmations ?? Confirmations), null);
        }
        catch (ArgumentException e)
        {
            return (null, $"the staking chain settings are invalid: {e.Message}");
        }
    }
}
