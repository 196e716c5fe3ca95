using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>Names list items the way structured-merge-diff does: v:&lt;value&gt; in sets, k:{keys} in map lists.</summary>
internal static class ListItems
{
    /// <summary>
    /// The path element of an item of a granular list. With <paramref name="strict"/> a map-list item missing a
    /// key without default is an error (the apiserver refuses such an applied configuration); otherwise the item is
    /// addressed by position.
    /// </summary>
    public static PathElement ElementOf(SchemaNode list, JsonNode? item, int index, bool strict, string where)
    {
        if (list.ListType == ListKind.Set)
        {
            if (item is JsonObject or JsonArray)
            {
                if (strict) throw new PatchException($"{where}: element {index}: associative list without keys has an element that's a map type", 422);
                return PathElement.At(index);
            }

            return PathElement.ValueOf(item);
        }

        if (item is not JsonObject obj)
        {
            if (strict) throw new PatchException($"{where}: element {index}: associative list with keys has an element that is not a map", 422);
            return PathElement.At(index);
        }

        var fields = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var key in list.Keys)
        {
            if (obj.TryGetPropertyValue(key, out var v) && !JsonValues.IsNull(v))
            {
                fields.Add(new(key, v));
            }
            else if (list.KeyDefaults.TryGetValue(key, out var d))
            {
                fields.Add(new(key, d));
            }
            else
            {
                if (strict) throw new PatchException($"{where}: element {index}: associative list with keys has an element that omits key field \"{key}\" (and doesn't have default value)", 422);
                return PathElement.At(index);
            }
        }

        return PathElement.Key(fields);
    }

    /// <summary>Items of a granular list with their path elements (first occurrence wins for duplicates).</summary>
    public static List<(PathElement Element, JsonNode? Item, int Index)> Index(SchemaNode list, JsonArray array, bool strict, string where)
    {
        var result = new List<(PathElement, JsonNode?, int)>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            result.Add((ElementOf(list, array[i], i, strict, where), array[i], i));
        }

        if (strict)
        {
            var seen = new HashSet<PathElement>();
            foreach (var (e, _, _) in result)
            {
                if (!seen.Add(e))
                {
                    throw new PatchException($"{where}: duplicate entries for key {e.ToPathString()}", 422);
                }
            }
        }

        return result;
    }

    /// <summary>Whether a JSON object at this node is walked field by field.</summary>
    public static bool IsGranularObject(SchemaNode type) => type.Kind is SchemaKind.Object or SchemaKind.Untyped && !type.ObjectIsAtomic;

    /// <summary>Whether a JSON array at this node is walked item by item.</summary>
    public static bool IsGranularList(SchemaNode type) => type.Kind == SchemaKind.List && type.ListType != ListKind.Atomic;
}
