using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flock.Akash.Sdl;

/// <summary>
/// Resolves a YAML scalar the way the reference loader (js-yaml, YAML 1.2 core schema) types it: a plain
/// <c>10000</c> is a number, <c>true</c> a boolean, <c>"10000"</c> a string. The type matters: a number is
/// re-printed by JavaScript (10000.0 → "10000") before it reaches the chain; a string is kept as written.
/// </summary>
internal static partial class YamlScalar
{
    public static object? Resolve(YamlScalarNode node)
    {
        var text = node.Value ?? "";
        if (node.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return text;
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (IntPattern().IsMatch(text))
        {
            return double.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && text.Length > 2 && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return (double)hex;
        }

        if (FloatPattern().IsMatch(text))
        {
            return double.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return text;
    }

    /// <summary>String() of the resolved value, as the reference does for attribute values.</summary>
    public static string AsJsString(YamlScalarNode node) => Resolve(node) switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => JsNumber.ToString(d),
        var other => (string)other,
    };

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
