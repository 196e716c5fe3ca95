namespace Flock.Sandbox.AkashChain;

/// <summary>How a simulated chain behaves. Defaults follow mainnet v2.x (shared/research/akash.md §1, §4).</summary>
/// <param name="ChainId">Goes into every SignDoc; a signature made for another chain id fails verification.</param>
/// <param name="BlockInterval">Time between automatically produced blocks; null produces blocks only through MineAsync (fully deterministic tests).</param>
/// <param name="MinGasPrice">uakt per gas unit the node demands in CheckTx (fee ≥ ceil(gas_limit × price)).</param>
/// <param name="ActPerAkt">BME rate: uact minted per uakt burned by MsgMintACT (the oracle price of AKT in ACT).</param>
/// <param name="DeploymentMinDeposit">deployment Params.min_deposits amount (both uact and uakt, as the v2.0.0 upgrade set them).</param>
/// <param name="BidMinDeposit">market Params.bid_min_deposits amount (uact and uakt).</param>
/// <param name="OrderMaxBids">market Params.order_max_bids.</param>
/// <param name="GenesisTime">Timestamp of height 0; each block adds BlockTime.</param>
/// <param name="BlockTime">Simulated time per block written into TxResponse.timestamp (mainnet ≈ 6.17 s).</param>
public sealed record AkashChainOptions(
    string ChainId = "akashnet-2",
    TimeSpan? BlockInterval = null,
    decimal MinGasPrice = 0.025m,
    decimal ActPerAkt = 1m,
    ulong DeploymentMinDeposit = 500_000,
    ulong BidMinDeposit = 500_000,
    uint OrderMaxBids = 20,
    DateTimeOffset? GenesisTime = null,
    TimeSpan? BlockTime = null)
{
    /// <summary>The defaults with blocks every second: a demo chain that moves on its own.</summary>
    public static AkashChainOptions Demo => new(BlockInterval: TimeSpan.FromSeconds(1));
}
