using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// The value an update's old object holds at the same place as a new node, when the two can be matched
/// (CorrelatedObject in the apiserver): by field name and map key, and for list-type=map lists by the item keys.
/// Items of sets and atomic lists have no counterpart.
/// </summary>
internal sealed record OldValue(JsonNode? Value)
{
    public OldValue? Field(string name) =>
        Value is JsonObject obj && obj.TryGetPropertyValue(name, out var v) ? new OldValue(v) : null;

    public OldValue? Item(StructuralSchema listSchema, JsonNode? newItem)
    {
        if (listSchema.ListType != "map" || Value is not JsonArray oldList || newItem is not JsonObject item || listSchema.ListMapKeys.Count == 0)
        {
            return null;
        }

        foreach (var candidate in oldList)
        {
            if (candidate is JsonObject old && listSchema.ListMapKeys.All(k => SameKey(item, old, k, listSchema)))
            {
                return new OldValue(old);
            }
        }

        return null;
    }

    /// <summary>A key absent from an item takes the key field's default, as in the apiserver's map-list lookup.</summary>
    private static bool SameKey(JsonObject a, JsonObject b, string key, StructuralSchema listSchema)
    {
        var keyDefault = listSchema.Items?.Properties.GetValueOrDefault(key)?.Default;
        var va = a.TryGetPropertyValue(key, out var x) ? x : keyDefault;
        var vb = b.TryGetPropertyValue(key, out var y) ? y : keyDefault;
        return JsonValues.DeepEquals(va, vb);
    }
}
