using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>Null-tolerant navigation of JSON objects for the printers.</summary>
internal static class Json
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(key, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string Str(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    public static long Int(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (long)v.GetValue<double>() : 0;

    public static long? IntOrNull(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (long)v.GetValue<double>() : null;

    public static bool Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static IReadOnlyList<JsonNode?> Arr(JsonNode? node, params string[] path) =>
        At(node, path) as JsonArray is { } array ? array.ToList() : [];

    public static int Count(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonObject obj => obj.Count,
        JsonArray array => array.Count,
        _ => 0,
    };

    public static DateTimeOffset? Time(JsonNode? node, params string[] path)
    {
        var text = Str(node, path);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
