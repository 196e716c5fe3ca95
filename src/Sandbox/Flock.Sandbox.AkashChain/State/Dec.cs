using System.Globalization;
using System.Numerics;
using Flock.Akash.Chain;

namespace Flock.Sandbox.AkashChain.State;

/// <summary>
/// LegacyDec arithmetic on exact integers: a DecCoin amount is kept as the decimal × 10^18 (its wire form), so per-block
/// draws of fractional prices add up without rounding and the ledger balances to the last unit.
/// </summary>
public static class Dec
{
    /// <summary>10^18: one whole unit in scaled form.</summary>
    public static readonly BigInteger One = BigInteger.Pow(10, LegacyDec.Precision);

    /// <summary>An integer coin amount in scaled form.</summary>
    public static BigInteger FromInt(BigInteger amount) => amount * One;

    /// <summary>The whole units of a scaled amount (what the bank can actually move).</summary>
    public static BigInteger Floor(BigInteger scaled) => BigInteger.Divide(scaled, One);

    /// <summary>Reads a DecCoin wire amount ("1500000000000000000" = 1.5); null when it is not a non-negative integer string.</summary>
    public static BigInteger? ParseWire(string wire)
    {
        if (string.IsNullOrEmpty(wire) || !wire.All(char.IsAsciiDigit))
        {
            return null;
        }

        return BigInteger.Parse(wire, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The wire form of a scaled amount.</summary>
    public static string ToWire(BigInteger scaled) => scaled.ToString(CultureInfo.InvariantCulture);

    /// <summary>Human form ("1.5") for logs.</summary>
    public static string Show(BigInteger scaled) => LegacyDec.FromWire(ToWire(scaled));

    /// <summary>Reads an integer Coin amount; null when malformed.</summary>
    public static BigInteger? ParseInt(string amount)
    {
        if (string.IsNullOrEmpty(amount) || !amount.All(char.IsAsciiDigit))
        {
            return null;
        }

        return BigInteger.Parse(amount, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The SDK's coin text: amount immediately followed by denom ("5000uakt").</summary>
    public static string Coin(BigInteger amount, string denom) => amount.ToString(CultureInfo.InvariantCulture) + denom;
}
