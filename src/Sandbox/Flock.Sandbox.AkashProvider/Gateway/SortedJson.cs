using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// The provider's own reading of a manifest's version bytes, written for the simulator from the facts and apart from
/// the operator's encoder (a bug on both sides must not cancel out). chain-sdk go/manifest/v2beta3 Manifest.Version
/// marshals the manifest and passes it through cosmos-sdk types.SortJSON: json.Unmarshal into interface{} (objects
/// become map[string]interface{}, numbers float64), then json.Marshal, which writes map keys in sorted order, no
/// whitespace, floats with strconv 'f' formatting inside [1e-6, 1e21) and 'e' outside, and strings with HTML-safe
/// escaping (&lt; &gt; &amp; as \u003c \u003e \u0026, U+2028/U+2029 escaped, \n \r \t \b \f short, other control
/// characters \u00XX, invalid UTF-16 as \ufffd).
/// </summary>
internal static class SortedJson
{
    public static byte[] Bytes(JsonElement element)
    {
        var text = new StringBuilder();
        Append(text, element);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Append(StringBuilder text, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // Go's map iteration for Marshal is sorted by key bytes; UTF-8 byte order equals ordinal order of the
                // UTF-16 code points for the BMP keys a manifest has. A repeated key keeps its last value (Unmarshal).
                var members = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject()) members[property.Name] = property.Value;
                text.Append('{');
                var comma = false;
                foreach (var (name, value) in members)
                {
                    if (comma) text.Append(',');
                    comma = true;
                    Quote(text, name);
                    text.Append(':');
                    Append(text, value);
                }

                text.Append('}');
                return;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) text.Append(',');
                    first = false;
                    Append(text, item);
                }

                text.Append(']');
                return;
            case JsonValueKind.String:
                Quote(text, element.GetString()!);
                return;
            case JsonValueKind.Number:
                text.Append(GoFloat(element.GetDouble()));
                return;
            case JsonValueKind.True:
                text.Append("true");
                return;
            case JsonValueKind.False:
                text.Append("false");
                return;
            default:
                text.Append("null");
                return;
        }
    }

    /// <summary>encoding/json floatEncoder for float64: shortest round-trip digits, exponent form outside [1e-6, 1e21).</summary>
    private static string GoFloat(double value)
    {
        if (value == 0) return "0";
        var abs = Math.Abs(value);
        if (abs is >= 1e-6 and < 1e21)
        {
            // Plain decimal with the shortest digits that round-trip ("R" may choose an exponent above 1e15).
            var shortest = value.ToString("R", CultureInfo.InvariantCulture);
            return shortest.Contains('E', StringComparison.Ordinal)
                ? decimal.Parse(shortest, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
                : shortest;
        }

        // 'e' with at least two exponent digits, as Go cleans it: 1e+21, 1.5e-07.
        var e = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        var at = e.IndexOf('e', StringComparison.Ordinal);
        if (at < 0) e = value.ToString("0.################e+00", CultureInfo.InvariantCulture);
        var mantissa = e[..e.IndexOf('e', StringComparison.Ordinal)];
        var exponent = int.Parse(e[(e.IndexOf('e', StringComparison.Ordinal) + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
    }

    private static void Quote(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    text.Append(c).Append(value[++i]);
                }
                else
                {
                    text.Append("\\ufffd"); // Go's encoder replaces what is not valid UTF-8
                }

                continue;
            }

            var escaped = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                _ when c < 0x20 || c is '<' or '>' or '&' or '\u2028' or '\u2029' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escaped is null) text.Append(c);
            else text.Append(escaped);
        }

        text.Append('"');
    }
}
