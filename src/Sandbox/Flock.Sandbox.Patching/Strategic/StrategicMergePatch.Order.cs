using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching;

/// <summary>Order of merged lists: $setElementOrder and apimachinery's normalizeElementOrder.</summary>
public static partial class StrategicMergePatch
{
    private static void MergePatchIntoOriginal(JsonObject original, JsonObject patch, SchemaNode schema)
    {
        foreach (var key in patch.Select(p => p.Key).ToList())
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var orderNode = patch[key];
            patch.Remove(key);
            if (orderNode is not JsonArray order)
            {
                throw new PatchException("invalid patch format of setElementOrder list", 400);
            }

            var originalKey = ExtractKey(key, SetElementOrderPrefix);
            var foundOriginal = original.TryGetPropertyValue(originalKey, out var originalNode);
            var foundPatch = patch.TryGetPropertyValue(originalKey, out var patchNode);
            var originalList = foundOriginal ? originalNode as JsonArray ?? throw BadArgType("[]interface{}", originalNode) : null;
            var patchList = foundPatch ? patchNode as JsonArray ?? throw BadArgType("[]interface{}", patchNode) : null;
            var child = schema.Child(originalKey).Type;
            var mergeKey = child.PatchMergeKey ?? string.Empty;
            ValidatePatchWithSetOrderList(patchList, order, mergeKey);

            JsonArray merged;
            if (foundOriginal && !foundPatch)
            {
                merged = originalList!;
            }
            else if (!foundOriginal && foundPatch)
            {
                merged = patchList!;
            }
            else if (foundOriginal && foundPatch)
            {
                merged = MergeSliceHandler(originalList!, patchList!, child, false);
            }
            else
            {
                continue;
            }

            var mergedItems = merged.ToList();
            var (patchItems, serverOnly) = Partition(mergedItems, order.ToList(), mergeKey);
            var kind = SliceElementKind(originalList?.ToList() ?? [], patchList?.ToList() ?? []);
            var both = NormalizeElementOrder(patchItems, serverOnly, order.ToList(), originalList?.ToList() ?? [], mergeKey, kind);
            original[originalKey] = ToArray(both);
            patch.Remove(originalKey);
        }
    }

    private static void ValidatePatchWithSetOrderList(JsonArray? patchList, JsonArray order, string mergeKey)
    {
        if (patchList is null || order.Count == 0 || patchList.Count == 0)
        {
            return;
        }

        var nonDelete = mergeKey.Length > 0
            ? patchList.Where(i => !(i is JsonObject o && IsDirective(o, "delete"))).ToList()
            : patchList.ToList();
        int patchIndex = 0, orderIndex = 0;
        while (patchIndex < nonDelete.Count && orderIndex < order.Count)
        {
            if (nonDelete[patchIndex] is JsonObject o && o.ContainsKey(DirectiveMarker))
            {
                patchIndex++;
                continue;
            }

            if (MergeKeyValueEqual(nonDelete[patchIndex], order[orderIndex], mergeKey))
            {
                patchIndex++;
            }

            orderIndex++;
        }

        if (patchIndex < nonDelete.Count && orderIndex >= order.Count)
        {
            throw new PatchException(
                $"The order in patch list:\n{JsonValues.ToJson(patchList)}\n doesn't match {SetElementOrderPrefix} list:\n{JsonValues.ToJson(order)}\n");
        }
    }

    private static bool MergeKeyValueEqual(JsonNode? left, JsonNode? right, string mergeKey)
    {
        if (mergeKey.Length == 0)
        {
            return JsonValues.Equal(left, right);
        }

        if (left is not JsonObject l || right is not JsonObject r)
        {
            throw BadArgType("map[string]interface{}", left is JsonObject ? right : left);
        }

        if (!l.TryGetPropertyValue(mergeKey, out var lv)) throw NoMergeKey(l, mergeKey);
        if (!r.TryGetPropertyValue(mergeKey, out var rv)) throw NoMergeKey(r, mergeKey);
        return JsonValues.Equal(lv, rv);
    }

    private static (List<JsonNode?> PatchItems, List<JsonNode?> ServerOnly) Partition(List<JsonNode?> merged, List<JsonNode?> by, string mergeKey)
    {
        var patchItems = new List<JsonNode?>();
        var serverOnly = new List<JsonNode?>();
        foreach (var item in merged)
        {
            bool found;
            if (mergeKey.Length == 0)
            {
                found = by.Any(b => JsonValues.Equal(b, item));
            }
            else
            {
                if (item is not JsonObject map) throw BadArgType("map[string]interface{}", item);
                if (!map.TryGetPropertyValue(mergeKey, out var keyValue)) throw NoMergeKey(map, mergeKey);
                found = by.Any(b => b is JsonObject bm && bm.TryGetPropertyValue(mergeKey, out var bv) && JsonValues.Equal(bv, keyValue));
            }

            (found ? patchItems : serverOnly).Add(item);
        }

        return (patchItems, serverOnly);
    }

    private static List<JsonNode?> NormalizeElementOrder(List<JsonNode?> patch, List<JsonNode?> serverOnly,
        List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string mergeKey, ElementKind kind)
    {
        var sortedPatch = NormalizeSliceOrder(patch, patchOrder, mergeKey, kind);
        var sortedServer = NormalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
        return MergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
    }

    private static List<JsonNode?> NormalizeSliceOrder(List<JsonNode?> toSort, List<JsonNode?> order, string mergeKey, ElementKind kind)
    {
        var items = new List<JsonNode?>(toSort);
        var toDelete = new List<JsonNode?>();
        if (kind == ElementKind.Map)
        {
            foreach (var item in items.Concat(order))
            {
                if (item is not JsonObject m) throw BadArgType("map[string]interface{}", item);
                if (!m.ContainsKey(mergeKey)) throw NoMergeKey(m, mergeKey);
            }

            toDelete = items.Where(i => i is JsonObject o && IsDirective(o, "delete")).ToList();
            items = items.Where(i => !(i is JsonObject o && IsDirective(o, "delete"))).ToList();
        }

        // sort.SliceStable with apimachinery's comparator; an insertion sort, which is what Go runs for short lists.
        bool Less(JsonNode? a, JsonNode? b)
        {
            var ia = Index(order, a, mergeKey, kind);
            if (ia >= 0)
            {
                var ib = Index(order, b, mergeKey, kind);
                if (ib >= 0) return ia < ib;
            }

            return true;
        }

        for (var i = 1; i < items.Count; i++)
        {
            for (var j = i; j > 0 && Less(items[j], items[j - 1]); j--)
            {
                (items[j], items[j - 1]) = (items[j - 1], items[j]);
            }
        }

        items.AddRange(toDelete);
        return items;
    }

    private static List<JsonNode?> MergeSortedSlice(List<JsonNode?> left, List<JsonNode?> right, List<JsonNode?> serverOrder, string mergeKey, ElementKind kind)
    {
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (result.Count < left.Count + right.Count)
        {
            if (i >= left.Count && j < right.Count)
            {
                result.Add(right[j++]);
            }
            else if (j >= right.Count && i < left.Count)
            {
                result.Add(left[i++]);
            }
            else
            {
                var li = Index(serverOrder, left[i], mergeKey, kind);
                var ri = Index(serverOrder, right[j], mergeKey, kind);
                if (li >= 0 && ri >= 0 && li < ri)
                {
                    result.Add(left[i++]);
                }
                else
                {
                    result.Add(right[j++]);
                }
            }
        }

        return result;
    }

    private static int Index(List<JsonNode?> list, JsonNode? value, string mergeKey, ElementKind kind)
    {
        JsonNode? Key(JsonNode? item) => kind == ElementKind.Map
            ? (item is JsonObject o && o.TryGetPropertyValue(mergeKey, out var v) ? v : null)
            : item;

        var wanted = Key(value);
        for (var i = 0; i < list.Count; i++)
        {
            if (JsonValues.Equal(wanted, Key(list[i]))) return i;
        }

        return -1;
    }

    private static JsonArray ToArray(IEnumerable<JsonNode?> items)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add(item is null ? null : item.Parent is null ? item : item.DeepClone());
        }

        return array;
    }
}
