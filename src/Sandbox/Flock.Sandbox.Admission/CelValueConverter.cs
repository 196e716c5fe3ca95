using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Converts a JSON node into the plain CLR values the Cel package evaluates (Dictionary&lt;string, object?&gt;,
/// List&lt;object?&gt;, long, double, string, bool, null), typed by the schema the way the apiserver types them.
/// </summary>
/// <remarks>
/// The schema decides what CEL sees: "number" fields are doubles even when the JSON has no fraction, fields are
/// named by their escaped CEL names, undeclared fields of a typed object are invisible, and the metadata of a
/// resource (root or embedded) exposes only name and generateName.
/// </remarks>
public static class CelValueConverter
{
    private static readonly string[] VisibleMetadata = ["name", "generateName"];

    public static object? ToCel(JsonNode? node, StructuralSchema? schema, bool isResourceRoot = false)
    {
        switch (JsonValues.KindOf(node))
        {
            case JsonKind.Null:
                return null;
            case JsonKind.String:
                return JsonValues.AsString(node);
            case JsonKind.Boolean:
                return JsonValues.AsBool(node);
            case JsonKind.Integer:
                JsonValues.TryGetInteger(node, out var l);
                return schema?.Type == "number" ? (object)(double)l : l;
            case JsonKind.Float:
                var d = JsonValues.AsDouble(node);
                return schema?.Type == "integer" && Math.Floor(d) == d && Math.Abs(d) < 9.2e18 ? (object)(long)d : d;
            case JsonKind.Array:
                return ((JsonArray)node!).Select(item => ToCel(item, schema?.Items)).ToList();
            case JsonKind.Object:
                return ToCelObject((JsonObject)node!, schema, isResourceRoot || schema?.EmbeddedResource == true);
            default:
                return null;
        }
    }

    private static Dictionary<string, object?> ToCelObject(JsonObject obj, StructuralSchema? schema, bool isResource)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var untyped = schema is null || (schema.Properties.Count == 0 && !schema.IsMap && (schema.PreserveUnknownFields || schema.Type is null));
        if (untyped && !isResource)
        {
            foreach (var (key, value) in obj)
            {
                result[key] = ToCel(value, null);
            }

            return result;
        }

        if (schema!.IsMap)
        {
            foreach (var (key, value) in obj)
            {
                result[key] = ToCel(value, schema.AdditionalProperties);
            }

            return result;
        }

        foreach (var (celName, property) in schema.CelFieldNames)
        {
            if (obj.TryGetPropertyValue(property, out var value))
            {
                result[celName] = ToCel(value, schema.Properties[property]);
            }
        }

        if (isResource)
        {
            AddResourceFields(obj, result);
        }

        return result;
    }

    /// <summary>apiVersion, kind and a metadata reduced to name and generateName, as the apiserver declares them for CEL.</summary>
    private static void AddResourceFields(JsonObject obj, Dictionary<string, object?> result)
    {
        foreach (var field in new[] { "apiVersion", "kind" })
        {
            if (JsonValues.AsString(obj[field]) is { } text)
            {
                result[field] = text;
            }
        }

        if (obj["metadata"] is JsonObject metadata)
        {
            var visible = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var field in VisibleMetadata)
            {
                if (JsonValues.AsString(metadata[field]) is { } text)
                {
                    visible[field] = text;
                }
            }

            result["metadata"] = visible;
        }
    }
}
