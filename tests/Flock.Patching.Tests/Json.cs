using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

/// <summary>Small helpers for writing JSON in tests (single quotes stand for double quotes).</summary>
internal static class Json
{
    public static JsonNode? Parse(string json) => JsonNode.Parse(json.Replace('\'', '"'));

    public static JsonObject Obj(string json) => (JsonObject)Parse(json)!;

    public static JsonArray Arr(string json) => (JsonArray)Parse(json)!;

    /// <summary>Semantic equality (object key order ignored, array order significant).</summary>
    public static void Equal(string expected, JsonNode? actual)
    {
        var e = Parse(expected);
        Assert.True(JsonValues.Equal(e, actual), $"expected {JsonValues.ToJson(e)}\nactual   {JsonValues.ToJson(actual)}");
    }

    /// <summary>Exact text equality of the compact serialisation (key order significant).</summary>
    public static void Exact(string expected, JsonNode? actual) =>
        Assert.Equal(JsonValues.ToJson(Parse(expected)), JsonValues.ToJson(actual));
}
