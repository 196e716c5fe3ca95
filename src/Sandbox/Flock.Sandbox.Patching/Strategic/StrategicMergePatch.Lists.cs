using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching;

/// <summary>Merging of lists: by merge key, as sets of scalars, and the $patch directives in list items.</summary>
public static partial class StrategicMergePatch
{
    private static JsonArray MergeSliceHandler(JsonArray original, JsonArray patch, SchemaNode schema, bool isDeleteList)
    {
        if (schema.PatchMerges || isDeleteList)
        {
            return MergeSlice(original, patch, schema, isDeleteList);
        }

        return (JsonArray)patch.DeepClone();
    }

    private enum ElementKind
    {
        Scalar,
        Map,
    }

    private static JsonArray MergeSlice(JsonArray originalArray, JsonArray patchArray, SchemaNode schema, bool isDeleteList)
    {
        var original = originalArray.Select(n => n?.DeepClone()).ToList();
        var patch = patchArray.Select(n => n?.DeepClone()).ToList();
        if (original.Count == 0 && patch.Count == 0)
        {
            return new JsonArray();
        }

        var kind = SliceElementKind(original, patch);
        var mergeKey = schema.PatchMergeKey ?? string.Empty;
        List<JsonNode?> merged;
        if (kind != ElementKind.Map)
        {
            if (isDeleteList)
            {
                return ToArray(original.Where(o => !patch.Any(p => JsonValues.Equal(o, p))).ToList());
            }

            merged = DeduplicateScalars([.. original, .. patch]);
            mergeKey = string.Empty;
        }
        else
        {
            if (mergeKey.Length == 0)
            {
                throw new PatchException("cannot merge lists without merge key for type map");
            }

            (original, patch) = MergeSliceWithSpecialElements(original, patch, mergeKey);
            merged = MergeSliceWithoutSpecialElements(original, patch, mergeKey, schema.ItemType);
        }

        var (patchItems, serverOnly) = Partition(merged, patch, mergeKey);
        return ToArray(NormalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind));
    }

    private static ElementKind SliceElementKind(List<JsonNode?> original, List<JsonNode?> patch)
    {
        JsonValueKind? previous = null;
        foreach (var item in original.Concat(patch))
        {
            var k = JsonValues.KindOf(item);
            if (k == JsonValueKind.False) k = JsonValueKind.True;
            if (previous is null)
            {
                if (k == JsonValueKind.Array)
                {
                    throw new PatchException("lists of lists are not supported");
                }

                previous = k;
            }
            else if (previous != k)
            {
                throw new PatchException("list element types are not identical");
            }
        }

        if (previous is null)
        {
            throw new PatchException("no elements in any of the given slices");
        }

        return previous == JsonValueKind.Object ? ElementKind.Map : ElementKind.Scalar;
    }

    /// <summary>apimachinery's deduplicateScalars, including the order it leaves (normalised afterwards anyway).</summary>
    private static List<JsonNode?> DeduplicateScalars(List<JsonNode?> s)
    {
        var length = s.Count - 1;
        for (var i = 0; i < length; i++)
        {
            for (var j = i + 1; j <= length; j++)
            {
                if (JsonValues.Equal(s[i], s[j]))
                {
                    s[j] = s[length];
                    s.RemoveAt(length);
                    length--;
                    j--;
                }
            }
        }

        return s;
    }

    private static (List<JsonNode?> Original, List<JsonNode?> Patch) MergeSliceWithSpecialElements(
        List<JsonNode?> original, List<JsonNode?> patch, string mergeKey)
    {
        var withoutSpecial = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(DirectiveMarker, out var directive))
            {
                withoutSpecial.Add(item);
                continue;
            }

            var text = directive is JsonValue v && v.TryGetValue<string>(out var s) ? s : JsonValues.ToJson(directive);
            switch (text)
            {
                case "delete":
                    if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
                    {
                        throw NoMergeKey(map, mergeKey);
                    }

                    original = original.Where(o => !(o is JsonObject om && om.TryGetPropertyValue(mergeKey, out var ov) && JsonValues.Equal(ov, keyValue))).ToList();
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new PatchException($"unknown patch type: {text} in map: {JsonValues.ToJson(map)}");
            }
        }

        return replace ? (withoutSpecial, []) : (original, withoutSpecial);
    }

    private static List<JsonNode?> MergeSliceWithoutSpecialElements(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey, SchemaNode itemSchema)
    {
        var result = new List<JsonNode?>(original);
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw NoMergeKey(map, mergeKey);
            }

            var index = result.FindIndex(o => o is JsonObject om && om.TryGetPropertyValue(mergeKey, out var ov) && JsonValues.Equal(ov, keyValue));
            if (index >= 0)
            {
                var merged = MergeMap((JsonObject)result[index]!.DeepClone(), (JsonObject)map.DeepClone(), itemSchema);
                result[index] = merged;
                // The Go code writes the merged item back into the original's backing array too.
                var originalIndex = original.FindIndex(o => o is JsonObject om && om.TryGetPropertyValue(mergeKey, out var ov) && JsonValues.Equal(ov, keyValue));
                if (originalIndex >= 0) original[originalIndex] = merged;
            }
            else
            {
                result.Add(map.DeepClone());
            }
        }

        return result;
    }
}
