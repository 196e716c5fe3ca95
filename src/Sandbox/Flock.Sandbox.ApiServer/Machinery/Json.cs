using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>Small helpers over System.Text.Json nodes, the form every stored object has.</summary>
internal static class Json
{
    /// <summary>Compact, with quotes escaped as \" and non-ASCII kept, as Go's encoder writes them.</summary>
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Compact);

    public static JsonObject Obj(JsonNode? parent, string name)
    {
        if (parent is not JsonObject o) throw new InvalidOperationException("not an object");
        if (o[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        o[name] = created;
        return created;
    }

    public static JsonObject Meta(JsonObject obj) => Obj(obj, "metadata");

    public static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(JsonNode? node, string name)
    {
        if (node is not JsonObject o || !o.TryGetPropertyValue(name, out var v) || v is not JsonValue jv) return null;
        if (jv.TryGetValue<long>(out var l)) return l;
        if (jv.TryGetValue<int>(out var i)) return i;
        if (jv.TryGetValue<double>(out var d)) return (long)d;
        if (jv.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var el)) return el;
        return null;
    }

    public static string? Path(JsonNode? node, params string[] path)
    {
        var cur = node;
        foreach (var p in path)
        {
            if (cur is not JsonObject o || !o.TryGetPropertyValue(p, out cur)) return null;
        }

        return cur is JsonValue v ? ScalarText(v) : null;
    }

    public static string? ScalarText(JsonValue v)
    {
        if (v.TryGetValue<string>(out var s)) return s;
        if (v.TryGetValue<bool>(out var b)) return b ? "true" : "false";
        if (v.TryGetValue<JsonElement>(out var e))
        {
            return e.ValueKind switch
            {
                JsonValueKind.String => e.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => e.GetRawText(),
                _ => null,
            };
        }

        return v.ToJsonString();
    }

    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                if (v is JsonValue jv && ScalarText(jv) is { } s) result[k] = s;
            }
        }

        return result;
    }

    public static List<string> StringList(JsonNode? node)
    {
        var result = new List<string>();
        if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                if (item is JsonValue jv && ScalarText(jv) is { } s) result.Add(s);
            }
        }

        return result;
    }

    public static JsonObject Clone(JsonObject o) => (JsonObject)o.DeepClone();

    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static string Rfc3339(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rfc3339Micro(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(string? s) =>
        s is not null && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
}
