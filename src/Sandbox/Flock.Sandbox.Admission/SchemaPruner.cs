using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Structural pruning, as k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning: fields the schema does not
/// declare are removed unless x-kubernetes-preserve-unknown-fields covers them; apiVersion, kind and metadata of a
/// resource (the root, or an x-kubernetes-embedded-resource) are kept.
/// </summary>
internal static class SchemaPruner
{
    private static readonly HashSet<string> MetaFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>Prunes in place; returns the removed paths sorted, which the apiserver sends as "unknown field" warnings.</summary>
    public static IReadOnlyList<string> Prune(JsonObject obj, StructuralSchema schema, bool isRoot)
    {
        var unknown = new List<string>();
        Prune(obj, schema, string.Empty, isResource: isRoot || schema.EmbeddedResource, unknown);
        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }

    /// <summary>structuraldefaulting.PruneNonNullableNullsWithoutDefaults: nulls that are neither allowed nor defaultable are dropped.</summary>
    public static void PruneNonNullableNullsWithoutDefaults(JsonNode? node, StructuralSchema? schema)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var child = schema.Properties.GetValueOrDefault(key) ?? schema.AdditionalProperties;
                    if (child is null)
                    {
                        continue;
                    }

                    if (value is null && !child.Nullable && child.Default is null)
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        PruneNonNullableNullsWithoutDefaults(value, child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    PruneNonNullableNullsWithoutDefaults(item, schema.Items);
                }

                break;
        }
    }

    private static void Prune(JsonNode? node, StructuralSchema? schema, string path, bool isResource, List<string> unknown)
    {
        if (schema is { PreserveUnknownFields: true })
        {
            SkipPrune(node, schema, path, isResource, unknown);
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, path, isResource, unknown);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], schema?.Items, $"{path}[{i}]", isResource: schema?.Items?.EmbeddedResource == true, unknown);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, StructuralSchema? schema, string path, bool isResource, List<string> unknown)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (isResource && KeepResourceField(key, value))
            {
                continue;
            }

            var childPath = Join(path, key);
            if (schema?.Properties.TryGetValue(key, out var property) == true)
            {
                Prune(value, property, childPath, property.EmbeddedResource, unknown);
            }
            else if (schema?.AdditionalProperties is { } values)
            {
                Prune(value, values, childPath, values.EmbeddedResource, unknown);
            }
            else
            {
                // At the root an unknown apiVersion/kind/metadata of the wrong type is dropped silently.
                if (!MetaFields.Contains(key) || path.Length > 0)
                {
                    unknown.Add(childPath);
                }

                obj.Remove(key);
            }
        }
    }

    /// <summary>Under x-kubernetes-preserve-unknown-fields unknown fields stay, but declared ones are still pruned inside.</summary>
    private static void SkipPrune(JsonNode? node, StructuralSchema schema, string path, bool isResource, List<string> unknown)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (isResource && MetaFields.Contains(key))
                    {
                        continue;
                    }

                    if (schema.Properties.TryGetValue(key, out var property))
                    {
                        Prune(value, property, Join(path, key), property.EmbeddedResource, unknown);
                    }
                    else if (schema.AdditionalProperties is { } values)
                    {
                        Prune(value, values, Join(path, key), values.EmbeddedResource, unknown);
                    }
                }

                break;
            case JsonArray array when schema.Items is not null:
                for (var i = 0; i < array.Count; i++)
                {
                    SkipPrune(array[i], schema.Items, $"{path}[{i}]", schema.Items.EmbeddedResource, unknown);
                }

                break;
        }
    }

    /// <summary>A resource keeps a string apiVersion and kind and an object metadata (metadata is coerced elsewhere, not pruned).</summary>
    private static bool KeepResourceField(string key, JsonNode? value) => key switch
    {
        "apiVersion" or "kind" => JsonValues.KindOf(value) == JsonKind.String,
        "metadata" => value is JsonObject,
        _ => false,
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
