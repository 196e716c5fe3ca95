using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;

namespace Flock.Sandbox.Patching;

/// <summary>JSON merge patch (RFC 7386), as the apiserver applies for application/merge-patch+json.</summary>
public static class JsonMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="target"/>: a null member deletes, objects merge
    /// recursively, anything else (arrays included) replaces. Neither input is modified.
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return JsonValues.Clone(patch);
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (JsonValues.IsNull(value))
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var current);
            var merged = Apply(current, value);
            result[key] = merged;
        }

        return result;
    }

    /// <summary>
    /// Creates the merge patch that turns <paramref name="original"/> into <paramref name="modified"/>
    /// (what client-go's CreateMergePatch produces): removed keys become null, changed objects recurse,
    /// every other change carries the new value. <c>Apply(original, Create(original, modified))</c> equals
    /// <paramref name="modified"/> whenever <paramref name="modified"/> contains no null members inside objects
    /// (a null member cannot be expressed by a merge patch).
    /// </summary>
    public static JsonNode? Create(JsonNode? original, JsonNode? modified)
    {
        if (original is JsonObject o && modified is JsonObject m)
        {
            return CreateObjectPatch(o, m);
        }

        return JsonValues.Clone(modified);
    }

    private static JsonObject CreateObjectPatch(JsonObject original, JsonObject modified)
    {
        var patch = new JsonObject();
        foreach (var (key, oldValue) in original)
        {
            if (!modified.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        foreach (var (key, newValue) in modified)
        {
            if (!original.TryGetPropertyValue(key, out var oldValue))
            {
                patch[key] = JsonValues.Clone(newValue);
                continue;
            }

            if (oldValue is JsonObject oldObject && newValue is JsonObject newObject)
            {
                var inner = CreateObjectPatch(oldObject, newObject);
                if (inner.Count > 0)
                {
                    patch[key] = inner;
                }
                continue;
            }

            if (!JsonValues.Equal(oldValue, newValue))
            {
                patch[key] = JsonValues.Clone(newValue);
            }
        }

        return patch;
    }
}
