using System.Globalization;
using System.Numerics;

namespace Flock.Operator.Telemetry;

/// <summary>A status amount read back for a gauge: "12.5uact" → (12.5, "uact").</summary>
internal readonly record struct CoinAmount(double Amount, string Denom)
{
    /// <summary>Parses an amount followed by its denom; anything else (empty, malformed) is null, and the gauge skips it.</summary>
    public static CoinAmount? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.'))
        {
            split++;
        }

        if (split == 0 || split == text.Length
            || !double.TryParse(text.AsSpan(0, split), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return new CoinAmount(amount, text[split..]);
    }

    /// <summary>An 18-decimal token amount in base units ("3000000000000000000000") as whole tokens (3000).</summary>
    public static double? Tokens(string? baseUnits) =>
        BigInteger.TryParse(baseUnits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? (double)value / 1e18
            : null;
}
