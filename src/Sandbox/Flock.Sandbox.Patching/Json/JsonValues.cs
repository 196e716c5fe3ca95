using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.Patching.Json;

/// <summary>Helpers over System.Text.Json.Nodes: deep copy, semantic equality, ordering, compact text.</summary>
public static class JsonValues
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A deep copy (null stays null).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Compact JSON text, with non-ASCII characters left unescaped like Go's encoder.</summary>
    public static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    /// <summary>The JSON kind of a node, treating a C# null as JSON null.</summary>
    public static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    public static bool IsNull(JsonNode? node) => KindOf(node) == JsonValueKind.Null;

    public static bool IsObject(JsonNode? node) => node is JsonObject;

    public static bool IsArray(JsonNode? node) => node is JsonArray;

    /// <summary>Semantic equality: numbers by value, objects ignoring key order, arrays in order.</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        var ka = KindOf(a);
        var kb = KindOf(b);
        if (IsBool(ka) && IsBool(kb)) return ka == kb;
        if (ka != kb) return false;
        switch (ka)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number:
                return CompareNumbers(a!, b!) == 0;
            case JsonValueKind.String:
                return string.Equals(a!.GetValue<string>(), b!.GetValue<string>(), StringComparison.Ordinal);
            case JsonValueKind.Array:
            {
                var x = (JsonArray)a!;
                var y = (JsonArray)b!;
                if (x.Count != y.Count) return false;
                for (var i = 0; i < x.Count; i++)
                {
                    if (!Equal(x[i], y[i])) return false;
                }
                return true;
            }
            case JsonValueKind.Object:
            {
                var x = (JsonObject)a!;
                var y = (JsonObject)b!;
                if (x.Count != y.Count) return false;
                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other)) return false;
                    if (!Equal(value, other)) return false;
                }
                return true;
            }
            default:
                return false;
        }
    }

    private static bool IsBool(JsonValueKind k) => k is JsonValueKind.True or JsonValueKind.False;

    /// <summary>
    /// A total order over JSON values in the style of structured-merge-diff's value.Compare:
    /// numbers, then strings, then booleans, then arrays, then objects, then null.
    /// </summary>
    public static int Compare(JsonNode? a, JsonNode? b)
    {
        var ra = Rank(KindOf(a));
        var rb = Rank(KindOf(b));
        if (ra != rb) return ra.CompareTo(rb);
        switch (ra)
        {
            case 0: return CompareNumbers(a!, b!);
            case 1: return string.CompareOrdinal(a!.GetValue<string>(), b!.GetValue<string>()) switch { < 0 => -1, > 0 => 1, _ => 0 };
            case 2:
            {
                var x = KindOf(a) == JsonValueKind.True;
                var y = KindOf(b) == JsonValueKind.True;
                return x == y ? 0 : (x ? 1 : -1);
            }
            case 3:
            {
                var x = (JsonArray)a!;
                var y = (JsonArray)b!;
                for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
                {
                    var c = Compare(x[i], y[i]);
                    if (c != 0) return c;
                }
                return x.Count.CompareTo(y.Count);
            }
            case 4:
            {
                var x = (JsonObject)a!;
                var y = (JsonObject)b!;
                var kx = x.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                var ky = y.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                for (var i = 0; i < Math.Min(kx.Count, ky.Count); i++)
                {
                    var c = string.CompareOrdinal(kx[i], ky[i]);
                    if (c != 0) return c < 0 ? -1 : 1;
                    c = Compare(x[kx[i]], y[ky[i]]);
                    if (c != 0) return c;
                }
                return kx.Count.CompareTo(ky.Count);
            }
            default: return 0;
        }
    }

    private static int Rank(JsonValueKind k) => k switch
    {
        JsonValueKind.Number => 0,
        JsonValueKind.String => 1,
        JsonValueKind.True or JsonValueKind.False => 2,
        JsonValueKind.Array => 3,
        JsonValueKind.Object => 4,
        _ => 5,
    };

    private static int CompareNumbers(JsonNode a, JsonNode b)
    {
        var va = a.AsValue();
        var vb = b.AsValue();
        if (TryDecimal(va, out var da) && TryDecimal(vb, out var db)) return da.CompareTo(db);
        return ToDouble(va).CompareTo(ToDouble(vb));
    }

    private static bool TryDecimal(JsonValue v, out decimal d)
    {
        if (v.TryGetValue(out d)) return true;
        if (v.TryGetValue(out long l)) { d = l; return true; }
        if (v.TryGetValue(out int i)) { d = i; return true; }
        if (v.TryGetValue(out double x) && !double.IsNaN(x) && !double.IsInfinity(x) && Math.Abs(x) < 7.9e28) { d = (decimal)x; return true; }
        return decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    private static double ToDouble(JsonValue v) =>
        v.TryGetValue(out double d) ? d : double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Parses JSON text into a node (null for the literal null).</summary>
    public static JsonNode? Parse(string json) => JsonNode.Parse(json);
}
