using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching;

/// <summary>
/// Strategic merge patch as the apiserver applies it (k8s.io/apimachinery/pkg/util/strategicpatch
/// StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls): lists merge by patchMergeKey
/// when their patchStrategy is merge and are replaced otherwise; scalar lists with merge strategy are
/// merged as sets; directives <c>$patch</c> (replace/delete in maps, replace/delete in list items),
/// <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;field&gt;</c> and <c>$setElementOrder/&lt;field&gt;</c>;
/// a null value deletes a key. New list items are placed the way the Go code places them (items named in the
/// patch but absent from the live list come before the remaining live-only items unless $setElementOrder says otherwise).
/// </summary>
public static partial class StrategicMergePatch
{
    private const string DirectiveMarker = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
    private const string SetElementOrderPrefix = "$setElementOrder";

    /// <summary>Applies <paramref name="patch"/> to <paramref name="original"/>; neither input is modified.</summary>
    public static JsonNode Apply(JsonNode original, JsonNode patch, PatchMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        if (original is not JsonObject o || patch is not JsonObject p)
        {
            throw new PatchException("invalid JSON document", 400);
        }

        return MergeMap((JsonObject)o.DeepClone(), (JsonObject)p.DeepClone(), meta.Root);
    }

    private static JsonObject MergeMap(JsonObject original, JsonObject patch, SchemaNode schema)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            return HandleDirectiveInMergeMap(directive, patch);
        }

        ApplyRetainKeysDirective(original, patch);
        MergePatchIntoOriginal(original, patch, schema);

        foreach (var key in patch.Select(p => p.Key).ToList())
        {
            var patchV = patch[key];
            var k = key;
            var isDeleteList = false;
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                k = ExtractKey(key, DeleteFromPrimitiveListPrefix);
                isDeleteList = true;
            }

            if (JsonValues.IsNull(patchV))
            {
                original.Remove(k);
                continue;
            }

            if (!original.TryGetPropertyValue(k, out var originalV))
            {
                if (!isDeleteList)
                {
                    SetCleaned(original, k, patchV);
                }

                continue;
            }

            if (!SameGoType(originalV, patchV))
            {
                if (!isDeleteList)
                {
                    SetCleaned(original, k, patchV);
                }

                continue;
            }

            var child = schema.Child(k).Type;
            switch (originalV)
            {
                case JsonObject originalMap:
                    original[k] = child.PatchReplaces
                        ? patchV!.DeepClone()
                        : MergeMap((JsonObject)originalMap.DeepClone(), (JsonObject)patchV!.DeepClone(), child);
                    break;
                case JsonArray originalList:
                    original[k] = MergeSliceHandler(originalList, (JsonArray)patchV!, child, isDeleteList);
                    break;
                default:
                    SetCleaned(original, k, patchV);
                    break;
            }
        }

        return original;
    }

    private static void SetCleaned(JsonObject target, string key, JsonNode? patchValue)
    {
        var copy = patchValue?.DeepClone();
        DiscardNullValues(copy);
        var (cleaned, keep) = RemoveDirectives(copy);
        if (keep)
        {
            target[key] = cleaned;
        }
        else
        {
            target.Remove(key);
        }
    }

    private static JsonObject HandleDirectiveInMergeMap(JsonNode? directive, JsonObject patch)
    {
        var text = directive is JsonValue v && v.TryGetValue<string>(out var s) ? s : JsonValues.ToJson(directive);
        switch (text)
        {
            case "replace":
                patch.Remove(DirectiveMarker);
                return patch;
            case "delete":
                return new JsonObject();
            default:
                throw new PatchException($"unknown patch type: {text} in map: {JsonValues.ToJson(patch)}");
        }
    }

    private static bool SameGoType(JsonNode? a, JsonNode? b)
    {
        var ka = JsonValues.KindOf(a);
        var kb = JsonValues.KindOf(b);
        if (ka is JsonValueKind.True or JsonValueKind.False)
        {
            return kb is JsonValueKind.True or JsonValueKind.False;
        }

        return ka == kb;
    }

    private static string ExtractKey(string key, string prefix)
    {
        var parts = key.Split('/', 2);
        if (parts.Length <= 1 || parts[0] != prefix)
        {
            throw new PatchException(prefix == DeleteFromPrimitiveListPrefix
                ? "invalid patch format of primitive list"
                : "invalid patch format of setElementOrder list", 400);
        }

        return parts[1];
    }

    private static void ApplyRetainKeysDirective(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }

        patch.Remove(RetainKeysDirective);
        if (retain is not JsonArray retainList)
        {
            throw new PatchException("invalid patch format of retainKeys", 400);
        }

        var keep = retainList.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
            .Where(s => s is not null).Select(s => s!).ToHashSet(StringComparer.Ordinal);
        foreach (var (k, v) in patch)
        {
            if (JsonValues.IsNull(v) || k.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) ||
                k.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!keep.Contains(k))
            {
                throw new PatchException("invalid patch format of retainKeys", 400);
            }
        }

        foreach (var k in original.Select(p => p.Key).ToList())
        {
            if (!keep.Contains(k))
            {
                original.Remove(k);
            }
        }
    }

    private static bool IsDirective(JsonObject item, string directive) =>
        item.TryGetPropertyValue(DirectiveMarker, out var d) && d is JsonValue v && v.TryGetValue<string>(out var s) && s == directive;

    private static void DiscardNullValues(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (JsonValues.IsNull(o[key])) o.Remove(key);
                    else DiscardNullValues(o[key]);
                }

                break;
            case JsonArray a:
                foreach (var item in a) DiscardNullValues(item);
                break;
        }
    }

    private static (JsonNode? Value, bool Keep) RemoveDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.ContainsKey(DirectiveMarker)) return (null, false);
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var (v, keep) = RemoveDirectives(o[key]);
                    if (!keep) o.Remove(key);
                    else if (!ReferenceEquals(v, o[key])) o[key] = v;
                }

                return (o, true);
            case JsonArray a:
                var result = new JsonArray();
                foreach (var item in a.ToList())
                {
                    var (v, keep) = RemoveDirectives(item);
                    if (keep) result.Add(v?.DeepClone());
                }

                return (result, true);
            default:
                return (node, true);
        }
    }

    private static PatchException NoMergeKey(JsonObject map, string key) =>
        new($"map: {JsonValues.ToJson(map)} does not contain declared merge key: {key}");

    private static PatchException BadArgType(string expected, JsonNode? actual) =>
        new($"expected a {expected}, but received a {JsonValues.KindOf(actual)}");
}
