using System.Globalization;
using System.Text.RegularExpressions;

namespace Flock.Akash.Sdl;

/// <summary>
/// SDL quantities to chain units, the way chain-sdk's TypeScript (sizes.ts, manifestUtils.ts) computes them:
/// CPU units to millicores, sizes ("24Gi", "512M", "1.5gi") to bytes. Both sizes.ts and the Go SDL agree on
/// every form the renderer writes (k/M/G/T/P/E, Ki..Ei).
/// </summary>
public static partial class SdlQuantity
{
    private const string Prefixes = "kmgtpe";

    /// <summary>CPU units written as a YAML number (8, 0.5): cores × 1000.</summary>
    public static ulong CpuMillisFromNumber(double cores) => ToWhole(cores * 1000, "cpu.units");

    /// <summary>CPU units written as a string ("8", "500m", "1.5").</summary>
    public static ulong CpuMillisFromString(string units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var m = CpuPattern().Match(units.ToLowerInvariant());
        if (!m.Success)
        {
            throw new FormatException($"Invalid CPU units '{units}'.");
        }

        var value = double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return m.Groups[2].Value == "m" ? ToWhole(value, "cpu.units") : ToWhole(value * 1000, "cpu.units");
    }

    /// <summary>A memory or storage size to bytes: number, one prefix letter, optional "i" for powers of 1024.</summary>
    public static ulong Bytes(string size)
    {
        ArgumentNullException.ThrowIfNull(size);
        var m = SizePattern().Match(size.ToLowerInvariant());
        if (!m.Success)
        {
            throw new FormatException($"Invalid size '{size}': expected a number and a unit such as 24Gi or 512M.");
        }

        var value = double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var power = Prefixes.IndexOf(m.Groups[2].Value[0], StringComparison.Ordinal);
        var @base = m.Groups[3].Value == "i" ? 1024d : 1000d;
        var result = power >= 0 ? value * Math.Pow(@base, power + 1) : value;
        return checked((ulong)Math.Ceiling(result));
    }

    private static ulong ToWhole(double value, string what)
    {
        if (value < 0 || double.IsNaN(value) || double.IsInfinity(value) || Math.Floor(value) != value)
        {
            throw new FormatException($"{what} must come to a whole number of millicores, got {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return checked((ulong)value);
    }

    [GeneratedRegex(@"^([\d.]+)([a-z]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex CpuPattern();

    [GeneratedRegex(@"^([\d.]+)([a-z])([a-z]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
