using System.Globalization;
using System.Numerics;

namespace Flock.Operator.Staking;

/// <summary>Exact conversions between wei (10^-18) and gmFLOCK decimal text, with no floating point.</summary>
public static class GmFlockAmount
{
    /// <summary>gmFLOCK (like FLOCK) has 18 decimals.</summary>
    public const int Decimals = 18;

    /// <summary>The token's symbol.</summary>
    public const string Symbol = "gmFLOCK";

    /// <summary>One token in wei: 10^18.</summary>
    public static readonly BigInteger OneToken = BigInteger.Pow(10, Decimals);

    /// <summary>Whole tokens to wei.</summary>
    public static BigInteger FromTokens(long tokens) => tokens * OneToken;

    /// <summary>Wei as an exact decimal string of tokens: 3000000000000000000000 → "3000", 1 → "0.000000000000000001".</summary>
    public static string ToDecimalString(BigInteger wei)
    {
        var negative = wei.Sign < 0;
        var abs = BigInteger.Abs(wei);
        var whole = BigInteger.DivRem(abs, OneToken, out var fraction);
        var text = whole.ToString(CultureInfo.InvariantCulture);
        if (!fraction.IsZero)
        {
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        }

        return negative ? "-" + text : text;
    }

    /// <summary>Wei as human text: "3000 gmFLOCK", "0.5 gmFLOCK".</summary>
    public static string ToDisplayString(BigInteger wei) => ToDecimalString(wei) + " " + Symbol;

    /// <summary>
    /// Parses a decimal token amount ("3000", "0.5", "3000 gmFLOCK") into exact wei. Refuses more than 18
    /// fractional digits, exponents, signs other than a leading '-', and group separators.
    /// </summary>
    public static bool TryParse(string? text, out BigInteger wei)
    {
        wei = BigInteger.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.EndsWith(Symbol, StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^Symbol.Length].TrimEnd();
        }

        var negative = s.StartsWith('-');
        if (negative)
        {
            s = s[1..];
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var wholePart = dot < 0 ? s : s[..dot];
        var fractionPart = dot < 0 ? "" : s[(dot + 1)..];
        if (wholePart.Length == 0 && fractionPart.Length == 0)
        {
            return false;
        }

        if (fractionPart.Length > Decimals || !wholePart.All(char.IsAsciiDigit) || !fractionPart.All(char.IsAsciiDigit)
            || (dot >= 0 && (wholePart.Length == 0 || fractionPart.Length == 0)))
        {
            return false;
        }

        var whole = BigInteger.Parse(wholePart, NumberStyles.None, CultureInfo.InvariantCulture);
        var fraction = fractionPart.Length == 0
            ? BigInteger.Zero
            : BigInteger.Parse(fractionPart.PadRight(Decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        wei = (whole * OneToken) + fraction;
        if (negative)
        {
            wei = -wei;
        }

        return true;
    }

    /// <summary>Like <see cref="TryParse"/>, throwing <see cref="FormatException"/> on malformed text.</summary>
    public static BigInteger Parse(string text) =>
        TryParse(text, out var wei) ? wei : throw new FormatException($"'{text}' is not a gmFLOCK amount (decimal, at most {Decimals} fractional digits).");
}
