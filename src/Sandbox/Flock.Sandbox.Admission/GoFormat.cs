using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Go's fmt/strconv printing, because apiserver messages are built with %q, %v and %#v and clients
/// (kubectl, helm) show them verbatim.
/// </summary>
public static class GoFormat
{
    /// <summary>strconv.Quote: double quotes, Go escapes, printable Unicode kept.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }

            if (IsPrint(rune))
            {
                sb.Append(rune.ToString());
            }
            else if (c < 0x80)
            {
                sb.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c == 0xFFFD)
            {
                // Replacement characters mark invalid UTF-8 in Go; .NET strings cannot carry the original byte.
                sb.Append("\\ufffd");
            }
            else if (c < 0x10000)
            {
                sb.Append("\\u").Append(c.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\U").Append(c.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>fmt's %v of a float64: strconv 'g' with the shortest digits, so exponent form when exp &lt; -4 or exp &gt;= 6 (1e+06).</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var (sci, exponent) = ShortestExponent(value);
        return exponent < -4 || exponent >= 6 ? sci : Fixed(value);
    }

    /// <summary>encoding/json's float64 text: fixed notation inside [1e-6, 1e21), else exponent with "e-7" cleaned of its zero.</summary>
    public static string JsonFloat(double value)
    {
        var abs = Math.Abs(value);
        if (abs == 0 || (abs >= 1e-6 && abs < 1e21) || double.IsNaN(value) || double.IsInfinity(value))
        {
            return abs == 0 ? "0" : Fixed(value);
        }

        var (sci, _) = ShortestExponent(value);
        var e = sci.IndexOf("e-0", StringComparison.Ordinal);
        return e >= 0 && sci.Length == e + 4 ? sci[..(e + 2)] + sci[^1] : sci;
    }

    /// <summary>
    /// How field.Error prints a bad value: int64, float64 and bool plain, strings quoted, compounds as %#v, and nil
    /// replaced by the string "null" (so it prints quoted).
    /// </summary>
    public static string Value(JsonNode? node) => JsonValues.KindOf(node) switch
    {
        JsonKind.Null => Quote("null"),
        JsonKind.String => Quote(JsonValues.AsString(node)!),
        JsonKind.Integer => Integer(node),
        JsonKind.Float => Float(JsonValues.AsDouble(node)),
        JsonKind.Boolean => JsonValues.AsBool(node) == true ? "true" : "false",
        _ => SharpV(node),
    };

    /// <summary>%#v of a decoded JSON value: map[string]interface {}{"k":v, ...} with sorted keys, []interface {}{...}.</summary>
    public static string SharpV(JsonNode? node) => JsonValues.KindOf(node) switch
    {
        JsonKind.Null => "interface {}(nil)",
        JsonKind.Object => "map[string]interface {}{" + string.Join(", ",
            ((JsonObject)node!).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Quote(p.Key) + ":" + SharpV(p.Value))) + "}",
        JsonKind.Array => "[]interface {}{" + string.Join(", ", ((JsonArray)node!).Select(SharpV)) + "}",
        JsonKind.String => Quote(JsonValues.AsString(node)!),
        JsonKind.Integer => Integer(node),
        JsonKind.Float => Float(JsonValues.AsDouble(node)),
        _ => JsonValues.AsBool(node) == true ? "true" : "false",
    };

    private static string Integer(JsonNode? node)
    {
        JsonValues.TryGetInteger(node, out var l);
        return l.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The shortest round-trip digits in Go's d.ddde±xx form, and the decimal exponent.</summary>
    private static (string Text, int Exponent) ShortestExponent(double value)
    {
        var digits = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = digits.StartsWith('-');
        var body = negative ? digits[1..] : digits;
        var exponent = 0;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var point = body.IndexOf('.', StringComparison.Ordinal);
        var intPart = point < 0 ? body : body[..point];
        var fracPart = point < 0 ? string.Empty : body[(point + 1)..];
        var significantInt = intPart.TrimStart('0');
        if (significantInt.Length > 0)
        {
            exponent += significantInt.Length - 1;
        }
        else
        {
            exponent -= fracPart.Length - fracPart.TrimStart('0').Length + 1;
        }

        var all = (intPart + fracPart).TrimStart('0').TrimEnd('0');
        if (all.Length == 0)
        {
            all = "0";
        }

        var mantissa = all.Length == 1 ? all : all[0] + "." + all[1..];
        var text = (negative ? "-" : string.Empty) + mantissa + "e" + (exponent < 0 ? "-" : "+")
            + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return (text, exponent);
    }

    private static string Fixed(double value)
    {
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        if (!r.Contains('E', StringComparison.Ordinal))
        {
            return r;
        }

        // "R" chose exponent form for a value Go prints in fixed notation: expand it.
        return decimal.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d.ToString(CultureInfo.InvariantCulture)
            : value.ToString("F0", CultureInfo.InvariantCulture);
    }

    /// <summary>unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation
                or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }
}
