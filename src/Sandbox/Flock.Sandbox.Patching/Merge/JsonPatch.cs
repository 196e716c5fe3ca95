using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;

namespace Flock.Sandbox.Patching;

/// <summary>
/// JSON patch (RFC 6902), as the apiserver applies for application/json-patch+json. Error messages follow
/// gopkg.in/evanphx/json-patch.v4, which the apiserver uses and reports verbatim with status 422.
/// </summary>
public static class JsonPatch
{
    private const string Missing = "missing value";

    /// <summary>Applies <paramref name="operations"/> in order to a copy of <paramref name="target"/>.</summary>
    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(operations);
        JsonNode? doc = target.DeepClone();
        foreach (var raw in operations)
        {
            if (raw is not JsonObject op)
            {
                throw new PatchException("json: cannot unmarshal non-object into Go value of type jsonpatch.Operation", 400);
            }

            var kind = StringMember(op, "op") ?? "unknown";
            doc = kind switch
            {
                "add" => Add(doc, Path(op, "path"), RequiredValue(op, kind)),
                "remove" => Remove(doc, Path(op, "path")),
                "replace" => Replace(doc, Path(op, "path"), RequiredValue(op, kind)),
                "move" => Move(doc, Path(op, "from"), Path(op, "path")),
                "copy" => Copy(doc, Path(op, "from"), Path(op, "path")),
                "test" => Test(doc, Path(op, "path"), op.TryGetPropertyValue("value", out var v) ? v : null),
                _ => throw new PatchException($"Unexpected kind: {kind}"),
            };
        }

        return doc ?? throw new PatchException("the patch replaced the whole document with null");
    }

    private static string? StringMember(JsonObject op, string name) =>
        op.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    private static JsonPointer Path(JsonObject op, string name)
    {
        var text = StringMember(op, name) ?? throw new PatchException($"operation missing {name} field");
        return JsonPointer.Parse(text);
    }

    private static JsonNode? RequiredValue(JsonObject op, string kind)
    {
        if (!op.TryGetPropertyValue("value", out var value))
        {
            throw new PatchException($"{kind} operation does not apply: missing value");
        }

        return value?.DeepClone();
    }

    /// <summary>Finds the container holding the last token, or null when a step is missing.</summary>
    private static JsonNode? Parent(JsonNode? doc, JsonPointer pointer)
    {
        var node = doc;
        for (var i = 0; i < pointer.Tokens.Count - 1; i++)
        {
            node = Child(node, pointer.Tokens[i]);
            if (node is null) return null;
        }

        return node;
    }

    private static JsonNode? Child(JsonNode? node, string token)
    {
        switch (node)
        {
            case JsonObject o:
                return o.TryGetPropertyValue(token, out var v) ? v : null;
            case JsonArray a:
                if (!JsonPointer.TryIndex(token, out var index) || index >= a.Count)
                {
                    return null;
                }
                return a[index];
            default:
                return null;
        }
    }

    private static bool Exists(JsonNode? doc, JsonPointer pointer, out JsonNode? value)
    {
        value = doc;
        if (pointer.IsRoot) return true;
        var parent = Parent(doc, pointer);
        var last = pointer.Tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                return o.TryGetPropertyValue(last, out value);
            case JsonArray a when JsonPointer.TryIndex(last, out var index) && index < a.Count:
                value = a[index];
                return true;
            default:
                value = null;
                return false;
        }
    }

    private static JsonNode? Add(JsonNode? doc, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot) return value;
        var parent = Parent(doc, path);
        var last = path.Tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                return doc;
            case JsonArray a:
                if (last == "-")
                {
                    a.Add(value);
                    return doc;
                }
                if (!JsonPointer.TryIndex(last, out var index) || index > a.Count)
                {
                    throw new PatchException($"Unable to access invalid index: {last}: invalid index referenced");
                }
                a.Insert(index, value);
                return doc;
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }
    }

    private static JsonNode? Remove(JsonNode? doc, JsonPointer path)
    {
        if (path.IsRoot) throw new PatchException($"remove operation does not apply: doc is missing path: \"{path}\": {Missing}");
        var parent = Parent(doc, path);
        var last = path.Tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                if (!o.Remove(last))
                {
                    throw new PatchException($"error in remove for path: '{path}': Unable to remove nonexistent key: {last}: {Missing}");
                }
                return doc;
            case JsonArray a:
                if (!JsonPointer.TryIndex(last, out var index) || index >= a.Count)
                {
                    throw new PatchException($"error in remove for path: '{path}': Unable to access invalid index: {last}: invalid index referenced");
                }
                a.RemoveAt(index);
                return doc;
            default:
                throw new PatchException($"remove operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }
    }

    private static JsonNode? Replace(JsonNode? doc, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot) return value;
        var parent = Parent(doc, path);
        var last = path.Tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                if (!o.ContainsKey(last))
                {
                    throw new PatchException($"replace operation does not apply: doc is missing key: {path}: {Missing}");
                }
                o[last] = value;
                return doc;
            case JsonArray a:
                if (!JsonPointer.TryIndex(last, out var index) || index >= a.Count)
                {
                    throw new PatchException($"replace operation does not apply: doc is missing key: {path}: {Missing}");
                }
                a[index] = value;
                return doc;
            default:
                throw new PatchException($"replace operation does not apply: doc is missing path: {path}: {Missing}");
        }
    }

    private static JsonNode? Move(JsonNode? doc, JsonPointer from, JsonPointer path)
    {
        if (from.IsProperPrefixOf(path))
        {
            throw new PatchException($"move operation does not apply: cannot move {from} into its own child {path}");
        }

        if (!Exists(doc, from, out var value))
        {
            throw new PatchException($"move operation does not apply: doc is missing from path: {from}: {Missing}");
        }

        if (from.Text == path.Text) return doc;
        var detached = value?.DeepClone();
        doc = Remove(doc, from);
        if (!path.IsRoot && Parent(doc, path) is not (JsonObject or JsonArray))
        {
            throw new PatchException($"move operation does not apply: doc is missing destination path: {path}: {Missing}");
        }
        return Add(doc, path, detached);
    }

    private static JsonNode? Copy(JsonNode? doc, JsonPointer from, JsonPointer path)
    {
        if (!Exists(doc, from, out var value))
        {
            throw new PatchException($"copy operation does not apply: doc is missing from path: {from}: {Missing}");
        }

        if (!path.IsRoot && Parent(doc, path) is not (JsonObject or JsonArray))
        {
            throw new PatchException($"copy operation does not apply: doc is missing destination path: {path}: {Missing}");
        }
        return Add(doc, path, value?.DeepClone());
    }

    private static JsonNode? Test(JsonNode? doc, JsonPointer path, JsonNode? expected)
    {
        if (!Exists(doc, path, out var actual))
        {
            if (JsonValues.IsNull(expected) && Parent(doc, path) is JsonObject) return doc;
            throw new PatchException($"testing value {path} failed: test failed");
        }

        if (!JsonValues.Equal(actual, expected))
        {
            throw new PatchException($"testing value {path} failed: test failed");
        }

        return doc;
    }
}
