using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>Whether a value has the type its schema declares (integral floats count as integers, integers as numbers).</summary>
internal static class SchemaTypes
{
    public static bool Matches(StructuralSchema s, JsonNode? data)
    {
        var kind = JsonValues.KindOf(data);
        if (kind == JsonKind.Null)
        {
            return s.Nullable || (s.Type is null && !s.IntOrString);
        }

        if (s.IntOrString)
        {
            return kind is JsonKind.Integer or JsonKind.String || (kind == JsonKind.Float && IsIntegral(data));
        }

        return s.Type switch
        {
            null => true,
            "object" => kind == JsonKind.Object,
            "array" => kind == JsonKind.Array,
            "string" => kind == JsonKind.String,
            "boolean" => kind == JsonKind.Boolean,
            "integer" => kind == JsonKind.Integer || (kind == JsonKind.Float && IsIntegral(data)),
            "number" => kind is JsonKind.Integer or JsonKind.Float,
            _ => true,
        };
    }

    private static bool IsIntegral(JsonNode? data)
    {
        var d = JsonValues.AsDouble(data);
        return !double.IsInfinity(d) && Math.Floor(d) == d;
    }
}
