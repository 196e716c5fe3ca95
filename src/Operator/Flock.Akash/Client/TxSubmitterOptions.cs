using Flock.Akash.Chain;
using Flock.Akash.Tx;

namespace Flock.Akash.Client;

/// <summary>How <see cref="TxSubmitter"/> prices gas, waits for inclusion and retries sequence mismatches.</summary>
/// <param name="GasAdjustment">Simulated gas × this = gas limit (chain-sdk's Go default 1.5); simulation under-reports.</param>
/// <param name="GasPrice">Fee per unit of gas in <paramref name="FeeDenom"/> (chain-sdk default 0.025uakt).</param>
/// <param name="FeeDenom">Gas is paid in uakt even after the BME upgrade.</param>
/// <param name="InclusionTimeout">How long to poll GetTx after CheckTx accepted the tx (mainnet blocks ≈ 6.2 s, so the default covers ~10 blocks).</param>
/// <param name="PollInterval">Pause between GetTx polls.</param>
/// <param name="MaxSequenceRetries">Re-signs after a sequence mismatch (code 32) before giving up: another signer racing on the key needs only one or two.</param>
/// <param name="MaxRawLogLength">Raw logs are copied into exceptions and logs; a node can return very long ones, so they are cut to this length.</param>
public sealed record TxSubmitterOptions(
    decimal GasAdjustment = TxFee.DefaultGasAdjustment,
    decimal GasPrice = TxFee.DefaultGasPrice,
    string FeeDenom = AkashNetwork.Uakt,
    TimeSpan? InclusionTimeout = null,
    TimeSpan? PollInterval = null,
    int MaxSequenceRetries = 3,
    int MaxRawLogLength = 1024)
{
    /// <summary>60 s ≈ 10 mainnet blocks.</summary>
    public static readonly TimeSpan DefaultInclusionTimeout = TimeSpan.FromSeconds(60);

    /// <summary>1 s: a fraction of a mainnet block, so inclusion is noticed promptly without hammering the node.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    public TimeSpan EffectiveInclusionTimeout => InclusionTimeout ?? DefaultInclusionTimeout;

    public TimeSpan EffectivePollInterval => PollInterval ?? DefaultPollInterval;
}
