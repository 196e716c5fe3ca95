using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>Fields added, modified and removed between two objects (structured-merge-diff TypedValue.Compare).</summary>
public sealed class Comparison
{
    public FieldSet Added { get; } = new();

    public FieldSet Modified { get; } = new();

    public FieldSet Removed { get; } = new();

    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    /// <summary>
    /// Compares <paramref name="lhs"/> (before) with <paramref name="rhs"/> (after). Leaves that differ are
    /// Modified; a path that appears is Added (containers too, so a new map or list item is owned as a whole
    /// plus its leaves); a path that disappears is Removed. A JSON null standing for an empty container
    /// (a Go nil slice or pointer in a zero object) counts as present.
    /// </summary>
    public static Comparison Compare(JsonNode? lhs, JsonNode? rhs, SchemaNode type)
    {
        var c = new Comparison();
        c.Walk(lhs, true, rhs, true, type, []);
        return c;
    }

    private void Walk(JsonNode? l, bool hasL, JsonNode? r, bool hasR, SchemaNode type, List<PathElement> path)
    {
        if (!hasL && !hasR) return;

        // Both sides empty or null: a leaf, which keeps the empty/null distinction (emptyPromoteToLeaf).
        if ((ListItems.IsGranularObject(type) || ListItems.IsGranularList(type)) && EmptyOrNull(l, hasL) && EmptyOrNull(r, hasR))
        {
            Leaf(l, hasL, r, hasR, path);
            return;
        }

        var lObj = l as JsonObject ?? (hasL && JsonValues.IsNull(l) && r is JsonObject ? new JsonObject() : null);
        var rObj = r as JsonObject ?? (hasR && JsonValues.IsNull(r) && l is JsonObject ? new JsonObject() : null);
        if (ListItems.IsGranularObject(type) && (lObj is not null || !hasL) && (rObj is not null || !hasR) && (lObj ?? rObj) is not null)
        {
            var keys = new List<string>();
            if (lObj is not null) keys.AddRange(lObj.Select(p => p.Key));
            if (rObj is not null) keys.AddRange(rObj.Select(p => p.Key).Where(k => lObj is null || !lObj.ContainsKey(k)));
            foreach (var key in keys)
            {
                JsonNode? lv = null, rv = null;
                var hl = lObj is not null && lObj.TryGetPropertyValue(key, out lv);
                var hr = rObj is not null && rObj.TryGetPropertyValue(key, out rv);
                path.Add(PathElement.Field(key));
                Walk(lv, hl, rv, hr, type.Child(key).Type, path);
                path.RemoveAt(path.Count - 1);
            }

            MarkContainer(hasL, hasR, path);
            return;
        }

        var lArr = l as JsonArray ?? (hasL && JsonValues.IsNull(l) && r is JsonArray ? new JsonArray() : null);
        var rArr = r as JsonArray ?? (hasR && JsonValues.IsNull(r) && l is JsonArray ? new JsonArray() : null);
        if (ListItems.IsGranularList(type) && (lArr is not null || !hasL) && (rArr is not null || !hasR) && (lArr ?? rArr) is not null)
        {
            var where = FieldSet.PathString(path);
            var lItems = lArr is null ? [] : ListItems.Index(type, lArr, false, where);
            var rItems = rArr is null ? [] : ListItems.Index(type, rArr, false, where);
            var rByElement = new Dictionary<PathElement, JsonNode?>();
            foreach (var (e, item, _) in rItems) rByElement.TryAdd(e, item);
            var lByElement = new Dictionary<PathElement, JsonNode?>();
            foreach (var (e, item, _) in lItems) lByElement.TryAdd(e, item);
            foreach (var (e, item) in lByElement)
            {
                path.Add(e);
                var hr = rByElement.TryGetValue(e, out var ri);
                Walk(item, true, ri, hr, type.ItemType, path);
                path.RemoveAt(path.Count - 1);
            }

            foreach (var (e, item) in rByElement)
            {
                if (lByElement.ContainsKey(e)) continue;
                path.Add(e);
                Walk(null, false, item, true, type.ItemType, path);
                path.RemoveAt(path.Count - 1);
            }

            MarkContainer(hasL, hasR, path);
            return;
        }

        // A leaf: scalar, atomic list/map/struct, or a change of shape.
        Leaf(l, hasL, r, hasR, path);
    }

    private static bool EmptyOrNull(JsonNode? v, bool has) =>
        !has || v is null || v is JsonObject { Count: 0 } || v is JsonArray { Count: 0 };

    private void Leaf(JsonNode? l, bool hasL, JsonNode? r, bool hasR, List<PathElement> path)
    {
        if (!hasL) Added.Insert(path);
        else if (!hasR) Removed.Insert(path);
        else if (!JsonValues.Equal(l, r)) Modified.Insert(path);
    }

    private void MarkContainer(bool hasL, bool hasR, List<PathElement> path)
    {
        if (!hasL) Added.Insert(path);
        else if (!hasR) Removed.Insert(path);
    }
}
