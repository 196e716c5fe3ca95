using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>Value merging and pruning for server-side apply (structured-merge-diff Merge and RemoveItems).</summary>
internal static class ObjectMerge
{
    /// <summary>
    /// Merges an applied configuration into a live value: the configuration wins on leaves and atomic values,
    /// granular objects merge key by key (live order, new keys appended), granular lists merge item by item
    /// with structured-merge-diff's ordering (applied order for shared items, live-only items kept in place).
    /// </summary>
    public static JsonNode? Merge(JsonNode? lhs, bool hasL, JsonNode? rhs, bool hasR, SchemaNode type, List<PathElement> path)
    {
        if (!hasR) return lhs?.DeepClone();
        if (!hasL) return rhs?.DeepClone();

        if (lhs is JsonObject l && rhs is JsonObject r && ListItems.IsGranularObject(type))
        {
            var result = new JsonObject();
            foreach (var (key, lv) in l)
            {
                var hr = r.TryGetPropertyValue(key, out var rv);
                path.Add(PathElement.Field(key));
                result[key] = Merge(lv, true, rv, hr, type.Child(key).Type, path);
                path.RemoveAt(path.Count - 1);
            }

            foreach (var (key, rv) in r)
            {
                if (!l.ContainsKey(key)) result[key] = rv?.DeepClone();
            }

            return result;
        }

        if (lhs is JsonArray la && rhs is JsonArray ra && ListItems.IsGranularList(type))
        {
            return MergeList(la, ra, type, path);
        }

        return rhs?.DeepClone();
    }

    private static JsonArray MergeList(JsonArray lhs, JsonArray rhs, SchemaNode type, List<PathElement> path)
    {
        var where = FieldSet.PathString(path);
        var lhsPEs = ListItems.Index(type, lhs, false, where);
        var rhsPEs = ListItems.Index(type, rhs, true, where);
        var observedL = new Dictionary<PathElement, JsonNode?>();
        foreach (var (e, item, _) in lhsPEs) observedL.TryAdd(e, item);
        var observedR = new Dictionary<PathElement, JsonNode?>();
        foreach (var (e, item, _) in rhsPEs) observedR.TryAdd(e, item);

        var sharedOrder = new Queue<PathElement>(rhsPEs.Where(p => observedL.ContainsKey(p.Element)).Select(p => p.Element));
        PathElement? nextShared = sharedOrder.Count > 0 ? sharedOrder.Dequeue() : null;
        var mergedR = new HashSet<PathElement>();
        var output = new JsonArray();
        int lI = 0, rI = 0;
        while (lI < lhsPEs.Count || rI < rhsPEs.Count)
        {
            if (lI < lhsPEs.Count && rI < rhsPEs.Count)
            {
                var pe = lhsPEs[lI].Element;
                if (pe.Equals(rhsPEs[rI].Element))
                {
                    mergedR.Add(pe);
                    output.Add(MergeItem(observedL[pe], observedR[pe], true, type, path, pe));
                    lI++;
                    rI++;
                    nextShared = sharedOrder.Count > 0 ? sharedOrder.Dequeue() : null;
                    continue;
                }

                if (observedR.ContainsKey(pe) && nextShared is not null && !nextShared.Equals(pe))
                {
                    lI++;
                    continue;
                }
            }

            if (lI < lhsPEs.Count)
            {
                var pe = lhsPEs[lI].Element;
                if (!observedR.ContainsKey(pe))
                {
                    output.Add(lhsPEs[lI].Item?.DeepClone());
                    lI++;
                    continue;
                }

                if (mergedR.Contains(pe))
                {
                    // Already merged with its RHS twin: skip it and, as the Go code does, go on to the RHS item.
                    lI++;
                }
            }

            if (rI < rhsPEs.Count)
            {
                var pe = rhsPEs[rI].Element;
                mergedR.Add(pe);
                var hasL = observedL.TryGetValue(pe, out var lChild);
                output.Add(MergeItem(lChild, observedR[pe], hasL, type, path, pe));
                rI++;
                if (nextShared is not null && nextShared.Equals(pe))
                {
                    nextShared = sharedOrder.Count > 0 ? sharedOrder.Dequeue() : null;
                }
            }
        }

        return output;
    }

    private static JsonNode? MergeItem(JsonNode? l, JsonNode? r, bool hasL, SchemaNode type, List<PathElement> path, PathElement pe)
    {
        path.Add(pe);
        var merged = Merge(l, hasL, r, true, type.ItemType, path);
        path.RemoveAt(path.Count - 1);
        return merged;
    }

    /// <summary>
    /// Removes from <paramref name="value"/> every field (with its subtree) that the applier owned before
    /// (<paramref name="previouslyOwned"/>) and that no manager owns now (<paramref name="ownedNow"/>);
    /// both sets have their named struct fields made members.
    /// </summary>
    public static JsonNode? Prune(JsonNode? value, SchemaNode type, FieldSet previouslyOwned, FieldSet ownedNow)
    {
        switch (value)
        {
            case JsonObject obj when ListItems.IsGranularObject(type):
            {
                var result = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var pe = PathElement.Field(key);
                    var before = previouslyOwned.Child(pe);
                    var now = ownedNow.Child(pe);
                    if (before.IsMember && !now.IsMember)
                    {
                        continue;
                    }

                    result[key] = before.IsEmpty ? child?.DeepClone() : Prune(child, type.Child(key).Type, before, now);
                }

                return result;
            }

            case JsonArray array when ListItems.IsGranularList(type):
            {
                var result = new JsonArray();
                foreach (var (pe, item, _) in ListItems.Index(type, array, false, string.Empty))
                {
                    var before = previouslyOwned.Child(pe);
                    var now = ownedNow.Child(pe);
                    if (before.IsMember && !now.IsMember)
                    {
                        continue;
                    }

                    result.Add(before.IsEmpty ? item?.DeepClone() : Prune(item, type.ItemType, before, now));
                }

                return result;
            }

            default:
                return JsonValues.Clone(value);
        }
    }
}
