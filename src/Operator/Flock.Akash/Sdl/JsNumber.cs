using System.Globalization;

namespace Flock.Akash.Sdl;

/// <summary>
/// Number.prototype.toString for the values SDLs hold. A YAML number (amount: 10000, count: 1) goes through a
/// JavaScript number in the reference implementation, and its string form ("10000", "1.5") is what reaches the
/// chain; matching it keeps our group specs byte-equal to the Console's.
/// </summary>
internal static class JsNumber
{
    public static string ToString(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        var abs = Math.Abs(value);
        if (abs >= 1e21 || abs < 1e-6)
        {
            // JS exponent form: 1e+21, 1.5e-7.
            var r = value.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
            return r.Contains('e', StringComparison.Ordinal) ? r : value.ToString("R", CultureInfo.InvariantCulture);
        }

        if (Math.Floor(value) == value)
        {
            return value.ToString("F0", CultureInfo.InvariantCulture);
        }

        // Shortest round-trip digits, written without an exponent.
        return decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture)
            .ToString(CultureInfo.InvariantCulture);
    }
}
