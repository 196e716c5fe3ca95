using System.Globalization;
using Flock.Akash.Chain;

namespace Flock.Akash.Tx;

/// <summary>Gas limit and fee of a transaction.</summary>
/// <param name="GasLimit">Gas the transaction may use.</param>
/// <param name="Amount">Fee amount in <paramref name="Denom"/> (integer).</param>
/// <param name="Denom">Fee denom; gas is paid in uakt even after the BME upgrade.</param>
public sealed record TxFee(ulong GasLimit, ulong Amount, string Denom = AkashNetwork.Uakt)
{
    /// <summary>chain-sdk's Go default: multiply the simulated gas by 1.5 (the TS client uses 1.3).</summary>
    public const decimal DefaultGasAdjustment = 1.5m;

    /// <summary>chain-sdk default gas price: 0.025uakt per unit of gas.</summary>
    public const decimal DefaultGasPrice = 0.025m;

    /// <summary>
    /// Gas limit from a simulation: ceil(simulated × adjustment). Simulation under-reports (signature checks,
    /// state changed between simulate and deliver), so the margin avoids out-of-gas (code 11) failures.
    /// </summary>
    public static ulong GasLimitFor(ulong simulatedGas, decimal adjustment = DefaultGasAdjustment)
    {
        if (adjustment < 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(adjustment), adjustment, "The gas adjustment must be at least 1.");
        }

        return checked((ulong)Math.Ceiling(simulatedGas * adjustment));
    }

    /// <summary>The fee for a gas limit: ceil(gas limit × price), the rule the node checks against min-gas-prices.</summary>
    public static TxFee ForGas(ulong gasLimit, decimal gasPrice = DefaultGasPrice, string denom = AkashNetwork.Uakt)
    {
        if (gasPrice < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(gasPrice), gasPrice, "The gas price must not be negative.");
        }

        return new TxFee(gasLimit, checked((ulong)Math.Ceiling(gasLimit * gasPrice)), denom);
    }

    /// <summary>Simulated gas to fee in one step.</summary>
    public static TxFee FromSimulation(ulong simulatedGas, decimal adjustment = DefaultGasAdjustment, decimal gasPrice = DefaultGasPrice, string denom = AkashNetwork.Uakt) =>
        ForGas(GasLimitFor(simulatedGas, adjustment), gasPrice, denom);

    /// <summary>Amount and denom as the SDK writes a coin ("5000uakt").</summary>
    public override string ToString() => $"{Amount.ToString(CultureInfo.InvariantCulture)}{Denom} (gas {GasLimit.ToString(CultureInfo.InvariantCulture)})";
}
