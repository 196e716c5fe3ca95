using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// The x-kubernetes-list-type invariants (structurallisttype.ValidateListSetsAndMaps): a set has no repeated item,
/// a map list no two items with the same keys. Reported as "Duplicate value" at the repeating item.
/// </summary>
internal static class ListTypeValidator
{
    public static List<FieldError> Validate(StructuralSchema schema, JsonNode? node)
    {
        var errors = new List<FieldError>();
        Walk(schema, node, FieldPath.Root, errors);
        return errors;
    }

    private static void Walk(StructuralSchema? s, JsonNode? node, FieldPath path, List<FieldError> errors)
    {
        if (s is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (s.Properties.TryGetValue(key, out var property))
                    {
                        Walk(property, value, path.Child(key), errors);
                    }
                    else if (s.AdditionalProperties is { } values)
                    {
                        Walk(values, value, path.Key(key), errors);
                    }
                }

                break;
            case JsonArray array:
                if (s.ListType == "set")
                {
                    Set(array, path, errors);
                }
                else if (s.ListType == "map")
                {
                    Map(s, array, path, errors);
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Walk(s.Items, array[i], path.Index(i), errors);
                }

                break;
        }
    }

    /// <summary>Each repeated value is reported once, at its second occurrence; int 1 and float 1.0 are different scalars.</summary>
    private static void Set(JsonArray array, FieldPath path, List<FieldError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var identity = Identity(array[i]);
            seen[identity] = seen.TryGetValue(identity, out var times) ? times + 1 : 1;
            if (times == 1)
            {
                errors.Add(FieldError.Duplicate(path.Index(i).ToString(), array[i]?.DeepClone()));
            }
        }
    }

    /// <summary>Every item whose keys were seen before is reported, with the keys as a map (printed as Go's %#v).</summary>
    private static void Map(StructuralSchema s, JsonArray array, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not null and not JsonObject)
            {
                errors.Add(FieldError.Invalid(path.Index(i).ToString(), array[i]!.DeepClone(), "must be an object for an array of list-type map"));
                return;
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                continue;
            }

            var keys = new JsonObject();
            foreach (var key in s.ListMapKeys)
            {
                var value = item.TryGetPropertyValue(key, out var v) ? v : s.Items?.Properties.GetValueOrDefault(key)?.Default;
                if (item.ContainsKey(key) || value is not null)
                {
                    keys[key] = value?.DeepClone();
                }
            }

            if (!seen.Add(JsonValues.ToGoJson(keys)))
            {
                errors.Add(FieldError.Duplicate(path.Index(i).ToString(), keys));
            }
        }
    }

    /// <summary>Go compares scalars by dynamic type and value and compounds by their JSON.</summary>
    private static string Identity(JsonNode? node) => JsonValues.KindOf(node) switch
    {
        JsonKind.Object or JsonKind.Array => "json:" + JsonValues.ToGoJson(node),
        var kind => kind + ":" + JsonValues.ToGoJson(node),
    };
}
