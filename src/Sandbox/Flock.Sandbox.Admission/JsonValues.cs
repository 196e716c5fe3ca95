using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>Helpers that read <see cref="JsonNode"/> values the way the Go apiserver sees them.</summary>
public static class JsonValues
{
    public static JsonKind KindOf(JsonNode? node) => node switch
    {
        null => JsonKind.Null,
        JsonObject => JsonKind.Object,
        JsonArray => JsonKind.Array,
        JsonValue v => KindOfValue(v),
        _ => JsonKind.Null,
    };

    /// <summary>The name kube-openapi gives the value's type in "must be of type X: \"name\"".</summary>
    public static string TypeName(JsonNode? node) => KindOf(node) switch
    {
        JsonKind.Null => "null",
        JsonKind.Object => "object",
        JsonKind.Array => "array",
        JsonKind.String => "string",
        JsonKind.Integer => "integer",
        JsonKind.Float => "number",
        JsonKind.Boolean => "boolean",
        _ => "null",
    };

    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.Number && IsIntegerText(element.GetRawText()) && element.TryGetInt64(out value);
        }

        if (v.TryGetValue<long>(out value))
        {
            return true;
        }

        if (v.TryGetValue<int>(out var i)) { value = i; return true; }
        if (v.TryGetValue<short>(out var s)) { value = s; return true; }
        if (v.TryGetValue<byte>(out var b)) { value = b; return true; }
        if (v.TryGetValue<sbyte>(out var sb)) { value = sb; return true; }
        if (v.TryGetValue<ushort>(out var us)) { value = us; return true; }
        if (v.TryGetValue<uint>(out var ui)) { value = ui; return true; }
        if (v.TryGetValue<ulong>(out var ul) && ul <= long.MaxValue) { value = (long)ul; return true; }
        return false;
    }

    /// <summary>The value of an integer or float node as a double (Go's valueHelp.asFloat64).</summary>
    public static double AsDouble(JsonNode? node)
    {
        if (TryGetInteger(node, out var l))
        {
            return l;
        }

        if (node is not JsonValue v)
        {
            return double.NaN;
        }

        if (v.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var d) ? d : double.NaN;
        }

        if (v.TryGetValue<double>(out var dd)) { return dd; }
        if (v.TryGetValue<float>(out var f)) { return f; }
        if (v.TryGetValue<decimal>(out var m)) { return (double)m; }
        if (v.TryGetValue<ulong>(out var ul)) { return ul; }
        return double.NaN;
    }

    public static string? AsString(JsonNode? node)
    {
        if (node is not JsonValue v || KindOfValue(v) != JsonKind.String)
        {
            return null;
        }

        // CLR-backed values (char, Guid, DateTime) only expose their text through serialization.
        return v.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(v.ToJsonString());
    }

    public static bool? AsBool(JsonNode? node) =>
        node is JsonValue v && KindOfValue(v) == JsonKind.Boolean ? v.GetValue<bool>() : null;

    /// <summary>Go's reflect.DeepEqual over decoded JSON: int64 1 and float64 1 differ.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        var kind = KindOf(a);
        if (kind != KindOf(b))
        {
            return false;
        }

        switch (kind)
        {
            case JsonKind.Null:
                return true;
            case JsonKind.Object:
                var oa = (JsonObject)a!;
                var ob = (JsonObject)b!;
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case JsonKind.Array:
                var la = (JsonArray)a!;
                var lb = (JsonArray)b!;
                if (la.Count != lb.Count)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!DeepEquals(la[i], lb[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JsonKind.String:
                return string.Equals(AsString(a), AsString(b), StringComparison.Ordinal);
            case JsonKind.Integer:
                TryGetInteger(a, out var ia);
                TryGetInteger(b, out var ib);
                return ia == ib;
            case JsonKind.Float:
                return AsDouble(a).Equals(AsDouble(b));
            case JsonKind.Boolean:
                return AsBool(a) == AsBool(b);
            default:
                return false;
        }
    }

    /// <summary>Equality for enum membership: kube-openapi converts the value to the enum value's Go type, so 1 equals 1.0.</summary>
    public static bool EnumEquals(JsonNode? value, JsonNode? enumValue)
    {
        var k1 = KindOf(value);
        var k2 = KindOf(enumValue);
        var numeric1 = k1 is JsonKind.Integer or JsonKind.Float;
        var numeric2 = k2 is JsonKind.Integer or JsonKind.Float;
        if (numeric1 && numeric2)
        {
            return AsDouble(value).Equals(AsDouble(enumValue));
        }

        return DeepEquals(value, enumValue);
    }

    /// <summary>A detached copy (defaults are deep-copied into every object they fill).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Go's json.Marshal of a decoded value: keys sorted, used where the apiserver marshals values.</summary>
    public static string ToGoJson(JsonNode? node)
    {
        switch (KindOf(node))
        {
            case JsonKind.Null:
                return "null";
            case JsonKind.Object:
                var obj = (JsonObject)node!;
                var parts = obj.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => JsonSerializer.Serialize(p.Key) + ":" + ToGoJson(p.Value));
                return "{" + string.Join(",", parts) + "}";
            case JsonKind.Array:
                return "[" + string.Join(",", ((JsonArray)node!).Select(ToGoJson)) + "]";
            case JsonKind.String:
                return JsonSerializer.Serialize(AsString(node));
            case JsonKind.Integer:
                TryGetInteger(node, out var l);
                return l.ToString(CultureInfo.InvariantCulture);
            case JsonKind.Float:
                return GoFormat.JsonFloat(AsDouble(node));
            case JsonKind.Boolean:
                return AsBool(node) == true ? "true" : "false";
            default:
                return "null";
        }
    }

    private static JsonKind KindOfValue(JsonValue v)
    {
        if (v.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => JsonKind.String,
                JsonValueKind.True or JsonValueKind.False => JsonKind.Boolean,
                JsonValueKind.Number => IsIntegerText(element.GetRawText()) && element.TryGetInt64(out _) ? JsonKind.Integer : JsonKind.Float,
                JsonValueKind.Object => JsonKind.Object,
                JsonValueKind.Array => JsonKind.Array,
                _ => JsonKind.Null,
            };
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.String => JsonKind.String,
            JsonValueKind.True or JsonValueKind.False => JsonKind.Boolean,
            JsonValueKind.Number => TryGetInteger(v, out _) ? JsonKind.Integer : JsonKind.Float,
            _ => JsonKind.Null,
        };
    }

    private static bool IsIntegerText(string raw) => raw.AsSpan().IndexOfAny(".eE") < 0;
}
