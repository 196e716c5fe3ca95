using System.Globalization;
using System.Text.RegularExpressions;

namespace Flock.Akash.Sdl;

/// <summary>
/// Kubernetes quantities ("8", "7500m", "24Gi", "1.5G", "1e9") as exact numbers: the resource's fields are
/// Kubernetes quantities while an SDL wants millicores and sizes in forms both Akash parsers read.
/// </summary>
public static partial class KubeQuantity
{
    /// <summary>The exact value (e.g. "7500m" → 7.5, "24Gi" → 25769803776).</summary>
    public static decimal Parse(string quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        var m = Pattern().Match(quantity.Trim());
        if (!m.Success)
        {
            throw new FormatException($"'{quantity}' is not a Kubernetes quantity.");
        }

        try
        {
            return Scale(decimal.Parse(m.Groups["num"].Value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), m.Groups["suffix"].Value);
        }
        catch (OverflowException)
        {
            // Beyond decimal's 28 digits: no CPU or memory size an SDL can carry.
            throw new FormatException($"'{quantity}' is out of range.");
        }
    }

    private static decimal Scale(decimal number, string suffix) =>
        suffix switch
        {
            "" => number,
            "n" => number / 1_000_000_000m,
            "u" => number / 1_000_000m,
            "m" => number / 1000m,
            "k" => number * 1000m,
            "M" => number * 1_000_000m,
            "G" => number * 1_000_000_000m,
            "T" => number * 1_000_000_000_000m,
            "P" => number * 1_000_000_000_000_000m,
            "E" => number * 1_000_000_000_000_000_000m,
            "Ki" => number * 1024m,
            "Mi" => number * 1024m * 1024m,
            "Gi" => number * 1024m * 1024m * 1024m,
            "Ti" => number * 1024m * 1024m * 1024m * 1024m,
            "Pi" => number * 1024m * 1024m * 1024m * 1024m * 1024m,
            "Ei" => number * 1024m * 1024m * 1024m * 1024m * 1024m * 1024m,
            _ => number * Pow10(int.Parse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        };

    /// <summary>CPU quantity in millicores; must be positive and whole (Akash counts millicores).</summary>
    public static ulong Millicores(string quantity)
    {
        var millis = Parse(quantity) * 1000m;
        if (millis <= 0 || millis != decimal.Truncate(millis) || millis > ulong.MaxValue)
        {
            throw new FormatException($"CPU '{quantity}' must be a positive whole number of millicores.");
        }

        return (ulong)millis;
    }

    /// <summary>A size in bytes; must be positive and whole.</summary>
    public static ulong Bytes(string quantity)
    {
        var bytes = Parse(quantity);
        if (bytes <= 0 || bytes != decimal.Truncate(bytes) || bytes > ulong.MaxValue)
        {
            throw new FormatException($"Size '{quantity}' must be a positive whole number of bytes, at most 2^64 - 1.");
        }

        return (ulong)bytes;
    }

    private static decimal Pow10(int exponent)
    {
        // 10^29 already overflows decimal: stop there instead of looping over a huge exponent.
        var result = 1m;
        for (var i = 0; i < Math.Min(Math.Abs(exponent), 30); i++)
        {
            result *= 10m;
        }

        return exponent >= 0 ? result : 1m / result;
    }

    [GeneratedRegex(@"^(?<num>[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
