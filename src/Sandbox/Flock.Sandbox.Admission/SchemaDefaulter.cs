using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Structural defaulting, as k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting.Default:
/// an absent property (or a null one that is not nullable) gets a deep copy of its default, then the walk
/// continues into it, which is how <c>default: {}</c> brings the defaults of the fields below it.
/// </summary>
internal static class SchemaDefaulter
{
    public static void Default(JsonNode? node, StructuralSchema? schema)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                DefaultObject(obj, schema);
                break;
            case JsonArray array:
                DefaultArray(array, schema);
                break;
        }
    }

    private static void DefaultObject(JsonObject obj, StructuralSchema schema)
    {
        foreach (var (name, property) in schema.Properties)
        {
            if (property.Default is null)
            {
                continue;
            }

            if (!obj.TryGetPropertyValue(name, out var value) || IsNonNullableNull(value, property))
            {
                obj[name] = JsonValues.Clone(property.Default);
            }
        }

        foreach (var (key, value) in obj.ToList())
        {
            if (schema.Properties.TryGetValue(key, out var property))
            {
                Default(value, property);
            }
            else if (schema.AdditionalProperties is { } values)
            {
                if (IsNonNullableNull(value, values) && values.Default is not null)
                {
                    obj[key] = JsonValues.Clone(values.Default);
                }

                // Like the apiserver, recurse into the value as it was before: a default that replaced a null
                // map value is used as written, without defaults of its own fields applied.
                Default(value, values);
            }
        }
    }

    private static void DefaultArray(JsonArray array, StructuralSchema schema)
    {
        if (schema.Items is not { } items)
        {
            return;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var value = array[i];
            if (IsNonNullableNull(value, items) && items.Default is not null)
            {
                array[i] = JsonValues.Clone(items.Default);
            }

            // As for map values: the apiserver recurses into the original (null) item.
            Default(value, items);
        }
    }

    private static bool IsNonNullableNull(JsonNode? value, StructuralSchema schema) => value is null && !schema.Nullable;
}
