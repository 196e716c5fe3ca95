using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Flock.Akash.Chain;

/// <summary>
/// cosmos-sdk LegacyDec as it travels in protobuf: DecCoin.amount and escrow balances are the decimal scaled by
/// 10^18 written as an integer string ("1.5" → "1500000000000000000"); REST/JSON shows "1.500000000000000000".
/// Sending the plain decimal in proto bytes would be read as a number 10^18 times smaller.
/// </summary>
public static partial class LegacyDec
{
    /// <summary>Digits after the decimal point LegacyDec keeps.</summary>
    public const int Precision = 18;

    private static readonly BigInteger Scale = BigInteger.Pow(10, Precision);

    /// <summary>Converts a non-negative decimal string ("10000", "1.5", "0.000001") to its wire form.</summary>
    public static string ToWire(string amount)
    {
        ArgumentNullException.ThrowIfNull(amount);
        var match = DecimalPattern().Match(amount);
        if (!match.Success)
        {
            throw new FormatException($"'{amount}' is not a non-negative decimal number.");
        }

        var whole = match.Groups["whole"].Value;
        var frac = match.Groups["frac"].Value;
        if (frac.Length > Precision)
        {
            throw new FormatException($"'{amount}' has more than {Precision} decimal places.");
        }

        var scaled = BigInteger.Parse(whole + frac.PadRight(Precision, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        return scaled.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Converts a wire integer string back to a plain decimal string without trailing zeros ("1500000000000000000" → "1.5").</summary>
    public static string FromWire(string wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        if (wire.Length == 0 || !wire.All(char.IsAsciiDigit))
        {
            throw new FormatException($"'{wire}' is not a LegacyDec wire integer.");
        }

        var value = BigInteger.Parse(wire, NumberStyles.None, CultureInfo.InvariantCulture);
        var whole = BigInteger.DivRem(value, Scale, out var rem);
        if (rem.IsZero)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var frac = rem.ToString(CultureInfo.InvariantCulture).PadLeft(Precision, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + frac;
    }

    [GeneratedRegex(@"^(?<whole>[0-9]+)(\.(?<frac>[0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();
}
